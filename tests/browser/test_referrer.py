"""A GP files a referral for a resident and follows it on a 360px phone: professional
wording ("De aanvraag voor ...", "De vrijwilliger van ..."), no sideways scrolling, and no
link on the request page that leads nowhere (issue 11 point 4)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from marketplace.models import HelpRequest, Match, MatchStatus, RequestStatus, utcnow
from marketplace.vocabulary import local_today
from tests import factories
from tests.browser import story as s
from tests.browser.conftest import PHONE, LiveServer
from tests.browser.driver import Driver
from tests.browser.test_accessibility import AXE_SCRIPT, axe_violations

pytestmark = pytest.mark.browser

RESIDENT = "Mevrouw Bakker"
TITLE = "Samen Nederlands oefenen"


def _a_volunteer_said_yes(server: LiveServer, request_id: int) -> None:
    """Skip the matching round (test_journeys plays it): a volunteer helps the resident."""
    with server.app.app_context():
        help_request = db.session.get(HelpRequest, request_id)
        assert help_request is not None
        help_request.status = RequestStatus.MATCHED
        db.session.add(Match(help_request=help_request, volunteer=factories.volunteer(),
                             status=MatchStatus.ACCEPTED, proposed_at=utcnow()))
        db.session.commit()
        db.session.remove()


def _follow_every_link(d: Driver) -> None:
    """Open each link in the page's main content: none answers 404, none scrolls sideways."""
    here = d.page.url
    links = d.page.locator("main a[href^='/']").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))")
    assert links
    for link in dict.fromkeys(links):
        response = d.page.goto(link)
        assert response is not None, link
        assert response.status < 400, f"{link}: {response.status}"
        d.check_layout()
    d.page.goto(urlparse(here).path)


def test_a_referrer_files_and_follows_a_referral_on_a_phone(
    open_page: Any, live_server: LiveServer
) -> None:
    d = Driver(open_page(PHONE))
    s.log_in(d, live_server.referrer)
    expect(d.page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn aanvragen")).to_have_count(0)
    d.nav("Verwijzingen")
    d.link("Nieuwe verwijzing", d.page.get_by_role("main"))
    d.fill("Naam van de bewoner", RESIDENT)
    d.fill("Telefoonnummer van de bewoner", "035 555 12 12")
    d.select("Soort hulp", "Taal oefenen")
    d.fill("Korte omschrijving", TITLE)
    description = d.page.get_by_label("Wat heeft de bewoner nodig?")
    description.fill("Mevrouw wil haar Nederlands oefenen.")
    expect(d.page.locator(".char-counter").first).to_have_text("Nog 1.964 tekens over.")
    d.check("Eén keer, op een vaste dag")
    d.fill("Datum (of begindatum)", (local_today() + timedelta(days=20)).isoformat())
    d.fill("Postcode", "1215 AB")
    d.fill("Straat en huisnummer", "Stationsstraat 3")
    d.check("De bewoner geeft toestemming om deze gegevens met het meldpunt te delen.")
    d.button("Verwijzing versturen")
    d.expect_status("De verwijzing is verstuurd")

    d.nav("Verwijzingen")
    card = d.page.locator(".request-card", has_text=TITLE)
    expect(card).to_contain_text(RESIDENT)
    expect(card).to_contain_text("Wacht op goedkeuring")
    d.link(TITLE, card)
    _a_volunteer_said_yes(live_server, int(urlparse(d.page.url).path.rstrip("/").split("/")[-1]))
    d.page.reload()
    d.check_layout()
    main = d.page.get_by_role("main")
    expect(main).to_contain_text(f"De aanvraag voor {RESIDENT}")
    expect(main.get_by_role("heading", name=f"De vrijwilliger van {RESIDENT}")).to_be_visible()
    expect(main).not_to_contain_text("Uw vrijwilliger")
    expect(main.get_by_role("link", name="Hulp gegeven melden of beoordelen")).to_have_count(0)
    expect(main.get_by_role("link", name="Terug naar verwijzingen")).to_be_visible()
    d.page.evaluate(AXE_SCRIPT.read_text())
    assert axe_violations(d.page) == []
    _follow_every_link(d)

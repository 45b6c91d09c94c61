"""Issue 11 point 1, in real Chromium on a 360px phone: a resident registers online with a
phone number and asks for help; once a coordinator approved it and a volunteer said yes,
the volunteer's contact card shows the resident's phone number and e-mail address, as
links, and no page on the way scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.conftest import PASSWORD, PHONE, Account, LiveServer
from tests.browser.driver import Driver

pytestmark = pytest.mark.browser

CATEGORY = "Was- en strijkhulp"  # no other journey asks for it, so no round meets this one
POSTCODE = "1215 AB"
TITLE = "Strijkgoed wegbrengen (contact)"


def _approve_and_accept(live_server: LiveServer, request_id: int) -> Account:
    """The middle of the story through the services: a coordinator approves the request and
    a checked volunteer nearby takes it. Returns the volunteer's login."""
    from marketplace.extensions import db
    from marketplace.matches import services as matches
    from marketplace.models import HelpRequest, Role, User
    from marketplace.staff import services as staff
    from marketplace.vocabulary import SLOTS
    from tests import factories

    with live_server.app.app_context():
        coordinator = db.session.scalar(
            db.select(User).where(User.email == live_server.coordinator.email))
        help_request = db.session.get(HelpRequest, request_id)
        assert coordinator is not None
        assert help_request is not None
        staff.approve_request(coordinator, help_request, "In orde.")
        volunteer = factories.volunteer_profile(
            pc4="1213", skills=("was-strijk",), availability=list(SLOTS), max_travel_km=15.0,
        ).user
        volunteer.email = helpers.unique_email("vincent.contact.")
        volunteer.name = "Vincent Vrijwilliger"
        volunteer.set_password(PASSWORD)
        assert volunteer.has_role(Role.VOLUNTEER)
        matches.pick_request(volunteer, help_request)
        db.session.commit()
        account = Account(volunteer.email, PASSWORD, volunteer.name)
        db.session.remove()
    return account


def test_the_volunteer_can_call_and_mail_a_resident_who_registered_online(
    open_page: Any, live_server: LiveServer
) -> None:
    d = Driver(open_page(PHONE))  # checks the 360px layout on every page it opens
    email = helpers.unique_email("rita.contact.")
    d.start("/auth/register")
    d.fill("Uw naam", "Rita Rinkel")
    d.fill("E-mailadres", email)
    d.fill("Kies een wachtwoord", PASSWORD)
    d.fill("Herhaal het wachtwoord", PASSWORD)
    d.fill("Telefoonnummer", "06-2345 6789", exact=True)
    expect(d.page.get_by_label("Telefoonnummer", exact=True)).to_have_attribute("type", "tel")
    expect(d.page.get_by_label("Telefoon", exact=True)).to_be_checked()  # shared by default
    expect(d.page.get_by_label("E-mail", exact=True)).to_be_checked()
    d.fill("Postcode", POSTCODE)
    d.check("Ik heb de privacyverklaring gelezen en ga akkoord")
    d.button("Account maken", d.page.get_by_role("main"))
    d.expect_status("Uw account is gemaakt")

    d.start("/")
    d.link("Hulp vragen", d.page.get_by_role("main"))
    expect(d.page.get_by_label("Telefoonnummer", exact=True)).to_have_value("06 23456789")
    d.select("Soort hulp", CATEGORY)
    d.fill("Korte omschrijving", TITLE)
    d.fill("Wat heeft u nodig?", "Wie brengt elke week mijn strijkgoed naar de wasserij?")
    d.check("Elke week")
    d.select("Dag van de week", "woensdag")
    d.fill("Straat en huisnummer", "Strijkweg 7")
    d.button("Aanvraag versturen")
    d.expect_status("Uw aanvraag is verstuurd")
    request_id = helpers.request_id_from_url(d.page)

    volunteer = _approve_and_accept(live_server, request_id)

    d = Driver(open_page(PHONE))
    helpers.login(d.page, volunteer)
    d.start("/matches/mine")
    d.link(TITLE, d.page.get_by_role("region", name="Waar u bij helpt"))
    card = d.page.get_by_role("region", name="Contactgegevens")
    expect(card).to_contain_text("Rita Rinkel")
    expect(card.get_by_role("link", name="06 23456789")).to_have_attribute(
        "href", "tel:+31623456789")
    expect(card.get_by_role("link", name=email)).to_have_attribute("href", f"mailto:{email}")
    expect(card).to_contain_text("Strijkweg 7")
    expect(card).not_to_contain_text("niet bekend")

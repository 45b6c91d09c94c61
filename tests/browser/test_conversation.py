"""Messages within a match, in real Chromium on a 360px phone: the volunteer writes, the
resident sees "1 nieuw bericht" on the match page, reads it (line breaks kept) and answers;
axe-core finds nothing on the messages page and nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.conftest import PASSWORD, PHONE, Account, LiveServer
from tests.browser.driver import Driver
from tests.browser.test_accessibility import AXE_SCRIPT, axe_violations

pytestmark = pytest.mark.browser

TITLE = "Lamp ophangen (gesprek)"


def _accepted_match(live_server: LiveServer) -> tuple[Account, Account, int]:
    """A resident's request that a volunteer accepted, built through the services. Returns
    (resident, volunteer, match id)."""
    from marketplace.extensions import db
    from marketplace.matches import lifecycle
    from marketplace.models import MatchStatus, RequestStatus, Role
    from tests import factories

    with live_server.app.app_context():
        resident = factories.user(Role.RESIDENT, email=helpers.unique_email("greet.gesprek."),
                                  name="Greet Gesprek", password=PASSWORD)
        help_request = factories.help_request(resident, status=RequestStatus.MATCHED,
                                              category_slug="klusjes", title=TITLE)
        volunteer = factories.volunteer(("klusjes",))
        volunteer.email = helpers.unique_email("wim.gesprek.")
        volunteer.name = "Wim Woord"
        volunteer.set_password(PASSWORD)
        match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.ACCEPTED, volunteer)
        db.session.commit()
        accounts = (Account(resident.email or "", PASSWORD, resident.name),
                    Account(volunteer.email, PASSWORD, volunteer.name), match.id)
        db.session.remove()
    return accounts


def test_volunteer_and_resident_exchange_a_message_on_a_phone(
    open_page: Any, live_server: LiveServer
) -> None:
    resident, volunteer, match_id = _accepted_match(live_server)
    page = open_page(PHONE)
    page.context.add_init_script(path=str(AXE_SCRIPT))
    d = Driver(page)
    helpers.login(d.page, volunteer)
    d.start(f"/matches/{match_id}")
    d.link("Berichten")
    d.expect_h1(f"Berichten over: {TITLE}")
    assert axe_violations(d.page) == []
    d.fill("Uw bericht", "Goedemiddag!\nIk kom zaterdag om tien uur.", exact=True)
    d.button("Versturen")
    d.expect_status("Uw bericht is verstuurd.")
    helpers.logout(d.page)

    helpers.login(d.page, resident)
    d.start(f"/matches/{match_id}")
    d.link("Berichten (1 nieuw bericht)")
    conversation = d.page.get_by_role("region", name="Gesprek")
    expect(conversation).to_contain_text("Wim Woord")
    expect(conversation.locator("li p").nth(1)).to_have_text(
        "Goedemiddag!\nIk kom zaterdag om tien uur.", use_inner_text=True)
    d.fill("Uw bericht", "Fijn, tot zaterdag.", exact=True)
    d.button("Versturen")
    d.expect_status("Uw bericht is verstuurd.")
    expect(d.page.get_by_role("region", name="Gesprek")).to_contain_text("Fijn, tot zaterdag.")
    assert axe_violations(d.page) == []

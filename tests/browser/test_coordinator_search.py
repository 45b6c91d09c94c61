"""The coordinator on the phone, in real Chromium: a resident calls, the coordinator types the
number as the caller says it into the back office's search box, finds the person and their
request and opens it; then sees that the queue shows only their own neighbourhood, and clears
that filter to see every request that waits."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.conftest import LiveServer
from tests.browser.driver import Driver
from tests.browser.test_accessibility import AXE_SCRIPT, axe_violations

pytestmark = pytest.mark.browser

CALLER = "Wilma Bellefleur"


def no_axe_violations(page: Any) -> None:
    page.evaluate(AXE_SCRIPT.read_text())
    assert axe_violations(page) == [], page.url


def a_resident_who_phones(live_server: LiveServer) -> int:
    """A resident in Oost (not the coordinator's Centrum) whose request waits for approval,
    entered as the desk would have it; returns the request's number."""
    from datetime import timedelta

    from marketplace.extensions import db
    from marketplace.geo import neighbourhood_for_pc4
    from marketplace.models import Category, HelpRequest, RequestStatus, Role, User
    from marketplace.requests.lifecycle import record_creation
    from marketplace.vocabulary import local_today

    with live_server.app.app_context():
        resident = User(name=CALLER, phone="+31647110815", postcode="1212 AB",
                        address="Bosweg 3")
        resident.add_role(Role.RESIDENT)
        category = db.session.scalars(db.select(Category).order_by(Category.position)).first()
        help_request = HelpRequest(
            requester=resident, created_by=resident, category=category,
            title="Hulp met de vuilnisbakken", description="De bakken aan de straat zetten.",
            date_start=local_today() + timedelta(days=10), part_of_day="morning",
            postcode="1212 AB", address="Bosweg 3", latitude=52.22, longitude=5.19,
            neighbourhood=neighbourhood_for_pc4("1212"), urgency=3, consent_given=True,
            status=RequestStatus.SUBMITTED,
        )
        db.session.add(help_request)
        record_creation(help_request, resident)
        db.session.commit()
        number = help_request.id
        db.session.remove()
    return number


def test_a_coordinator_finds_a_caller_by_phone_and_clears_the_queue_filter(
    phone_page: Any, live_server: LiveServer
) -> None:
    """On a 360px screen: every page on the way must fit without sideways scrolling."""
    page = phone_page
    number = a_resident_who_phones(live_server)
    d = Driver(page)
    helpers.login(page, live_server.coordinator)
    d.start("/staff/")

    # The caller gives the number the way people say it.
    d.fill("Zoeken op naam, telefoon, postcode, e-mail of aanvraagnummer", "06-4711 0815")
    d.button("Zoeken", page.get_by_role("search"))
    people = page.get_by_role("region", name="Personen")
    requests = page.get_by_role("region", name="Aanvragen")
    expect(people.get_by_role("link", name=CALLER)).to_be_visible()
    title = f"#{number} Hulp met de vuilnisbakken"
    expect(requests.get_by_role("link", name=title)).to_be_visible()
    no_axe_violations(page)

    d.link(CALLER, people)
    d.expect_h1(CALLER)
    no_axe_violations(page)
    d.link(title)
    d.expect_h1("Hulp met de vuilnisbakken")
    expect(page.get_by_text("Zo snel mogelijk")).to_be_visible()  # urgency in words

    # The queue opens on the coordinator's own neighbourhood, and says so.
    d.start("/staff/queue")
    active = page.locator("#active-filter")
    expect(active).to_contain_text("Wijk Centrum (uw eigen wijk)")
    expect(active).to_contain_text("U ziet standaard alleen uw eigen wijk.")
    expect(page.get_by_role("link", name="Hulp met de vuilnisbakken")).to_have_count(0)
    no_axe_violations(page)
    d.link("Filter wissen: alles tonen", active)
    expect(page.locator("#active-filter")).not_to_contain_text("uw eigen wijk")
    expect(page.get_by_role("link", name="Hulp met de vuilnisbakken")).to_be_visible()

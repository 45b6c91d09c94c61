"""A coordinator's follow-up tasks, in real Chromium on a 360px phone: the dashboard counts
an overdue task, the list (axe 0) shows it as late, and the coordinator closes it with an
outcome; the task then leaves the list."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.conftest import LiveServer
from tests.browser.driver import Driver
from tests.browser.test_accessibility import AXE_SCRIPT, axe_violations

pytestmark = pytest.mark.browser

RESIDENT = "Greetje Overdue"


def no_axe_violations(page: Any) -> None:
    page.evaluate(AXE_SCRIPT.read_text())
    assert axe_violations(page) == [], page.url


def an_overdue_task(live_server: LiveServer) -> None:
    """An overdue task about a resident of the coordinator's neighbourhood (Centrum)."""
    from datetime import timedelta

    from marketplace.extensions import db
    from marketplace.geo import neighbourhood_for_pc4
    from marketplace.models import Role, User
    from marketplace.tasks.services import open_task
    from marketplace.vocabulary import TaskKind, local_today

    with live_server.app.app_context():
        centrum = neighbourhood_for_pc4("1211")
        resident = User(name=RESIDENT, phone="+31612345678", postcode="1211 AB",
                        neighbourhood=centrum)
        resident.add_role(Role.RESIDENT)
        db.session.add(resident)
        db.session.flush()
        open_task(TaskKind.UNCONFIRMED, key="browser:unconfirmed", person=resident,
                  due_on=local_today() - timedelta(days=2), neighbourhood_id=centrum.id,
                  params={"day": (local_today() - timedelta(days=9)).isoformat()})
        db.session.commit()
        db.session.remove()


def test_a_coordinator_closes_an_overdue_task_on_a_phone(
    phone_page: Any, live_server: LiveServer
) -> None:
    page = phone_page
    an_overdue_task(live_server)
    d = Driver(page)
    helpers.login(page, live_server.coordinator)
    d.start("/staff/")
    expect(page.get_by_role("link", name="1 te laat")).to_be_visible()
    d.link("Taken na de hulp en waakvlam")
    d.expect_h1("Taken")
    expect(page.locator("#active-filter")).to_contain_text("U ziet standaard alleen uw eigen wijk.")
    row = page.get_by_role("row").filter(has_text=RESIDENT)
    expect(row).to_contain_text("Te laat")
    no_axe_violations(page)

    d.link("Hulp niet bevestigd", row)
    d.expect_h1("Hulp niet bevestigd")
    expect(page.get_by_role("link", name=RESIDENT)).to_be_visible()
    no_axe_violations(page)
    d.button("Afronden")  # nothing typed: told, nothing lost
    expect(page.get_by_role("alert")).to_contain_text("Schrijf in een zin wat er is gebeurd.")
    d.fill("Wat is er gebeurd?", "Gebeld: de hulp is gegeven, bevestiging vergeten.")
    d.button("Afronden")
    d.expect_status("De taak is afgerond.")
    d.expect_h1("Taken")
    expect(page.get_by_role("row").filter(has_text=RESIDENT)).to_have_count(0)
    no_axe_violations(page)

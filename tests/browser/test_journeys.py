"""The journeys, step by step as new users take them, in real Chromium.

No shortcuts through the database: residents and volunteers register through the pages;
only staff accounts (which nobody can create through the public pages) come from setup.
Journeys 1-4 are one story told in order; each test plays the earlier steps if they have
not been played yet, so any single test also runs on its own.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser import story as s
from tests.browser.conftest import LiveServer
from tests.browser.driver import Driver

pytestmark = pytest.mark.browser

def test_1_resident_registers_and_asks_for_shopping_help(story_for: Any) -> None:
    s.tell(story_for("muis"), s.resident_posts_request)


def test_2_coordinator_approves_runs_a_round_and_approves_the_proposal(story_for: Any) -> None:
    s.tell(story_for("muis"), s.coordinator_matches)


def test_3_volunteer_accepts_and_then_sees_the_contact_details(story_for: Any) -> None:
    s.tell(story_for("muis"), s.volunteer_accepts)


def test_4_weekly_help_a_visit_noted_stopped_and_reviewed(story_for: Any) -> None:
    s.tell(story_for("muis"), s.both_confirm_and_review)


def _resident_fields(d: Driver, name: str, phone: str) -> None:
    d.fill("Naam van de bewoner", name)
    d.fill("Telefoonnummer van de bewoner", phone)


def _request_fields(d: Driver, category: str, title: str, postcode: str) -> None:
    d.select("Soort hulp", category)
    d.fill("Korte omschrijving", title)
    d.fill("Wat heeft u nodig?", "Mevrouw heeft op dinsdag een afspraak in het ziekenhuis.")
    d.check("Eén keer, op een vaste dag")
    d.fill("Datum (of begindatum)", (date.today() + timedelta(days=20)).isoformat())
    d.fill("Postcode", postcode)
    d.fill("Straat en huisnummer", "Stationsstraat 3")


def test_5a_coordinator_enters_a_request_for_a_resident_who_phones_in(
    open_page: Any, live_server: LiveServer
) -> None:
    d = Driver(open_page())
    s.log_in(d, live_server.coordinator)
    d.nav("Back office")
    d.link("Intake: aanvraag invoeren voor een bewoner")
    d.expect_h1("Intake")
    helpers.shot(d.page, "intake-sheet")
    d.button("Aanvraag vastleggen")  # empty: errors summarised on top and linked to fields
    summary = d.page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    name_field = d.page.get_by_label("Naam van de bewoner")
    expect(name_field).to_have_attribute("aria-invalid", "true")
    described = name_field.get_attribute("aria-describedby") or ""
    assert described
    assert d.page.locator(f"#{described.split()[-1]}").is_visible()
    summary.get_by_role("link").first.click()
    _resident_fields(d, "Meneer Jansen (belt)", "035 987 65 43")
    _request_fields(d, "Vervoer of mee naar een afspraak", "Mee naar het ziekenhuis", "1214 AB")
    d.check("De bewoner geeft toestemming om deze gegevens vast te leggen.")
    d.button("Aanvraag vastleggen")
    d.expect_status("De aanvraag is vastgelegd")
    d.expect_h1("Mee naar het ziekenhuis")
    contact = d.page.get_by_role("region", name="Contactgegevens")
    expect(contact).to_contain_text("Meneer Jansen (belt)")
    expect(contact).to_contain_text("geen")  # no e-mail address
    d.page.emulate_media(media="print")
    expect(d.page.locator(".site-header")).to_be_hidden()
    d.page.emulate_media(media="screen")


# 5b, the referrer's journey, is tests/browser/test_referrer.py.


def test_6a_the_main_journey_with_the_keyboard_only(story_for: Any) -> None:
    s.tell(story_for("toetsenbord"), s.both_confirm_and_review)


def test_6b_the_main_journey_on_a_phone(story_for: Any) -> None:
    s.tell(story_for("telefoon"), s.both_confirm_and_review)


def test_skip_link_moves_focus_to_the_content(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_language_switch_shows_english(page: Any) -> None:
    page.goto("/hulp-bij-nood")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text("0800 2000")

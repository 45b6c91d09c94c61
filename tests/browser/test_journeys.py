"""The main journeys, step by step as new users take them, in real Chromium.

No shortcuts through the database: residents and volunteers register through the pages;
only staff accounts (which nobody can create through the public pages) come from setup.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def post_shopping_request(page: Any, title: str = "Boodschappen bij de Albert Heijn") -> None:
    """On the 'Hulp vragen' form: a one-off shopping request in Centrum."""
    page.get_by_label("Soort hulp").select_option(label="Boodschappen")
    page.get_by_label("Korte omschrijving").fill(title)
    page.get_by_label("Wat heeft u nodig?").fill(
        "Ik kan slecht lopen. Wie haalt op vrijdag mijn boodschappen? Het lijstje ligt klaar."
    )
    page.get_by_label("Elke week").check()
    page.get_by_label("Dag van de week").select_option(label="vrijdag")
    page.get_by_label("Straat en huisnummer").fill("Kerkstraat 12")
    page.get_by_role("button", name="Aanvraag versturen").click()


def test_1_resident_registers_and_posts_a_shopping_request(
    page: Any, live_server: LiveServer
) -> None:
    page.goto("/")
    helpers.shot(page, "home")
    helpers.register(page, "Annie de Vries", helpers.unique_email("annie"), "1211 AB")
    page.goto("/")
    page.get_by_role("link", name="Hulp vragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hulp vragen")
    helpers.shot(page, "new-request")
    post_shopping_request(page)
    expect(page.get_by_role("status")).to_contain_text("Uw aanvraag is verstuurd")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boodschappen bij de Albert Heijn")
    expect(page.get_by_text("Wacht op goedkeuring").first).to_be_visible()
    helpers.nav(page, "Mijn aanvragen")
    card = page.locator(".request-card", has_text="Boodschappen bij de Albert Heijn")
    expect(card).to_contain_text("Wacht op goedkeuring")
    helpers.shot(page, "my-requests")

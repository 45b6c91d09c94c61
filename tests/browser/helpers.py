"""Steps a person takes in the browser, written once and shared by the journeys."""

from __future__ import annotations

import itertools
import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, SCREENSHOTS, Account

_counter = itertools.count(1)


def unique_email(prefix: str) -> str:
    return f"{prefix}{next(_counter)}@voorbeeld.nl"


def register(page: Any, name: str, email: str, postcode: str, volunteer: bool = False) -> Account:
    """Create an account through the registration form; returns the account."""
    page.goto("/")
    page.get_by_role("link", name="Account maken").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account maken")
    page.get_by_label("Uw naam").fill(name)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_label("Postcode").fill(postcode)
    if volunteer:
        page.get_by_label("Ik wil ook helpen als vrijwilliger").check()
    page.get_by_label("Ik heb de privacyverklaring gelezen en ga akkoord").check()
    page.get_by_role("button", name="Account maken").click()
    expect(page.get_by_role("status")).to_contain_text("Uw account is gemaakt")
    return Account(email, PASSWORD, name)


def login(page: Any, account: Account) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inloggen").click()
    page.get_by_label("E-mailadres").fill(account.email)
    page.get_by_label("Wachtwoord", exact=True).fill(account.password)
    page.get_by_role("main").get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("status")).to_contain_text("U bent ingelogd")


def logout(page: Any) -> None:
    page.get_by_role("button", name="Uitloggen", exact=True).click()  # not "Overal uitloggen"
    expect(page.get_by_role("status")).to_contain_text("U bent uitgelogd")


def nav(page: Any, name: str) -> None:
    """Follow a link in the main menu."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name).click()


def shot(page: Any, name: str, full_page: bool = False) -> None:
    """Save a screenshot (for the README with ``make screenshots``, see conftest)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    suffix = "phone" if width and width <= 480 else "desktop"
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{suffix}.png"), full_page=full_page)


def request_id_from_url(page: Any) -> int:
    match = re.search(r"/(\d+)(?:/|$|\?)", page.url)
    assert match, page.url
    return int(match.group(1))

"""Remember me and logging out, in real Chromium: after "Uitloggen" the browser is logged out
for good (the remember-me cookie is gone), and "Overal uitloggen" ends the login on another
device that was kept by its remember-me cookie."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.conftest import LiveServer, new_page

pytestmark = pytest.mark.browser

REMEMBER = "remember_token"


def remember_cookie(page: Any) -> dict[str, Any] | None:
    return next((c for c in page.context.cookies() if c["name"] == REMEMBER), None)


def log_in_remembered(page: Any, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_label("Ingelogd blijven op deze computer").check()
    page.get_by_role("main").get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("status")).to_contain_text("U bent ingelogd")


def device_with(browser: Any, live_server: LiveServer, cookie: dict[str, Any]) -> Any:
    """Another browser (no session) that has only this remember-me cookie."""
    page = new_page(browser, live_server)
    page.context.add_cookies([cookie])
    return page


def expect_logged_out(page: Any) -> None:
    page.goto("/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def expect_logged_in(page: Any) -> None:
    page.goto("/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")


def test_remember_me_then_logout_and_log_out_everywhere(
    page: Any, browser: Any, live_server: LiveServer
) -> None:
    account = helpers.register(page, "Ria Remember", helpers.unique_email("onthoud"), "1211 AB")
    helpers.logout(page)

    log_in_remembered(page, account.email, account.password)
    cookie = remember_cookie(page)
    assert cookie is not None
    days = (cookie["expires"] - time.time()) / 86400
    assert 29 < days <= 30, f"the remember cookie lives {days:.1f} days"
    assert cookie["httpOnly"]

    # The same cookie on another device keeps that device logged in without a password.
    library = device_with(browser, live_server, cookie)
    phone = device_with(browser, live_server, cookie)
    try:
        expect_logged_in(library)
        expect_logged_in(phone)

        helpers.logout(page)  # here: logged out for good, the cookie is gone
        assert remember_cookie(page) is None
        expect_logged_out(page)
        expect_logged_in(library)  # a plain logout ends only this browser

        library.get_by_role("button", name="Overal uitloggen").click()
        expect(library.get_by_role("status")).to_contain_text("U bent nu overal uitgelogd")
        expect(library.get_by_role("heading", level=1)).to_have_text("Inloggen")
        assert remember_cookie(library) is None
        expect_logged_out(library)
        expect_logged_out(phone)  # its copy of the cookie no longer works
    finally:
        library.context.close()
        phone.context.close()

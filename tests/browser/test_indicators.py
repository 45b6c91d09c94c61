"""The municipality's policy officer, on a phone: logs in, lands on the figures, switches to
a half year, downloads the xlsx and opens it; the dashboard and the council report pass axe
and do not scroll sideways at 360 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, LiveServer
from tests.browser.driver import PAGE_WIDTH
from tests.browser.test_accessibility import AXE_SCRIPT, _describe, axe_violations

pytestmark = pytest.mark.browser

EMAIL = "beleid@gemeente-demo.nl"


def _municipality_account(live_server: LiveServer) -> None:
    from marketplace.extensions import db
    from marketplace.models import Role, User

    with live_server.app.app_context():
        if db.session.scalar(db.select(User).where(User.email == EMAIL)) is None:
            user = User(email=EMAIL, name="Gea Gemeente")
            user.set_password(PASSWORD)
            user.add_role(Role.MUNICIPALITY)
            db.session.add(user)
            db.session.commit()
        db.session.remove()


def _fits_and_passes_axe(page: Any, path: str) -> None:
    page.goto(path)
    scroll_width, width = page.evaluate(PAGE_WIDTH)
    assert scroll_width <= width, f"{path} scrolls sideways at {width}px: {scroll_width}"
    violations = axe_violations(page)
    assert not violations, _describe(path, violations)


def test_the_municipality_reads_a_half_year_and_downloads_it(
    phone_page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    _municipality_account(live_server)
    page = phone_page
    page.context.add_init_script(path=str(AXE_SCRIPT))
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Inloggen").click()
    # The landing page is the dashboard.
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers voor de gemeente")
    half_years = page.locator("#periode optgroup[label='Halfjaar'] option")
    previous = half_years.nth(1).get_attribute("value")
    page.get_by_label("Periode").select_option(previous)
    page.get_by_role("button", name="Cijfers tonen").click()
    expect(page.locator(".lead")).to_contain_text(f"cijfers {previous}")
    expect(page.get_by_role("heading", name="Aanvragen per soort hulp")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als Excel-bestand (xlsx)").click()
    assert download.value.suggested_filename == f"hulppunt-cijfers-{previous}.xlsx"
    saved = tmp_path / "cijfers.xlsx"
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert "Telregels" in book.sheetnames
    assert book[book.sheetnames[0]]["A1"].value == "Aanvragen per soort hulp"
    _fits_and_passes_axe(page, f"/indicators/?periode={previous}")
    _fits_and_passes_axe(page, f"/indicators/report?periode={previous}")
    # Nothing personal: the back office stays closed.
    assert page.request.get("/staff/", max_redirects=0).status == 403

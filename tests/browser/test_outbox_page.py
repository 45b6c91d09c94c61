"""The administrator's "Uitgaande berichten" on a phone, in real Chromium: a failed e-mail
with its long error fits 360 px (the table scrolls, the page does not), passes axe, and is
offered again with the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.conftest import LiveServer
from tests.browser.driver import PAGE_WIDTH
from tests.browser.test_accessibility import AXE_SCRIPT, axe_violations

pytestmark = pytest.mark.browser

#: What sticks out on the right, to say why a page scrolls sideways.
WIDEST = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 6)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def _failed_message(live_server: LiveServer) -> int:
    from marketplace.extensions import db
    from marketplace.models import OutboxMessage, OutboxStatus, utcnow

    with live_server.app.app_context():
        message = OutboxMessage(
            kind="email", status=OutboxStatus.FAILED, attempts=5, available_at=utcnow(),
            payload={"to": "iemand.met.een.lang.adres@voorbeeld-gemeente.nl",
                     "subject": "Uw aanvraag", "text": "Er is een vrijwilliger."},
            error="SMTPRecipientsRefused: {'iemand.met.een.lang.adres@voorbeeld-gemeente.nl': "
                  "(550, b'5.1.1 mailbox unavailable')}",
        )
        db.session.add(message)
        db.session.commit()
        number = message.id
        db.session.remove()
    return number


def test_a_failed_message_fits_a_phone_and_is_offered_again(
    phone_page: Any, live_server: LiveServer
) -> None:
    number = _failed_message(live_server)
    page = phone_page
    helpers.login(page, live_server.admin)
    page.goto("/admin/")
    page.get_by_role("link", name="Uitgaande berichten").click()
    page.wait_for_load_state("load")  # its stylesheets too: a busy machine may still load them
    expect(page.get_by_role("row").filter(has_text="mailbox unavailable")).to_have_count(1)
    scroll_width, width = page.evaluate(PAGE_WIDTH)
    wide = page.evaluate(WIDEST) if scroll_width > width else []
    assert scroll_width <= width, f"the page scrolls sideways ({scroll_width}px): {wide}"
    page.evaluate(AXE_SCRIPT.read_text())
    assert axe_violations(page) == []
    retry = page.get_by_role("button", name=f"Opnieuw aanbieden (bericht {number})")
    retry.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 bericht(en) opnieuw aangeboden")
    expect(page.get_by_text("Er is geen mislukt bericht.")).to_be_visible()

"""A resident corrects a request that waits for approval, then withdraws it after the
"are you sure?" page: on a 360px phone, in real Chromium, without any shortcut."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser import story as s
from tests.browser.conftest import PHONE
from tests.browser.driver import Driver

pytestmark = pytest.mark.browser


def test_resident_corrects_a_waiting_request_and_withdraws_it(open_page: Any) -> None:
    d = Driver(open_page(PHONE))
    s.register(d, "Wim Wijziger", helpers.unique_email("wim."), "1217 AB")
    d.start("/")
    d.link("Hulp vragen", d.page.get_by_role("main"))
    d.select("Soort hulp", "Tuin")
    d.fill("Korte omschrijving", "Heg knippen")
    d.fill("Wat heeft u nodig?", "De heg is te hoog voor mij.")
    d.check("Elke week")
    d.select("Dag van de week", "dinsdag")
    d.fill("Straat en huisnummer", "Lindelaan 4")
    d.button("Aanvraag versturen")
    d.expect_status("Uw aanvraag is verstuurd")

    d.link("Aanvraag wijzigen")
    d.expect_h1("Aanvraag wijzigen")
    expect(d.page.locator("#after-saving")).to_contain_text(
        "Een medewerker bekijkt uw aanvraag opnieuw")
    d.fill("Wat heeft u nodig?", "De heg en de struiken zijn te hoog voor mij.")
    d.button("Wijzigingen opslaan")
    d.expect_status("Een medewerker bekijkt hem opnieuw")
    expect(d.page.locator(".badge-submitted")).to_have_text("Wacht op goedkeuring")
    history = d.page.get_by_role("region", name="Geschiedenis")
    expect(history).to_contain_text("Gewijzigd door de bewoner: beschrijving")

    d.link("Aanvraag intrekken")
    d.expect_h1("Wilt u deze aanvraag intrekken?")
    expect(d.page.get_by_role("main")).to_contain_text("Dit kunt u niet ongedaan maken.")
    d.fill("Waarom trekt u de aanvraag in? (niet verplicht)", "Mijn buurman doet het al.")
    d.button("Ja, aanvraag intrekken")
    d.expect_status("De aanvraag is ingetrokken.")
    expect(d.page.locator(".badge-cancelled")).to_have_text("Ingetrokken")
    expect(d.page.get_by_role("link", name="Aanvraag intrekken")).to_have_count(0)
    expect(d.page.get_by_role("link", name="Aanvraag wijzigen")).to_have_count(0)

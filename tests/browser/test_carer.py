"""An informal carer on a 360px phone, in Dutch and English, axe at 0 on every page: the
self-check, registering as a carer, the overload check with support shown at once, asking for
respite; a coordinator of the carer's neighbourhood reads the history; a trained volunteer is
proposed for the respite and accepts."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from marketplace.extensions import db
from marketplace.models import HelpRequest, Role, User, VogStatus
from marketplace.vocabulary import SLOTS
from tests.browser import story as s
from tests.browser.conftest import PASSWORD, PHONE, Account, LiveServer
from tests.browser.driver import Driver
from tests.browser.helpers import unique_email
from tests.browser.test_accessibility import AXE_SCRIPT, axe_violations

pytestmark = pytest.mark.browser

POSTCODE = "1218 AB"  # Hilversum-Noord: no other browser story works there
AREAS = ("Zorgtaken", "Regelzaken", "Wonen en vervoer", "Geld", "Gevoel en contact",
         "Kennis van de ziekte", "Tijd voor uzelf", "Zorg combineren")


def _axe(d: Driver) -> None:
    violations = axe_violations(d.page)
    found = [(item["id"], [node["target"] for node in item["nodes"]]) for item in violations]
    assert found == [], d.page.url


def _self_check_and_register(d: Driver, name: str, email: str) -> None:
    d.start("/")
    d.link("Ben ik mantelzorger?")
    d.expect_h1("Ben ik mantelzorger?")
    _axe(d)
    d.check("Ja", exact=True)
    d.check("8 uur per week of meer")
    d.check("3 maanden of langer")
    d.button("Bekijk de uitkomst")
    expect(d.page.get_by_role("status")).to_contain_text("Ja, u bent mantelzorger.")
    expect(d.page.get_by_role("status")).to_contain_text("intensieve mantelzorg")
    _axe(d)
    d.link("Maak een account en meld u aan als mantelzorger")
    d.fill("Uw naam", name)
    d.fill("E-mailadres", email)
    d.fill("Kies een wachtwoord", PASSWORD)
    d.fill("Herhaal het wachtwoord", PASSWORD)
    d.fill("Postcode", POSTCODE)
    d.check("Ik heb de privacyverklaring gelezen en ga akkoord")
    d.button("Account maken", d.page.get_by_role("main"))
    d.expect_h1("Mijn mantelzorgprofiel")


def _profile(d: Driver) -> None:
    _axe(d)
    d.select("Voor wie zorgt u?", "Mijn partner")
    d.check("Wij wonen in hetzelfde huis")
    d.fill("Hoeveel uur per week zorgt u ongeveer?", "30")
    d.check("Persoonlijke verzorging (wassen, aankleden, eten)")
    d.check("Dementie")
    d.check("Ik geef toestemming om deze gegevens te bewaren")
    d.button("Opslaan")
    d.expect_status("Uw mantelzorgprofiel is opgeslagen.")
    _axe(d)


def _overload_check(d: Driver) -> None:
    d.link("De mantelzorgcheck doen: hoe zwaar is het?")
    d.expect_h1("Mantelzorgcheck")
    _axe(d)
    for area in AREAS:
        d.check("Zwaar", d.page.get_by_role("group", name=area), exact=True)
    felt = d.page.get_by_role("group", name="Hoe zwaar belast voelt u zich")
    d.check("Zeer zwaar belast", felt)
    d.button("Bekijk de uitkomst")
    d.expect_h1("Uitkomst van de mantelzorgcheck")
    expect(d.page.get_by_role("status")).to_contain_text("Zwaar belast")
    support = d.page.get_by_role("region", name="Welke steun er is")
    for offer in ("Respijtzorg", "Een maatje", "Praktische hulp", "Het Sociaal Plein"):
        expect(support).to_contain_text(offer)
    _axe(d)


def _ask_respite(d: Driver) -> None:
    d.link("Respijtzorg aanvragen", d.page.get_by_role("region", name="Welke steun er is"))
    d.expect_h1("Respijtzorg aanvragen")
    _axe(d)
    d.fill("Naam van wie u zorgt", "Kees")
    d.fill("Wat moet de vrijwilliger weten over deze persoon?", "Kees wandelt graag.")
    d.fill("Postcode van het adres waar de hulp is", POSTCODE)
    d.fill("Straat en huisnummer waar de hulp is", "Hoge Naarderweg 5")
    d.fill("Wat heeft u zelf nodig?", "Een middag zwemmen.")
    d.select("Op welke dag?", "maandag")
    d.check("middag", exact=True)
    d.button("Aanvraag versturen")
    d.expect_status("Uw aanvraag voor respijtzorg is verstuurd")
    _axe(d)


def _in_english(d: Driver) -> None:
    d.button("English")
    for path, heading in (("/mantelzorg/zelftest", "Am I a carer?"),
                          ("/mantelzorg/", "Informal care"),
                          ("/mantelzorg/check", "Carer check"),
                          ("/mantelzorg/respijt", "Ask for respite")):
        d.start(path)
        d.expect_h1(heading)
        _axe(d)
    d.start("/mantelzorg/")
    d.link(re.compile(r"\d"), d.page.get_by_role("region", name="Earlier checks"))
    d.expect_h1("Result of the carer check")
    expect(d.page.get_by_role("status")).to_contain_text("Heavily burdened")
    _axe(d)
    d.button("Nederlands")


def _trained_volunteer_and_round(server: LiveServer, carer_email: str) -> tuple[Account, Account]:
    """A coordinator approves the request and runs a round for Hilversum-Noord; a volunteer
    with a valid VOG and the respite training lives there. Returns (coordinator, volunteer)."""
    from marketplace import geo
    from marketplace.rounds import services as rounds
    from marketplace.staff import services as staff
    from tests import factories

    coordinator = Account(unique_email("coordinator.noord."), PASSWORD, "Noor Coördinator")
    volunteer = Account(unique_email("respijt."), PASSWORD, "Ria Respijt")
    with server.app.app_context():
        place = geo.locate(POSTCODE)
        noord = geo.neighbourhood_for_pc4(place.pc4)
        staff_user = User(email=coordinator.email, name=coordinator.name, neighbourhood=noord)
        staff_user.set_password(PASSWORD)
        staff_user.add_role(Role.COORDINATOR)
        db.session.add(staff_user)
        profile = factories.volunteer_profile(
            pc4="1217", skills=("respijtzorg",), availability=list(SLOTS), max_travel_km=10.0,
            latitude=place.latitude, longitude=place.longitude, postcode=POSTCODE,
            neighbourhood=noord, vog_status=VogStatus.VALID, training_verified=True)
        profile.user.email, profile.user.name = volunteer.email, volunteer.name
        profile.user.set_password(PASSWORD)
        carer = db.session.scalar(sa.select(User).where(User.email == carer_email))
        help_request = db.session.scalar(
            sa.select(HelpRequest).where(HelpRequest.requester_id == carer.id))
        staff.approve_request(staff_user, help_request)
        rounds.run_round(staff_user, noord.id, dry_run=False)
        db.session.commit()
        db.session.remove()
    return coordinator, volunteer


def _coordinator_reads_the_history(d: Driver, coordinator: Account, carer_name: str,
                                   server: LiveServer, carer_email: str) -> None:
    with server.app.app_context():
        carer_id = db.session.scalar(sa.select(User.id).where(User.email == carer_email))
        db.session.remove()
    s.log_in(d, coordinator)
    d.start(f"/staff/people/{carer_id}")
    d.link("Mantelzorg en mantelzorgchecks bekijken")
    d.expect_h1(f"Mantelzorg van {carer_name}")
    expect(d.page.get_by_role("region", name="Eerdere checks")).to_contain_text("Zwaar belast")
    _axe(d)


def _volunteer_accepts(d: Driver, volunteer: Account) -> None:
    s.log_in(d, volunteer)
    d.nav("Mijn hulp")
    card = d.page.get_by_role("region", name="Vragen aan u").locator(
        ".card", has_text="Even vrij van de zorg")
    expect(card).to_be_visible()
    d.link("Meer lezen", card)
    _axe(d)
    d.button("Ja, ik help")
    d.expect_status("U ziet nu de gegevens")


def test_a_carer_is_recognised_checked_and_relieved(open_page: Any,
                                                    live_server: LiveServer) -> None:
    page = open_page(PHONE)
    page.context.add_init_script(path=str(AXE_SCRIPT))
    d = Driver(page)
    name, email = "Marja Mantel", unique_email("marja.")
    _self_check_and_register(d, name, email)
    _profile(d)
    _overload_check(d)
    _ask_respite(d)
    _in_english(d)
    coordinator, volunteer = _trained_volunteer_and_round(live_server, email)
    staff_page = open_page(PHONE)
    staff_page.context.add_init_script(path=str(AXE_SCRIPT))
    _coordinator_reads_the_history(Driver(staff_page), coordinator, name, live_server, email)
    volunteer_page = open_page(PHONE)
    volunteer_page.context.add_init_script(path=str(AXE_SCRIPT))
    _volunteer_accepts(Driver(volunteer_page), volunteer)

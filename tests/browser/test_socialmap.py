"""The sociale kaart in real Chromium, on a 360px phone and without JavaScript: a member of
the public finds a service by words and neighbourhood, reads where and when, and suggests a
correction; the organisation's coordinator finds it waiting and approves it. axe finds
nothing on the way."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.conftest import PHONE, Account, LiveServer
from tests.browser.driver import Driver
from tests.browser.test_accessibility import AXE_SCRIPT, axe_violations

pytestmark = pytest.mark.browser

SERVICE = "Taalcafé in de bibliotheek"


def no_axe_violations(page: Any) -> None:
    page.evaluate(AXE_SCRIPT.read_text())
    assert axe_violations(page) == [], page.url


def published_services(live_server: LiveServer) -> Account:
    """Two services of one organisation (one in Oost, one in Centrum) and its coordinator."""
    from datetime import time

    from marketplace.extensions import db
    from marketplace.models import (
        Address,
        Location,
        MemberRole,
        Neighbourhood,
        Organisation,
        OrganisationMember,
        Role,
        Schedule,
        Service,
        ServiceArea,
        ServiceAtLocation,
        User,
        utcnow,
    )
    from marketplace.passwords import hash_password
    from marketplace.socialmap.taxonomy import ensure_taxonomy, term_by_code
    from tests.browser.conftest import PASSWORD

    with live_server.app.app_context():
        ensure_taxonomy()
        oost, centrum = (db.session.scalar(sa_select(Neighbourhood, name))
                         for name in ("Oost", "Centrum"))
        library = Organisation(name="Bibliotheek Gooi", description="De bibliotheek.")
        location = Location(name="Bibliotheek Oost", accessibility="Gelijkvloers, met lift.")
        location.addresses.append(Address(address_1="Larenseweg 30", postal_code="1212 AB",
                                          city="Hilversum"))
        at_location = ServiceAtLocation(location=location)
        wanted = Service(organisation=library, name=SERVICE, description="Nederlands oefenen.",
                         fees_description="Gratis", terms=[term_by_code("taal")],
                         areas=[ServiceArea(neighbourhood=oost, name="Oost")],
                         at_locations=[at_location])
        wanted.schedules.append(Schedule(byday="TU", opens_at=time(14), closes_at=time(16),
                                         service_at_location=at_location))
        other = Service(organisation=library, name="Taalcafé in het centrum",
                        areas=[ServiceArea(neighbourhood=centrum, name="Centrum")])
        coordinator = User(name="Bea Bibliotheek", email="bea@bibliotheek.example",
                           password_hash=hash_password(PASSWORD), email_confirmed_at=utcnow())
        coordinator.add_role(Role.ORGANISATION_COORDINATOR)
        db.session.add_all([wanted, other, coordinator])
        db.session.flush()
        db.session.add(OrganisationMember(organisation_id=library.id, user_id=coordinator.id,
                                          role=MemberRole.COORDINATOR))
        db.session.commit()
        account = Account(coordinator.email, PASSWORD, coordinator.name)
        db.session.remove()
    return account


def sa_select(model: Any, name: str) -> Any:
    import sqlalchemy as sa

    return sa.select(model).where(model.name == name)


def test_the_public_finds_a_service_and_suggests_a_correction(
    browser: Any, live_server: LiveServer
) -> None:
    coordinator = published_services(live_server)
    # Without JavaScript (axe needs it: checked below on the same pages with it on).
    context = browser.new_context(base_url=live_server.url, viewport=PHONE,
                                  java_script_enabled=False)
    page = context.new_page()
    d = Driver(page)
    try:
        d.start("/")
        d.link("Naar de sociale kaart")
        d.expect_h1("Sociale kaart")
        d.fill("Zoek op woorden", "TAALCAFE")
        d.select("Wijk", "Oost")
        d.button("Zoeken")
        expect(page.get_by_role("heading", level=2, name="1 dienst gevonden")).to_be_visible()
        expect(page.get_by_role("link", name="Taalcafé in het centrum")).to_have_count(0)
        d.link(SERVICE)
        d.expect_h1(SERVICE)
        expect(page.get_by_text("Dinsdag, 14:00 tot 16:00")).to_be_visible()
        expect(page.get_by_text("Gelijkvloers, met lift.")).to_be_visible()
        d.button("Correctie versturen")  # empty: told what to do, nothing lost
        expect(page.get_by_text("Schrijf op wat er niet klopt.").first).to_be_visible()
        d.fill("Wat klopt er niet?", "Het taalcafé is nu op woensdag.")
        d.button("Correctie versturen")
        d.expect_status("De organisatie kijkt uw correctie na.")
    finally:
        context.close()

    page = browser.new_page(base_url=live_server.url, viewport=PHONE)
    d = Driver(page)
    try:
        d.start("/sociale-kaart/?q=taalcafe")
        no_axe_violations(page)
        d.link(SERVICE)
        no_axe_violations(page)
        d.button("Correctie versturen")
        no_axe_violations(page)  # with the error summary
        helpers.login(page, coordinator)
        d.start("/sociale-kaart/")
        d.link("De gegevens van uw organisatie bijhouden")
        d.expect_h1("Mijn gegevens op de sociale kaart")
        expect(page.get_by_text("Het taalcafé is nu op woensdag.")).to_be_visible()
        no_axe_violations(page)
        d.link("Dienst aanpassen")
        d.expect_h1("Dienst aanpassen")
        no_axe_violations(page)
        d.start("/sociale-kaart/beheer")
        d.button("Goedkeuren")
        d.expect_status("De correctie is goedgekeurd.")
        expect(page.get_by_text("Er wachten geen correcties op u.")).to_be_visible()
    finally:
        page.close()


NEW_SERVICE = "Formulierenspreekuur Humanitas"
DEMO_ORGANISATION_COORDINATOR = "organisatie@demo.hulppunt.nl"
DEMO_PASSWORD = "hulppunt-demo"  # noqa: S105 - the documented demo password


def demo_organisation_coordinator(live_server: LiveServer) -> Account:
    """The demo's organisation coordinator (as ``marketplace.demo`` makes them) of Humanitas."""
    import sqlalchemy as sa

    from marketplace.extensions import db
    from marketplace.models import (
        MemberRole,
        Organisation,
        OrganisationMember,
        Role,
        User,
        utcnow,
    )
    from marketplace.passwords import hash_password
    from marketplace.socialmap.taxonomy import ensure_taxonomy

    with live_server.app.app_context():
        ensure_taxonomy()
        user = db.session.scalar(sa.select(User).where(User.email == DEMO_ORGANISATION_COORDINATOR))
        if user is None:
            # A name of its own: other browser tests on the same database make "Humanitas
            # Hilversum" (organisation names are unique).
            humanitas = Organisation(name="Humanitas Gooi", description="Thuisadministratie.")
            user = User(email=DEMO_ORGANISATION_COORDINATOR, name="Coördinator Humanitas",
                        password_hash=hash_password(DEMO_PASSWORD), email_confirmed_at=utcnow())
            user.add_role(Role.ORGANISATION_COORDINATOR)
            humanitas.members.append(OrganisationMember(user=user, role=MemberRole.COORDINATOR))
            db.session.add(humanitas)
            db.session.commit()
        account = Account(user.email, DEMO_PASSWORD, user.name)
        db.session.remove()
    return account


def type_time(d: Driver, label: str, value: str) -> None:
    """A time field with the keyboard: its parts are typed as digits (hours, minutes), and
    where the browser shows a 12-hour clock (it follows the system's language, not the
    page's) "A" or "P" for the last part."""
    field = d.page.get_by_label(label)
    d.tab_to(field)
    d.page.keyboard.type(value.replace(":", ""))
    if field.input_value() != value:
        d.page.keyboard.type("A" if int(value[:2]) < 12 else "P")
    expect(field).to_have_value(value)


def test_an_organisation_coordinator_creates_a_service_the_public_then_finds(
    browser: Any, live_server: LiveServer
) -> None:
    """Keyboard only, on a 360px phone: the demo's organisation coordinator adds a service
    (a refused first try keeps what was typed); then a member of the public, without
    JavaScript, finds it by words and neighbourhood. axe finds nothing on the way."""
    coordinator = demo_organisation_coordinator(live_server)
    page = browser.new_page(base_url=live_server.url, viewport=PHONE, locale="nl-NL")
    d = Driver(page, keyboard=True)
    try:
        helpers.login(page, coordinator)
        d.start("/sociale-kaart/beheer")
        d.link("Nieuwe dienst toevoegen")
        d.expect_h1("Nieuwe dienst")
        no_axe_violations(page)
        d.fill("Wat biedt u?", "Hulp bij formulieren van de gemeente en de belasting.")
        d.button("Dienst op de kaart zetten")  # no name yet: told, nothing lost
        expect(page.get_by_text("Geef de dienst een naam.").first).to_be_visible()
        expect(page.get_by_label("Wat biedt u?")).to_have_value(
            "Hulp bij formulieren van de gemeente en de belasting.")
        no_axe_violations(page)  # with the error summary
        d.fill("Naam van de dienst", NEW_SERVICE)
        d.fill("Voor wie is het?", "Iedereen in Hilversum")
        d.fill("Wat kost het?", "Gratis")
        d.check("Noordoost")
        d.fill("Straat en huisnummer", "Larenseweg 30")
        d.fill("Postcode", "1221 CM")
        d.fill("Plaats", "Hilversum")
        d.fill("Toegankelijkheid", "Gelijkvloers, met invalidentoilet.")
        d.check("dinsdag")
        type_time(d, "Open vanaf", "09:30")
        type_time(d, "Open tot", "12:00")
        d.fill("Naam of balie", "Servicepunt Humanitas")
        d.fill("Telefoonnummer", "035 123 4567")
        d.button("Dienst op de kaart zetten")
        d.expect_status("De dienst staat op de sociale kaart.")
        d.expect_h1(NEW_SERVICE)
        no_axe_violations(page)
    finally:
        page.close()

    context = browser.new_context(base_url=live_server.url, viewport=PHONE,
                                  java_script_enabled=False)
    page = context.new_page()
    d = Driver(page)
    try:
        d.start("/sociale-kaart/")
        d.fill("Zoek op woorden", "formulieren")
        d.select("Wijk", "Noordoost")
        d.button("Zoeken")
        expect(page.get_by_role("heading", level=2, name="1 dienst gevonden")).to_be_visible()
        d.link(NEW_SERVICE)
        d.expect_h1(NEW_SERVICE)
        expect(page.get_by_text("Dinsdag, 09:30 tot 12:00")).to_be_visible()
        expect(page.get_by_text("Gelijkvloers, met invalidentoilet.")).to_be_visible()
        expect(page.get_by_text("Servicepunt Humanitas")).to_be_visible()
    finally:
        context.close()
    page = browser.new_page(base_url=live_server.url, viewport=PHONE)
    try:
        page.goto("/sociale-kaart/?q=formulieren")
        no_axe_violations(page)
    finally:
        page.close()


def test_a_maintainer_changes_the_phone_and_the_contacts_of_a_service(
    browser: Any, live_server: LiveServer
) -> None:
    """On the edit page, at 360px: a phone number changed, a wrong one refused with the
    typed text kept, a contact added and another removed; the public page shows the result."""
    coordinator = demo_organisation_coordinator(live_server)
    page = browser.new_page(base_url=live_server.url, viewport=PHONE, locale="nl-NL")
    d = Driver(page)
    try:
        helpers.login(page, coordinator)
        d.start("/sociale-kaart/beheer/nieuw")
        d.fill("Naam van de dienst", "Belastingspreekuur")
        d.fill("Naam of balie", "Balie Humanitas")
        d.fill("Telefoonnummer", "035 123 4567")
        d.button("Dienst op de kaart zetten")
        d.expect_status("De dienst staat op de sociale kaart.")
        phones = page.locator("section", has=page.get_by_role("heading", name="Telefoonnummers"))
        card = phones.locator(".card").first
        d.fill("Telefoonnummer", "geen nummer", scope=card)
        d.button("Nummer opslaan", scope=card)
        expect(page.get_by_role("main")).to_contain_text("Controleer het formulier")
        no_axe_violations(page)  # the refused number, with its message
        d.fill("Telefoonnummer", "035 765 4321",
               scope=phones.locator(".card").first)
        d.button("Nummer opslaan", scope=phones.locator(".card").first)
        d.expect_status("Het telefoonnummer is opgeslagen.")
        contacts = page.locator("section", has=page.get_by_role("heading", name="Contacten"))
        d.fill("Naam of balie", "Spreekuur Kerkelanden", scope=contacts.locator("form").last)
        d.button("Contact toevoegen", scope=contacts)
        d.expect_status("Het contact is toegevoegd.")
        d.button("Balie Humanitas", scope=contacts)  # "Weghalen: Balie Humanitas"
        d.expect_status("Het contact is weggehaald.")
        no_axe_violations(page)
        d.link("Bekijk de dienst zoals bezoekers hem zien")
        main = page.get_by_role("main")
        expect(main).to_contain_text("Spreekuur Kerkelanden")
        expect(main).not_to_contain_text("Balie Humanitas")
        expect(main).to_contain_text("765 4321")
        expect(main).not_to_contain_text("123 4567")
    finally:
        page.close()

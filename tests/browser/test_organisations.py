"""A partner organisation's coordinator, on a 360px phone, receives a request the meldpunt
routed to the organisation (its coordinator took the personal details out first) and asks one
of its own volunteers, who accepts; the resident sees a volunteer was found (issue 17). A
request the organisation ignores comes back by itself. The pages pass axe and never scroll
sideways."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from marketplace.extensions import db
from marketplace.models import (
    HelpRequest,
    MemberRole,
    Organisation,
    OrganisationMember,
    OrganisationReferral,
    RequestStatus,
    Role,
    User,
    utcnow,
)
from marketplace.vocabulary import ReferralStatus
from tests import factories
from tests.browser import story as s
from tests.browser.conftest import PASSWORD, PHONE, Account, LiveServer
from tests.browser.driver import Driver
from tests.browser.test_accessibility import AXE_SCRIPT, axe_violations

pytestmark = pytest.mark.browser

TITLE = "Boodschappen voor meneer Smit"
TIDY_TITLE = "Boodschappen in het centrum"  # the coordinator took the name out
TIDY_TEXT = "Iemand die deze week de boodschappen haalt."


def _person(email: str, name: str, role: Role) -> User:
    user = factories.user(role, email=email, name=name, password=PASSWORD)
    return user


def _open_request(server: LiveServer) -> tuple[Account, Account, Account, int]:
    """Humanitas (Centrum, boodschappen) with its coordinator and a volunteer; an open
    request of a resident whose title and description name him."""
    with server.app.app_context():
        lead = _person("coordinator@humanitas.example", "Hanna Humanitas",
                       Role.ORGANISATION_COORDINATOR)
        resident = _person("smit@bewoner.example", "Jan Smit", Role.RESIDENT)
        helper = factories.volunteer()
        helper.email, helper.name = "vera@humanitas.example", "Vera Vrijwilliger"
        helper.set_password(PASSWORD)
        organisation = Organisation(name="Humanitas Hilversum")
        organisation.neighbourhoods = [factories.neighbourhood("Centrum")]
        organisation.categories = [factories.category("boodschappen")]
        organisation.members.extend([
            OrganisationMember(user=lead, role=MemberRole.COORDINATOR),
            OrganisationMember(user=helper, role=MemberRole.VOLUNTEER),
        ])
        db.session.add(organisation)
        help_request = factories.help_request(
            resident, status=RequestStatus.OPEN, title=TITLE, address="Marktplein 3",
            description="Meneer Smit kan na zijn heupoperatie niet zelf naar de winkel.")
        db.session.commit()
        request_id = help_request.id
        db.session.remove()
    return (Account("coordinator@humanitas.example", PASSWORD, "Hanna Humanitas"),
            Account("vera@humanitas.example", PASSWORD, "Vera Vrijwilliger"),
            Account("smit@bewoner.example", PASSWORD, "Jan Smit"), request_id)


def _axe(d: Driver) -> None:
    d.page.evaluate(AXE_SCRIPT.read_text())
    assert axe_violations(d.page) == []


def _meldpunt_routes(d: Driver, server: LiveServer, request_id: int) -> None:
    """The meldpunt's coordinator takes the personal details out and routes the request."""
    s.log_in(d, server.coordinator)
    d.start(f"/staff/requests/{request_id}")
    d.link("Naar een partnerorganisatie sturen")
    d.expect_h1("Naar een partnerorganisatie sturen")
    expect(d.page.locator(".notice-warning")).to_contain_text(
        "Daarin mogen geen naam, adres of gegevens over gezondheid staan.")
    _axe(d)
    d.select("Organisatie", "Humanitas Hilversum (past bij deze aanvraag)", exact=True)
    d.fill("Korte omschrijving", TIDY_TITLE, exact=True)
    d.fill("Beschrijving", TIDY_TEXT, exact=True)
    d.fill("Toelichting voor de organisatie", "Graag deze week")
    d.button("Naar de organisatie sturen")
    d.expect_status("De aanvraag is naar de organisatie gestuurd")
    expect(d.page.get_by_role("main")).to_contain_text("wacht al op Humanitas Hilversum")
    d.button("Uitloggen", exact=True)


def test_the_organisation_assigns_its_volunteer_who_accepts(
    open_page: Any, live_server: LiveServer
) -> None:
    lead, helper, resident, request_id = _open_request(live_server)
    d = Driver(open_page(PHONE))
    _meldpunt_routes(d, live_server, request_id)

    s.log_in(d, lead)
    d.nav("Mijn organisatie")
    d.expect_h1("Mijn organisatie")
    waiting = d.page.get_by_role("region", name="Aanvragen die op u wachten")
    expect(waiting).to_contain_text(TIDY_TITLE)
    _axe(d)
    d.link(TIDY_TITLE, waiting)
    d.expect_h1(TIDY_TITLE)
    main = d.page.get_by_role("main")
    expect(main).to_contain_text("Graag deze week")
    expect(main).to_contain_text(TIDY_TEXT)
    expect(main).to_contain_text("Deel deze tekst niet buiten uw organisatie.")
    for private in ("Marktplein 3", "Smit", "heupoperatie"):
        expect(main).not_to_contain_text(private)
    _axe(d)
    d.button("Deze vrijwilliger vragen")  # nothing chosen: told so, nothing lost
    expect(d.page.get_by_role("alert")).to_contain_text("Kies een vrijwilliger")
    d.check("Vera Vrijwilliger")
    d.button("Deze vrijwilliger vragen")
    d.expect_status("De vrijwilliger is gevraagd")
    expect(d.page.get_by_role("region", name="Eerder afgehandeld")).to_contain_text(
        "Vrijwilliger gevraagd")
    d.button("Uitloggen", exact=True)

    s.log_in(d, helper)
    d.nav("Mijn hulp")
    card = d.page.get_by_role("region", name="Vragen aan u").locator(".card", has_text=TIDY_TITLE)
    expect(card).to_be_visible()
    d.button("Ja, ik help", card)
    d.expect_status("U ziet nu de gegevens")
    expect(d.page.get_by_role("region", name="Contactgegevens")).to_contain_text("Marktplein 3")
    d.button("Uitloggen", exact=True)

    s.log_in(d, resident)  # the resident's own page: a volunteer was found
    d.start(f"/requests/{request_id}")
    d.expect_h1(TIDY_TITLE)
    expect(d.page.get_by_role("main")).to_contain_text("Vrijwilliger gevonden")
    _axe(d)

    with live_server.app.app_context():
        referral = db.session.scalar(sa.select(OrganisationReferral).where(
            OrganisationReferral.help_request_id == request_id))
        assert referral is not None
        assert referral.status == ReferralStatus.ASSIGNED
        assert db.session.get(HelpRequest, request_id).status == RequestStatus.MATCHED
        db.session.remove()


def test_a_routed_request_the_organisation_ignores_comes_back_by_itself(
    open_page: Any, live_server: LiveServer
) -> None:
    from marketplace.notifications import schedule

    with live_server.app.app_context():
        organisation = Organisation(name="Stichting Present Hilversum")
        lead = _person("coordinator@present.example", "Piet Present",
                       Role.ORGANISATION_COORDINATOR)
        organisation.members.append(OrganisationMember(user=lead, role=MemberRole.COORDINATOR))
        db.session.add(organisation)
        help_request = factories.help_request(status=RequestStatus.OPEN,
                                               title="Heg knippen bij mevrouw Vos")
        db.session.commit()
        request_id = help_request.id
        db.session.remove()
    d = Driver(open_page(PHONE))
    s.log_in(d, live_server.coordinator)
    d.start(f"/staff/requests/{request_id}")
    d.link("Naar een partnerorganisatie sturen")
    d.expect_h1("Naar een partnerorganisatie sturen")
    _axe(d)
    d.select("Organisatie", "Stichting Present Hilversum", exact=True)
    d.fill("Toelichting voor de organisatie", "Graag voor het weekend")
    d.button("Naar de organisatie sturen")
    d.expect_status("De aanvraag is naar de organisatie gestuurd")
    expect(d.page.get_by_role("main")).to_contain_text("wacht al op Stichting Present")

    with live_server.app.app_context():  # nobody at Present answers: three days later
        assert schedule.return_overdue_referrals(utcnow() + timedelta(hours=73)) == 1
        db.session.remove()
    d.page.reload()
    main = d.page.get_by_role("main")
    expect(main).to_contain_text("Stichting Present Hilversum: Niet op tijd beantwoord")
    expect(main.get_by_role("link", name="Naar een partnerorganisatie sturen")).to_be_visible()
    d.nav("Meldingen")
    expect(d.page.get_by_role("main")).to_contain_text(
        "Aanvraag terug van Stichting Present Hilversum")
    _axe(d)

"""A maintainer puts a new service on the sociale kaart: organisation coordinators for their
own organisation only, the meldpunt's coordinators and administrator for any. The new service
is public at once, findable, and its HSDS answer validates."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from marketplace.hsds import schemas
from marketplace.models import AuditEntry, Role, Service, ServiceStatus
from marketplace.socialmap.taxonomy import term_by_code
from marketplace.vocabulary import local_today
from tests import factories
from tests.socialmap import helpers

URL = "/sociale-kaart/beheer/nieuw"


@pytest.fixture
def world(db):
    humanitas = helpers.organisation("Humanitas Hilversum")
    present = helpers.organisation("Stichting Present Hilversum")
    result = {
        "humanitas": humanitas,
        "present": present,
        "coordinator": helpers.coordinator_of(humanitas),
        "other_coordinator": helpers.coordinator_of(present),
        "meldpunt": factories.user(Role.COORDINATOR),
        "admin": factories.user(Role.ADMIN),
        "resident": factories.user(),
    }
    helpers.service(humanitas, "Bestaande dienst")  # the taxonomy is there
    db.session.commit()
    return result


def complete(organisation_id: int, **changes: Any) -> dict[str, Any]:
    """Every part of the form filled in as a maintainer would."""
    oost = factories.neighbourhood("Oost")
    data: dict[str, Any] = {
        "organisation": str(organisation_id), "name": "Formulierenhulp op dinsdag",
        "description": "Wij helpen met formulieren van de gemeente.",
        "eligibility_description": "Iedereen in Hilversum", "fees_description": "Gratis",
        "application_process": "Kom langs of bel", "url": "https://humanitas.example/hulp",
        "email": "hulp@humanitas.example",
        "terms": [str(term_by_code("administratie-geld").id)], "neighbourhoods": [str(oost.id)],
        "location-name": "Buurthuis De Geus", "location-address_1": "Larenseweg 30",
        "location-postal_code": "1221 CM", "location-city": "Hilversum",
        "location-transportation": "Bus 2", "location-accessibility": "Gelijkvloers",
        "hours-days": ["TU"], "hours-opens_at": "09:30", "hours-closes_at": "12:00",
        "hours-notes": "", "contact-name": "Servicepunt", "contact-title": "",
        "contact-department": "", "contact-email": "servicepunt@humanitas.example",
        "phone-number": "035 123 4567", "phone-type": "voice", "phone-description": "",
    }
    data.update(changes)
    return data


def _new(db) -> Service | None:
    return db.session.scalar(sa.select(Service).where(
        Service.name == "Formulierenhulp op dinsdag"))


def test_coordinator_creates_a_complete_service_that_is_public_and_valid_hsds(
    client, login, world, db,
) -> None:
    login(world["coordinator"])
    response = client.post(URL, data=complete(world["humanitas"].id))
    assert response.status_code == 303
    service = _new(db)
    assert service is not None
    assert response.headers["Location"].endswith(f"/sociale-kaart/beheer/dienst/{service.uuid}")
    assert service.organisation_id == world["humanitas"].id
    assert service.status == ServiceStatus.ACTIVE
    assert service.last_checked_on == local_today()
    assert [area.name for area in service.areas] == ["Oost"]
    assert service.at_locations[0].location.addresses[0].address_1 == "Larenseweg 30"
    assert service.schedules[0].byday == "TU"
    assert service.schedules[0].service_at_location is service.at_locations[0]
    assert service.contacts[0].name == "Servicepunt"
    assert service.phones[0].number == "+31351234567"
    assert "socialmap.service_created" in set(db.session.scalars(sa.select(AuditEntry.action)))
    oost = factories.neighbourhood("Oost")
    page = client.get(f"/sociale-kaart/?q=formulieren&wijk={oost.id}").get_data(as_text=True)
    assert "Formulierenhulp op dinsdag" in page
    body = client.get(f"/api/hsds/services/{service.uuid}").get_json()
    assert schemas.errors("service", body) == []
    for name in ("id", "organization_id", "name", "description", "url", "email", "status",
                 "eligibility_description"):  # HSDS core fields
        assert body[name], name
    assert body["assured_date"] == local_today().isoformat()
    assert body["contacts"][0]["email"] == "servicepunt@humanitas.example"
    listed = client.get("/api/hsds/services?full=true").get_json()
    assert not list(schemas.page_validator("service").iter_errors(listed))
    assert "Formulierenhulp op dinsdag" in {item["name"] for item in listed["contents"]}


def test_only_the_name_and_organisation_are_needed(client, login, world, db) -> None:
    login(world["coordinator"])
    response = client.post(URL, data={"organisation": str(world["humanitas"].id),
                                      "name": "Formulierenhulp op dinsdag",
                                      "phone-type": "voice"})
    assert response.status_code == 303
    service = _new(db)
    assert service is not None
    assert (service.at_locations, service.schedules, service.contacts, service.phones) == (
        [], [], [], [])


def test_the_page_offers_only_the_users_own_organisations(client, login, world) -> None:
    login(world["coordinator"])
    page = client.get(URL).get_data(as_text=True)
    assert "Humanitas Hilversum" in page
    assert "Stichting Present Hilversum" not in page
    login(world["meldpunt"])
    page = client.get(URL).get_data(as_text=True)
    assert "Humanitas Hilversum" in page
    assert "Stichting Present Hilversum" in page


def test_an_organisation_coordinator_cannot_create_for_another_organisation(
    client, login, world, db,
) -> None:
    login(world["coordinator"])
    response = client.post(URL, data=complete(world["present"].id))
    assert response.status_code == 403
    assert client.post(URL, data=complete(987654)).status_code == 404
    # Beyond every id a row can have (PostgreSQL's integer): unknown too, not a 500.
    assert client.post(URL, data=complete(2**31)).status_code == 404
    assert _new(db) is None


@pytest.mark.parametrize("kind", ["meldpunt", "admin"])
def test_meldpunt_coordinators_and_admin_create_for_any_organisation(
    client, login, world, db, kind: str,
) -> None:
    login(world[kind])
    assert client.post(URL, data=complete(world["present"].id)).status_code == 303
    service = _new(db)
    assert service is not None
    assert service.organisation_id == world["present"].id


def test_others_may_not_create(client, login, world) -> None:
    assert client.get(URL).status_code == 302  # to the login page
    login(world["resident"])
    assert client.get(URL).status_code == 403
    assert client.post(URL, data=complete(world["humanitas"].id)).status_code == 403


def test_bad_input_is_explained_in_dutch_and_nothing_typed_is_lost(
    client, login, world, db,
) -> None:
    login(world["coordinator"])
    response = client.post(URL, data=complete(
        world["humanitas"].id, name="", url="ftp://x", **{
            "location-city": "", "hours-closes_at": "08:00", "phone-number": "12ab",
            "contact-name": "", "contact-email": "geen-adres"}))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    for message in ("Geef de dienst een naam.", "Een website begint met https://",
                    "Vul de plaats in.", "De sluitingstijd moet na de openingstijd liggen.",
                    "Vul een naam, functie of afdeling in.", "Dit e-mailadres klopt niet.",
                    "Gebruik alleen cijfers in het telefoonnummer"):
        assert message in text, message
    for typed in ("Wij helpen met formulieren van de gemeente.", "Larenseweg 30", "12ab",
                  "geen-adres", "Iedereen in Hilversum"):
        assert typed in text, typed
    assert re.search(r'<input checked[^>]*value="TU"', text)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 1


def test_optional_parts_are_not_marked_required(client, login, world) -> None:
    login(world["coordinator"])
    text = client.get(URL).get_data(as_text=True)
    assert re.search(r'<input[^>]*id="name"[^>]*required', text)
    for optional in ("location-address_1", "hours-days-0", "phone-number"):
        tag = re.search(rf'<input[^>]*id="{optional}"[^>]*>', text)
        assert tag is not None, optional
        assert "required" not in tag.group(0), optional


def test_the_maintainers_page_links_to_the_new_service_form(client, login, world) -> None:
    login(world["coordinator"])
    page = client.get("/sociale-kaart/beheer").get_data(as_text=True)
    assert f'href="{URL}"' in page

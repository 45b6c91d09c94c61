"""Contacts and phone numbers of a service: added, changed and removed by its maintainers
only; bad input explained and kept; the API shows them and validates."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.hsds import schemas
from marketplace.models import Contact, Phone, Role
from tests import factories
from tests.socialmap import helpers


@pytest.fixture
def world(db):
    humanitas = helpers.organisation("Humanitas Hilversum")
    present = helpers.organisation("Stichting Present Hilversum")
    own = helpers.service(humanitas, "Thuisadministratie")
    other = helpers.service(present, "Klusgroepen")
    other.contacts.append(Contact(name="Balie Present"))
    other.phones.append(Phone(number="+31359999999"))
    result = {"own": own, "other": other, "coordinator": helpers.coordinator_of(humanitas),
              "other_coordinator": helpers.coordinator_of(present),
              "meldpunt": factories.user(Role.COORDINATOR)}
    db.session.commit()
    return result


def _base(world: dict, name: str = "own") -> str:
    return f"/sociale-kaart/beheer/dienst/{world[name].uuid}"


def test_add_change_and_remove_a_contact(client, login, world, db) -> None:
    login(world["coordinator"])
    base = _base(world)
    assert client.post(f"{base}/contact", data={
        "contact-name": "Servicepunt", "contact-title": "", "contact-department": "Administratie",
        "contact-email": "servicepunt@humanitas.example"}).status_code == 303
    contact = db.session.scalar(sa.select(Contact).where(Contact.name == "Servicepunt"))
    assert contact.service_id == world["own"].id
    page = client.get(f"/sociale-kaart/dienst/{world['own'].uuid}").get_data(as_text=True)
    assert "Servicepunt, Administratie" in page
    assert client.post(f"{base}/contact/{contact.id}", data={
        f"contact-{contact.id}-name": "Spreekuur", f"contact-{contact.id}-email": ""},
    ).status_code == 303
    db.session.expire_all()
    assert (contact.name, contact.department, contact.email) == ("Spreekuur", "", "")
    assert client.post(f"{base}/contact/{contact.id}/weg").status_code == 303
    assert db.session.get(Contact, contact.id) is None


def test_add_change_and_remove_a_phone(client, login, world, db) -> None:
    login(world["meldpunt"])  # the meldpunt's coordinators maintain every organisation
    base = _base(world)
    assert client.post(f"{base}/telefoon", data={
        "phone-number": "06 12345678", "phone-type": "cell",
        "phone-description": "Op werkdagen"}).status_code == 303
    phone = db.session.scalar(sa.select(Phone).where(Phone.service_id == world["own"].id))
    assert (phone.number, phone.type) == ("+31612345678", "cell")
    assert "06 12345678" in client.get(base).get_data(as_text=True)
    assert client.post(f"{base}/telefoon/{phone.id}", data={
        f"phone-{phone.id}-number": "035 123 4567", f"phone-{phone.id}-type": "voice"},
    ).status_code == 303
    db.session.expire_all()
    assert (phone.number, phone.type, phone.description) == ("+31351234567", "voice", "")
    assert client.post(f"{base}/telefoon/{phone.id}/weg").status_code == 303
    assert db.session.get(Phone, phone.id) is None


def test_bad_input_is_explained_and_kept(client, login, world, db) -> None:
    login(world["coordinator"])
    base = _base(world)
    response = client.post(f"{base}/telefoon", data={"phone-number": "bel mij",
                                                     "phone-type": "voice"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Gebruik alleen cijfers in het telefoonnummer" in text
    assert 'value="bel mij"' in text
    response = client.post(f"{base}/contact", data={"contact-email": "geen-adres"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Vul een naam, functie of afdeling in." in text
    assert "geen-adres" in text
    wrong_type = client.post(f"{base}/telefoon", data={"phone-number": "0612345678",
                                                       "phone-type": "pigeon"})
    assert wrong_type.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Phone)) == 1  # other's


def test_an_organisation_coordinator_cannot_touch_another_organisations_rows(
    client, login, world, db,
) -> None:
    login(world["coordinator"])
    other, contact, phone = world["other"], world["other"].contacts[0], world["other"].phones[0]
    base = _base(world, "other")
    assert client.post(f"{base}/contact", data={"contact-name": "X"}).status_code == 403
    assert client.post(f"{base}/contact/{contact.id}",
                       data={f"contact-{contact.id}-name": "X"}).status_code == 403
    assert client.post(f"{base}/contact/{contact.id}/weg").status_code == 403
    assert client.post(f"{base}/telefoon", data={"phone-number": "0612345678"}).status_code == 403
    assert client.post(f"{base}/telefoon/{phone.id}/weg").status_code == 403
    # another service's row through one's own service: not found
    own = _base(world)
    assert client.post(f"{own}/contact/{contact.id}",
                       data={f"contact-{contact.id}-name": "X"}).status_code == 404
    assert client.post(f"{own}/contact/{contact.id}/weg").status_code == 404
    assert client.post(f"{own}/telefoon/{phone.id}", data={
        f"phone-{phone.id}-number": "0612345678", f"phone-{phone.id}-type": "voice"},
    ).status_code == 404
    db.session.expire_all()
    assert (other.contacts[0].name, other.phones[0].number) == ("Balie Present", "+31359999999")


def test_the_api_shows_contacts_and_phones_and_validates(client, login, world) -> None:
    login(world["coordinator"])
    base = _base(world)
    client.post(f"{base}/contact", data={"contact-name": "Servicepunt",
                                         "contact-email": "sp@humanitas.example"})
    client.post(f"{base}/telefoon", data={"phone-number": "035 123 4567", "phone-type": "voice"})
    body = client.get(f"/api/hsds/services/{world['own'].uuid}").get_json()
    assert schemas.errors("service", body) == []
    assert body["contacts"][0]["name"] == "Servicepunt"
    assert body["phones"][0]["number"] == "+31351234567"

"""Referrers file requests for residents, with consent, and follow them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.models import HelpRequest, RequestSource, Role, User
from tests import factories
from tests.requests.helpers import request_form


def referral_form(**overrides):
    data = request_form(resident_name="Mevrouw De Vries", resident_phone="035 123 4567",
                        resident_email="", consent="y")
    data.update(overrides)
    return data


@pytest.fixture
def referrer(db, login):
    account = factories.user(Role.REFERRER, name="Huisartsenpraktijk Noord")
    db.session.commit()
    login(account)
    return account


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VOLUNTEER, Role.COORDINATOR])
def test_only_referrers(client, db, login, role) -> None:
    login(factories.user(role))
    db.session.commit()
    assert client.get("/referrals/").status_code == 403
    assert client.get("/referrals/new").status_code == 403


def test_anonymous_goes_to_login(client) -> None:
    assert "/auth/login" in client.get("/referrals/new").location


def test_empty_list(client, referrer) -> None:
    assert "U heeft nog niemand verwezen." in client.get("/referrals/").text


def test_referral_creates_a_passwordless_resident(client, db, referrer) -> None:
    response = client.post("/referrals/new", data=referral_form())
    assert response.status_code == 303
    help_request = db.session.scalars(sa.select(HelpRequest)).one()
    resident = help_request.requester
    assert resident.name == "Mevrouw De Vries"
    assert resident.email is None
    assert resident.password_hash is None
    assert resident.has_role(Role.RESIDENT)
    assert help_request.source == RequestSource.REFERRER
    assert help_request.created_by_id == referrer.id
    assert help_request.consent_given is True
    assert help_request.consent_at is not None
    listing = client.get("/referrals/").text
    assert "Mevrouw De Vries" in listing
    assert "Wacht op goedkeuring" in listing
    assert client.get(f"/requests/{help_request.id}").status_code == 200


def test_consent_is_required(client, db, referrer) -> None:
    data = referral_form()
    del data["consent"]
    response = client.post("/referrals/new", data=data)
    assert response.status_code == 400
    assert "Zonder toestemming" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 0


def test_existing_resident_is_reused_by_email(client, db, referrer) -> None:
    known = factories.user(email="jansen@example.nl")
    db.session.commit()
    client.post("/referrals/new", data=referral_form(resident_email="Jansen@Example.nl"))
    help_request = db.session.scalars(sa.select(HelpRequest)).one()
    assert help_request.requester_id == known.id
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.email == "jansen@example.nl")
    ) == 1


@pytest.mark.parametrize(("overrides", "message"), [
    ({"resident_name": ""}, "Vul de naam in"),
    ({"resident_phone": ""}, "Vul een telefoonnummer in"),
    ({"resident_phone": "abc"}, "Gebruik alleen cijfers in het telefoonnummer"),
    ({"resident_phone": "035 12"}, "Dit telefoonnummer klopt niet"),
    ({"resident_email": "geen-adres"}, "geen geldig e-mailadres"),
    ({"resident_name": "x" * 121}, "Maximaal 120 tekens"),
    ({"postcode": "1000 AA"}, "Deze postcode bestaat niet"),
])
def test_invalid_referral(client, db, referrer, overrides, message) -> None:
    response = client.post("/referrals/new", data=referral_form(**overrides))
    assert response.status_code == 400
    assert message in response.text


def test_referrer_does_not_see_other_referrers_requests(client, db, referrer) -> None:
    other = factories.user(Role.REFERRER)
    help_request = factories.help_request(created_by_id=other.id, source="referrer")
    db.session.commit()
    assert client.get(f"/requests/{help_request.id}").status_code == 404
    assert help_request.title not in client.get("/referrals/").text

"""The resident's own request form asks for a phone number (issue 11 point 1): pre-filled
from the account, checked, and saved to the account when given."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import HelpRequest
from tests import factories
from tests.requests.helpers import request_form


def test_the_form_offers_the_accounts_number_as_written(client, db, login) -> None:
    login(factories.user(phone="+31612345678"))
    db.session.commit()
    page = client.get("/requests/new").text
    assert "Hoe kan uw vrijwilliger u bereiken?" in page
    assert 'value="06 12345678"' in page
    assert 'autocomplete="tel"' in page


def test_a_number_given_with_the_request_is_saved_to_the_account(client, db, login) -> None:
    resident = factories.user(phone=None)
    db.session.commit()
    login(resident)
    response = client.post("/requests/new", data=request_form(phone="020-1234567"))
    assert response.status_code == 303
    db.session.refresh(resident)
    assert resident.phone == "+31201234567"


def test_an_empty_number_keeps_the_accounts_number(client, db, login) -> None:
    resident = factories.user(phone="+31612345678")
    db.session.commit()
    login(resident)
    assert client.post("/requests/new", data=request_form(phone="")).status_code == 303
    db.session.refresh(resident)
    assert resident.phone == "+31612345678"


def test_no_number_is_refused_on_the_field_and_nothing_is_saved(client, db, login) -> None:
    resident = factories.user(phone=None)
    db.session.commit()
    login(resident)
    response = client.post("/requests/new", data=request_form(phone="abc"))
    assert response.status_code == 400
    assert "Gebruik alleen cijfers in het telefoonnummer" in response.text
    assert 'href="#phone"' in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 0

"""Registration: a resident account, validation of every field, the volunteer checkbox."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from marketplace.models import AuditEntry, Role, User
from tests import factories

GOOD: dict[str, Any] = {
    "name": "Annie de Vries",
    "email": "Annie@Example.nl ",
    "password": "een-lang-wachtwoord",
    "confirm": "een-lang-wachtwoord",
    "postcode": "1211ab",
    "consent": "y",
}


def post_register(client: FlaskClient, **changes: Any) -> Any:
    data = {**GOOD, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post("/auth/register", data=data)


def test_register_page_shows_form(client: FlaskClient) -> None:
    response = client.get("/auth/register")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<h1") == 1
    assert 'name="consent"' in html
    assert 'maxlength="120"' in html


def test_register_creates_resident_and_logs_in(client: FlaskClient, db: Any) -> None:
    response = post_register(client)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "annie@example.nl"))
    assert user is not None
    assert user.roles == {Role.RESIDENT}
    assert user.postcode == "1211 AB"
    assert user.neighbourhood is not None
    assert user.neighbourhood.name == "Centrum"
    assert user.password_hash
    assert "een-lang-wachtwoord" not in user.password_hash
    assert user.check_password("een-lang-wachtwoord")
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.registered"))
    page = client.get("/account/")
    assert page.status_code == 200
    assert "Annie de Vries" in page.get_data(as_text=True)


def test_register_accepts_a_name_in_any_script(client: FlaskClient, db: Any) -> None:
    assert post_register(client, name="王芳").status_code == 302
    assert db.session.scalar(sa.select(User.name)) == "王芳"


def test_volunteer_query_ticks_the_box_and_leads_to_profile(client: FlaskClient) -> None:
    ticked = re.compile(r'<input[^>]*\bchecked\b[^>]*id="volunteer"')
    assert not ticked.search(client.get("/auth/register").get_data(as_text=True))
    assert ticked.search(client.get("/auth/register?volunteer=1").get_data(as_text=True))
    response = post_register(client, volunteer="y")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/volunteers/profile")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Vul uw naam in."),
        ({"email": ""}, "email", "Vul uw e-mailadres in."),
        ({"email": "geen-adres"}, "email", "Dit is geen geldig e-mailadres"),
        ({"password": "kort", "confirm": "kort"}, "password", "minstens 10"),
        ({"confirm": "iets-heel-anders"}, "confirm", "niet hetzelfde"),
        ({"postcode": "1000 AA"}, "postcode", "Deze postcode kennen wij niet."),
        ({"postcode": "hallo"}, "postcode", "Deze postcode kennen wij niet."),
        ({"name": "x" * 121}, "name", "hoogstens 120 tekens"),
        ({"name": "😀😀"}, "name", "Gebruik letters in uw naam."),
        ({"name": "12345"}, "name", "Gebruik letters in uw naam."),
        ({"consent": None}, "consent", "privacyverklaring"),
        ({"phone": "abc"}, "phone", "Gebruik alleen cijfers in het telefoonnummer"),
        ({"phone": "06 1234"}, "phone", "Dit telefoonnummer klopt niet"),
    ],
)
def test_register_refuses_bad_input(
    client: FlaskClient, db: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    response = post_register(client, **changes)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert f'href="#{field}"' in html  # linked from the error summary
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    if field != "name":
        assert 'value="Annie de Vries"' in html  # input is kept


def test_register_duplicate_email_gives_neutral_error(client: FlaskClient, db: Any) -> None:
    factories.user(email="annie@example.nl")
    db.session.commit()
    response = post_register(client)
    assert response.status_code == 400
    assert "kunt u geen nieuw account maken" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_logged_in_user_is_sent_to_account(client: FlaskClient, login: Any, db: Any) -> None:
    login(factories.user())
    db.session.commit()
    response = client.get("/auth/register")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/")


def test_register_asks_for_a_phone_number_and_what_to_share(client: FlaskClient) -> None:
    html = client.get("/auth/register").get_data(as_text=True)
    assert 'type="tel"' in html
    assert 'autocomplete="tel"' in html
    assert "zo kan uw vrijwilliger u bellen" in html
    assert "Wat mag de ander van u zien?" in html
    for value in ("phone", "email"):  # both shared unless the person chooses otherwise
        box = re.search(rf'<input[^>]*name="share"[^>]*value="{value}"[^>]*>', html)
        assert box is not None
        assert "checked" in box.group(0)


def test_register_stores_the_phone_number_in_e164_and_the_sharing_choice(
    client: FlaskClient, db: Any
) -> None:
    response = post_register(client, phone="06-1234 5678", share=["email"])
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User))
    assert user is not None
    assert user.phone == "+31612345678"
    assert (user.share_phone, user.share_email) == (False, True)
    assert "06 12345678" in client.get("/account/").get_data(as_text=True)


def test_register_without_a_phone_number_is_fine(client: FlaskClient, db: Any) -> None:
    assert post_register(client, phone="", share=["phone", "email"]).status_code == 302
    user = db.session.scalar(sa.select(User))
    assert user is not None
    assert user.phone is None
    assert (user.share_phone, user.share_email) == (True, True)

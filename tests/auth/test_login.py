"""Login and logout: one message for every failure, safe ``next``, POST-only logout."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from marketplace.models import User, utcnow
from tests import factories

FAILED = "E-mailadres of wachtwoord klopt niet."


@pytest.fixture
def annie(db: Any) -> User:
    account = factories.user(email="annie@example.nl")
    db.session.commit()
    return account


def post_login(client: FlaskClient, email: str, password: str, **extra: str) -> Any:
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def is_logged_in(client: FlaskClient) -> bool:
    return client.get("/account/").status_code == 200


def test_login_page(client: FlaskClient) -> None:
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<h1") == 1


def test_login_ok_updates_last_login(client: FlaskClient, annie: User, db: Any) -> None:
    assert annie.last_login_at is None
    response = post_login(client, " Annie@example.nl", factories.PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    db.session.refresh(annie)
    assert annie.last_login_at is not None
    assert (utcnow() - annie.last_login_at).total_seconds() < 60
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("email", "password"),
    [("annie@example.nl", "wrong-password-123"), ("nobody@example.nl", factories.PASSWORD)],
)
def test_wrong_password_and_unknown_email_look_the_same(
    client: FlaskClient, annie: User, email: str, password: str
) -> None:
    response = post_login(client, email, password)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert FAILED in html
    assert "onbekend" not in html.lower()
    assert not is_logged_in(client)


def test_inactive_and_anonymised_users_cannot_log_in(client: FlaskClient, db: Any) -> None:
    blocked = factories.user(email="blocked@example.nl", active=False)
    gone = factories.user(email="gone@example.nl", anonymised_at=utcnow())
    db.session.commit()
    for account in (blocked, gone):
        response = post_login(client, account.email or "", factories.PASSWORD)
        assert response.status_code == 400
        assert FAILED in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_desk_account_without_password_cannot_log_in(client: FlaskClient, db: Any) -> None:
    factories.user(email="desk@example.nl", password=None)
    db.session.commit()
    response = post_login(client, "desk@example.nl", "anything-at-all")
    assert FAILED in response.get_data(as_text=True)


def test_login_follows_local_next(client: FlaskClient, annie: User) -> None:
    response = post_login(client, "annie@example.nl", factories.PASSWORD, next="/account/edit")
    assert response.headers["Location"] == "/account/edit"


@pytest.mark.parametrize(
    "target", ["https://evil.example", "//evil.example/x", "javascript:alert(1)", "/\\evil"]
)
def test_login_ignores_foreign_next(client: FlaskClient, annie: User, target: str) -> None:
    response = post_login(client, "annie@example.nl", factories.PASSWORD, next=target)
    assert response.headers["Location"] == "/"


def test_protected_page_sends_to_login_and_back(client: FlaskClient, annie: User) -> None:
    response = client.get("/account/edit")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert "next=" in response.headers["Location"]
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/account/edit"' in form


def test_login_form_errors(client: FlaskClient) -> None:
    response = post_login(client, "", "")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vul uw e-mailadres in." in html
    assert "Vul uw wachtwoord in." in html


def test_remember_me_sets_cookie(client: FlaskClient, annie: User) -> None:
    response = post_login(client, "annie@example.nl", factories.PASSWORD, remember="y")
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_logout_is_post_only(client: FlaskClient, annie: User) -> None:
    post_login(client, "annie@example.nl", factories.PASSWORD)
    assert client.get("/auth/logout").status_code == 405
    assert is_logged_in(client)
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert not is_logged_in(client)


def test_logout_keeps_language(client: FlaskClient, annie: User) -> None:
    post_login(client, "annie@example.nl", factories.PASSWORD)
    with client.session_transaction() as session:
        session["locale"] = "en"
    client.post("/auth/logout")
    with client.session_transaction() as session:
        assert session.get("locale") == "en"
        assert "_user_id" not in session

"""Logging out ends the login in this browser, remember-me cookie included; "log out
everywhere" ends it on every device, copied cookies included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from marketplace.config import load_config
from marketplace.models import AuditEntry, User
from tests import factories

REMEMBER = "remember_token"
SESSION = "session"


@pytest.fixture
def annie(db: Any) -> User:
    account = factories.user(email="annie@example.nl")
    db.session.commit()
    return account


def log_in(client: FlaskClient, remember: bool = True) -> Any:
    data = {"email": "annie@example.nl", "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302
    return response


def is_logged_in(client: FlaskClient) -> bool:
    return client.get("/account/").status_code == 200


def copy_cookies(source: FlaskClient, target: FlaskClient, *names: str) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, f"no {name} cookie"
        target.set_cookie(name, cookie.value)


def test_logout_deletes_the_remember_cookie(client: FlaskClient, annie: User) -> None:
    """Before: the remember cookie survived the logout and logged the browser back in."""
    log_in(client)
    assert client.get_cookie(REMEMBER) is not None
    response = client.post("/auth/logout")
    assert response.status_code == 302
    deleted = [header for header in response.headers.getlist("Set-Cookie")
               if header.startswith(f"{REMEMBER}=")]
    assert deleted, "the logout must tell the browser to delete the remember cookie"
    assert client.get_cookie(REMEMBER) is None
    assert not is_logged_in(client)
    assert not is_logged_in(client)  # and it stays that way


def test_logout_without_remember_me_is_anonymous_too(client: FlaskClient, annie: User) -> None:
    log_in(client, remember=False)
    assert client.get_cookie(REMEMBER) is None
    client.post("/auth/logout")
    assert not is_logged_in(client)


def test_remember_cookie_lives_thirty_days(client: FlaskClient, annie: User) -> None:
    response = log_in(client)
    header = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith(f"{REMEMBER}="))
    expires = next(part.split("=", 1)[1] for part in header.split("; ")
                   if part.lower().startswith("expires="))
    lifetime = parsedate_to_datetime(expires) - datetime.now(UTC)
    assert timedelta(days=29) < lifetime <= timedelta(days=30)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_remember_cookie_is_secure_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.delenv("REMEMBER_COOKIE_DAYS", raising=False)
    config = load_config({"HULPPUNT_ENV": "production"})
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


def test_log_out_everywhere_ends_copied_cookies(
    app: Flask, client: FlaskClient, annie: User, db: Any
) -> None:
    """A session and a remember cookie copied before "log out everywhere" stop working."""
    log_in(client)
    copied_session = app.test_client()
    copy_cookies(client, copied_session, SESSION, REMEMBER)
    copied_remember = app.test_client()
    copy_cookies(client, copied_remember, REMEMBER)
    assert is_logged_in(copied_session)

    response = client.post("/account/sign-out-everywhere")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")

    assert not is_logged_in(client)
    assert not is_logged_in(copied_session)
    assert not is_logged_in(copied_remember)
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.actor_id == annie.id)
    ).all()
    assert "account.signed_out_everywhere" in actions
    log_in(client)  # the password still works
    assert is_logged_in(client)


def test_plain_logout_leaves_other_devices_logged_in(app: Flask, annie: User) -> None:
    phone, library = app.test_client(), app.test_client()
    log_in(phone)
    log_in(library)
    library.post("/auth/logout")
    assert is_logged_in(phone)
    assert not is_logged_in(library)


def test_account_page_offers_log_out_everywhere(client: FlaskClient, annie: User) -> None:
    log_in(client, remember=False)
    html = client.get("/account/").get_data(as_text=True)
    assert 'action="/account/sign-out-everywhere"' in html
    assert "Overal uitloggen" in html


class TestWithCsrf:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_log_out_everywhere_needs_the_form_token(
        self, client: FlaskClient, login: Any, annie: User
    ) -> None:
        login(annie)
        assert client.post("/account/sign-out-everywhere").status_code == 400
        assert is_logged_in(client)

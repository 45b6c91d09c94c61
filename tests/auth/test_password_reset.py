"""Forgotten password, end to end through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from marketplace.auth import tokens
from marketplace.models import User
from tests import factories
from tests.smtp_server import SmtpServer

SAME_ANSWER = "Als dit adres bij ons bekend is, krijgt u een e-mail"
NEW_PASSWORD = "mijn-nieuwe-wachtwoord"


@pytest.fixture
def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
    return smtp_server.app_config()


@pytest.fixture
def annie(db: Any) -> User:
    account = factories.user(email="annie@example.nl", name="Annie de Vries")
    db.session.commit()
    return account


def ask_reset(client: FlaskClient, email: str) -> str:
    response = client.post("/auth/forgot", data={"email": email}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def reset_link(server: SmtpServer) -> str:
    messages = server.wait_for(1)
    assert len(messages) == 1
    text = SmtpServer.text_of(messages[0])
    match = re.search(r"http://localhost(/auth/reset/\S+)", text)
    assert match is not None, text
    return match.group(1)


def choose(client: FlaskClient, path: str, password: str = NEW_PASSWORD) -> Any:
    return client.post(path, data={"password": password, "confirm": password})


def test_reset_end_to_end(client: FlaskClient, smtp_server: SmtpServer, annie: User) -> None:
    assert SAME_ANSWER in ask_reset(client, "Annie@Example.nl")
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "annie@example.nl"
    assert "wachtwoord" in message["Subject"].lower()
    assert "Beste Annie de Vries" in SmtpServer.text_of(message)
    assert "/auth/reset/" in SmtpServer.text_of(message, "html")
    path = reset_link(smtp_server)

    form = client.get(path)
    assert form.status_code == 200
    assert "Nieuw wachtwoord kiezen" in form.get_data(as_text=True)
    response = choose(client, path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")

    old = client.post("/auth/login", data={"email": "annie@example.nl",
                                           "password": factories.PASSWORD})
    assert old.status_code == 400
    new = client.post("/auth/login", data={"email": "annie@example.nl", "password": NEW_PASSWORD})
    assert new.status_code == 302

    # The link works once.
    again = client.get(path)
    assert again.status_code == 400
    assert "al een keer gebruikt" in again.get_data(as_text=True)
    assert choose(client, path, "nog-een-ander-wachtwoord").status_code == 400


def test_unknown_email_sends_nothing_and_answers_the_same(
    client: FlaskClient, smtp_server: SmtpServer, annie: User
) -> None:
    assert SAME_ANSWER in ask_reset(client, "nobody@example.nl")
    assert smtp_server.wait_for(1, timeout=0.5) == []


def test_inactive_account_gets_no_mail(client: FlaskClient, smtp_server: SmtpServer,
                                       db: Any) -> None:
    factories.user(email="blocked@example.nl", active=False)
    db.session.commit()
    assert SAME_ANSWER in ask_reset(client, "blocked@example.nl")
    assert smtp_server.wait_for(1, timeout=0.5) == []


def test_new_password_is_validated(client: FlaskClient, smtp_server: SmtpServer,
                                   annie: User) -> None:
    ask_reset(client, "annie@example.nl")
    path = reset_link(smtp_server)
    short = choose(client, path, "kort")
    assert short.status_code == 400
    assert "minstens 10" in short.get_data(as_text=True)
    mismatch = client.post(path, data={"password": NEW_PASSWORD, "confirm": "anders-1234567"})
    assert mismatch.status_code == 400
    assert "niet hetzelfde" in mismatch.get_data(as_text=True)
    assert choose(client, path).status_code == 302  # still usable after mistakes


def test_tampered_token_fails(client: FlaskClient, annie: User, app: Flask) -> None:
    token = tokens.make_reset_token(annie)
    response = client.get(f"/auth/reset/{token[:-2]}xx")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Deze link werkt niet" in html
    assert "/auth/forgot" in html


def test_token_signed_with_other_key_fails(client: FlaskClient, annie: User) -> None:
    forged = URLSafeTimedSerializer("another-key", salt=tokens.SALT).dumps(
        {"user": annie.id, "stamp": annie.security_stamp}
    )
    assert client.get(f"/auth/reset/{forged}").status_code == 400


def test_old_token_is_expired(client: FlaskClient, annie: User, app: Flask) -> None:
    class OldSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return super().get_timestamp() - app.config["PASSWORD_RESET_MAX_AGE"] - 60

    old = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=tokens.SALT, signer=OldSigner
    ).dumps(
        {"user": annie.id, "stamp": annie.security_stamp}
    )
    response = client.get(f"/auth/reset/{old}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "verlopen" in html
    assert "Vraag een nieuwe link aan" in html
    assert choose(client, f"/auth/reset/{old}").status_code == 400


class TestExpiredByConfig:
    @pytest.fixture
    def app_config(self, smtp_server: SmtpServer) -> dict[str, Any]:
        return {**smtp_server.app_config(), "PASSWORD_RESET_MAX_AGE": -1}

    def test_mailed_link_has_expired(
        self, client: FlaskClient, smtp_server: SmtpServer, annie: User
    ) -> None:
        ask_reset(client, "annie@example.nl")
        response = client.get(reset_link(smtp_server))
        assert response.status_code == 400
        assert "verlopen" in response.get_data(as_text=True)


def test_unreachable_mail_server_keeps_the_mail_for_later(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer, annie: User, runner: Any
) -> None:
    """With MAIL_SUPPRESS_ERRORS off a dead server is an error, not silence: the reset mail
    waits in the outbox with the error, the person sees the usual page, and the mail goes
    once the server is back."""
    import sqlalchemy as sa

    from marketplace.extensions import db
    from marketplace.models import OutboxMessage, OutboxStatus

    app.config["MAIL_PORT"] = 1  # nothing listens there
    response = client.post("/auth/forgot", data={"email": "annie@example.nl"})
    assert response.status_code == 302
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.status == OutboxStatus.PENDING
    assert "ConnectionRefusedError" in message.error
    app.config["MAIL_PORT"] = smtp_server.port
    db.session.execute(sa.update(OutboxMessage).values(available_at=message.created_at))
    db.session.commit()
    assert "1 delivered" in runner.invoke(args=["outbox", "deliver"]).output
    assert reset_link(smtp_server)


def test_reset_ends_sessions_on_other_devices(client: FlaskClient, smtp_server: SmtpServer,
                                              annie: User, app: Flask) -> None:
    # Annie is logged in on her tablet ("remember me") when someone resets her password.
    tablet = app.test_client()
    response = tablet.post("/auth/login", data={"email": "annie@example.nl",
                                                "password": factories.PASSWORD,
                                                "remember": "y"})
    assert response.status_code == 302
    assert tablet.get("/account/").status_code == 200
    ask_reset(client, "annie@example.nl")
    assert choose(client, reset_link(smtp_server)).status_code == 302
    from flask import g

    g.pop("_login_user", None)
    response = tablet.get("/account/")
    assert response.status_code == 302
    assert "/auth/login" in response.location
    # The new password works.
    g.pop("_login_user", None)
    response = tablet.post("/auth/login", data={"email": "annie@example.nl",
                                                "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert tablet.get("/account/").status_code == 200

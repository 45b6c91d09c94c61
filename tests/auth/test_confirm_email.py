"""Confirming the e-mail address, end to end through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from marketplace.auth import tokens
from marketplace.matches import notifications
from marketplace.models import (
    AuditEntry,
    Match,
    MatchStatus,
    Notification,
    NotificationMail,
    OutboxMessage,
    Role,
    User,
)
from marketplace.transaction import commit
from tests import factories
from tests.smtp_server import SmtpServer

FORM = {"name": "Annie de Vries", "email": "annie@example.nl", "password": "een-lang-wachtwoord",
        "confirm": "een-lang-wachtwoord", "postcode": "1211 AB", "consent": "y"}


@pytest.fixture
def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
    return smtp_server.app_config()


def confirm_link(server: SmtpServer, count: int = 1) -> str:
    message = server.wait_for(count)[-1]
    assert "bevestig" in message["Subject"].lower()
    text = SmtpServer.text_of(message)
    found = re.search(r"http://localhost(/auth/confirm/\S+)", text)
    assert found is not None, text
    return found.group(1)


def test_registration_mails_a_link_that_confirms(client: FlaskClient, smtp_server: SmtpServer,
                                                 db: Any) -> None:
    response = client.post("/auth/register", data=FORM, follow_redirects=True)
    assert "Klik op de link daarin om uw e-mailadres te bevestigen" in response.text
    user = db.session.scalar(sa.select(User).where(User.email == "annie@example.nl"))
    assert user.email_confirmed_at is None
    page = client.get("/account/").text
    assert "nog niet bevestigd" in page
    assert "Stuur de e-mail opnieuw" in page
    link = confirm_link(smtp_server)
    payload = link.rsplit("/", 1)[1].split(".")[0]
    assert b"example.nl" not in base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    response = client.get(link, follow_redirects=True)
    assert "Uw e-mailadres is bevestigd" in response.text
    db.session.refresh(user)
    assert user.email_confirmed_at is not None
    assert "(bevestigd)" in client.get("/account/").text
    # A second click is harmless; the audit log has one entry.
    assert client.get(link).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "account.email_confirmed")) == 1


def test_resend_and_bad_links(client: FlaskClient, smtp_server: SmtpServer, db: Any,
                              app: Flask) -> None:
    client.post("/auth/register", data=FORM)
    response = client.post("/account/confirm-email", follow_redirects=True)
    assert "opnieuw gestuurd naar annie@example.nl" in response.text
    link = confirm_link(smtp_server, 2)
    assert client.get(link[:-3] + "xyz").status_code == 400
    user = db.session.scalar(sa.select(User).where(User.email == "annie@example.nl"))
    user.email = "ander@example.nl"  # a link for the old address no longer confirms
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 400
    assert "hoort bij een ander e-mailadres" in response.text
    db.session.refresh(user)
    assert user.email_confirmed_at is None


def test_old_link_is_expired(client: FlaskClient, db: Any, app: Flask,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    user = factories.user(email_confirmed_at=None)
    db.session.commit()
    token = tokens.make_confirm_token(user)
    monkeypatch.setattr(tokens, "CONFIRM_MAX_AGE", -1)
    response = client.get(f"/auth/confirm/{token}")
    assert response.status_code == 400
    assert "is verlopen" in response.text


def test_unconfirmed_addresses_get_no_mail_about_help(smtp_server: SmtpServer, db: Any) -> None:
    volunteer = factories.volunteer_profile(skills=("boodschappen",)).user
    resident = factories.user(Role.RESIDENT, email_confirmed_at=None)
    help_request = factories.help_request(resident)
    match = Match(help_request=help_request, volunteer=volunteer, status=MatchStatus.PROPOSED)
    db.session.add(match)
    db.session.commit()
    # The resident's address may have been typed by someone else: nothing about help goes
    # there until it is confirmed (they see it on the website, or the coordinator phones).
    notifications.accepted(match)
    volunteer.email_confirmed_at = None
    notifications.proposed([match])
    commit()
    assert smtp_server.messages == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    told = db.session.scalars(sa.select(Notification.mail)).all()
    assert told == [NotificationMail.NO_ADDRESS] * 2

"""The administrator's "Uitgaande berichten": what failed after every attempt, offered again
once the cause is fixed, and then really sent (a real SMTP server)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from marketplace.admin.services import OUTBOX_KIND_LABELS
from marketplace.models import AuditEntry, OutboxMessage, OutboxStatus, Role, utcnow
from tests import factories
from tests.smtp_server import SmtpServer


@pytest.fixture
def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
    return smtp_server.app_config()


def _failed(db, to: str = "bewoner@example.org") -> OutboxMessage:
    message = OutboxMessage(
        kind="email", status=OutboxStatus.FAILED, attempts=5, available_at=utcnow(),
        payload={"to": to, "subject": "Uw aanvraag", "text": "Er is een vrijwilliger."},
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    db.session.add(message)
    db.session.commit()
    return message


def test_the_admin_sees_what_failed_with_its_cause(client, db, admin) -> None:
    _failed(db)
    assert "(1 mislukt)" in client.get("/admin/").text
    page = client.get("/admin/outbox").text
    assert "bewoner@example.org" in page
    assert "SMTPServerDisconnected" in page
    assert "Mislukt, na alle pogingen" in page


def test_a_message_offered_again_is_sent_and_the_offer_is_logged(
    client, db, admin, smtp_server: SmtpServer
) -> None:
    message = _failed(db)
    other = _failed(db, to="vrijwilliger@example.org")
    answer = client.post(f"/admin/outbox/{message.id}/retry", follow_redirects=True)
    assert "1 bericht(en) opnieuw aangeboden" in answer.text
    [sent] = smtp_server.wait_for(1)
    assert sent["To"] == "bewoner@example.org"
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.DONE
    assert db.session.get(OutboxMessage, other.id).status == OutboxStatus.FAILED  # not asked
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "outbox.retried"))
    assert entry is not None
    assert entry.actor_id == admin.id
    assert f"#{message.id}" in entry.detail


def test_all_failed_messages_at_once(client, db, admin, smtp_server: SmtpServer) -> None:
    _failed(db)
    _failed(db, to="vrijwilliger@example.org")
    client.post("/admin/outbox/retry")
    assert {sent["To"] for sent in smtp_server.wait_for(2)} == {
        "bewoner@example.org", "vrijwilliger@example.org"}
    assert "Er is geen mislukt bericht." in client.get("/admin/outbox").text


def test_offering_a_message_that_did_not_fail_changes_nothing(client, db, admin) -> None:
    message = _failed(db)
    message.status = OutboxStatus.DONE
    db.session.commit()
    answer = client.post(f"/admin/outbox/{message.id}/retry", follow_redirects=True)
    assert "Er is geen mislukt bericht (meer)" in answer.text
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).attempts == 5
    assert client.post("/admin/outbox/99999/retry").status_code == 404


def test_only_admins_offer_messages_again(client, db, login) -> None:
    message = _failed(db)
    login(factories.user(Role.COORDINATOR))
    db.session.commit()
    assert client.post(f"/admin/outbox/{message.id}/retry").status_code == 403
    assert client.post("/admin/outbox/retry").status_code == 403
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.FAILED


def test_every_kind_of_message_has_words(app: Flask) -> None:
    assert set(app.extensions["outbox"]) <= set(OUTBOX_KIND_LABELS)

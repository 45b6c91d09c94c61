"""The outbox: written in the transaction, delivered after the commit, never lost, never run
twice at once; and the one commit helper views use."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, get_flashed_messages

from marketplace import outbox
from marketplace.errors import DomainError
from marketplace.mail import queue_email
from marketplace.models import OutboxMessage, OutboxStatus, utcnow
from marketplace.transaction import commit, perform
from tests.smtp_server import SmtpServer


@pytest.fixture
def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
    return smtp_server.app_config()


def _messages() -> list[OutboxMessage]:
    from marketplace.extensions import db

    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_mail_leaves_only_after_the_commit(db, smtp_server: SmtpServer) -> None:
    queue_email("a@example.nl", "Onderwerp", "Tekst")
    db.session.flush()
    assert smtp_server.wait_for(1, timeout=0.2) == []
    commit()
    [message] = smtp_server.wait_for(1)
    assert (message["To"], message["Subject"]) == ("a@example.nl", "Onderwerp")
    [row] = _messages()
    assert (row.status, row.attempts, row.done_at is not None) == (OutboxStatus.DONE, 1, True)


def test_a_rollback_forgets_the_mail(db, smtp_server: SmtpServer) -> None:
    queue_email("a@example.nl", "Onderwerp", "Tekst")
    db.session.rollback()
    commit()
    assert _messages() == []
    assert smtp_server.wait_for(1, timeout=0.2) == []


def test_failed_delivery_waits_longer_each_time_then_gives_up(app: Flask, db) -> None:
    app.config["MAIL_PORT"] = 9  # refused
    queue_email("a@example.nl", "Onderwerp", "Tekst")
    commit()
    [row] = _messages()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.available_at > utcnow() + timedelta(seconds=20)
    waits = []
    for _attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        db.session.execute(sa.update(OutboxMessage).values(available_at=utcnow()))
        db.session.commit()
        report = outbox.deliver_due()
        assert report.failed == 1
        [row] = _messages()
        waits.append(row.available_at - utcnow())
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == outbox.MAX_ATTEMPTS
    assert "ConnectionRefusedError" in row.error
    assert waits[0] < waits[1] < waits[2]
    assert outbox.deliver_due().done == 0  # a failed message is not tried again by itself


def test_one_deliverer_at_a_time_and_a_dead_one_is_taken_over(
    db, smtp_server: SmtpServer
) -> None:
    message = queue_email("a@example.nl", "Onderwerp", "Tekst")
    db.session.commit()  # a plain commit: nothing is delivered yet
    message_id = message.id
    db.session.execute(
        sa.update(OutboxMessage).values(status=OutboxStatus.RUNNING, available_at=utcnow())
    )
    db.session.commit()
    assert outbox.deliver(message_id) is False  # somebody else is on it
    assert outbox.deliver_due().done == 0
    db.session.execute(
        sa.update(OutboxMessage).values(available_at=utcnow() - outbox.STALE_AFTER * 2)
    )
    db.session.commit()
    assert outbox.deliver_due().done == 1  # that somebody died long ago
    assert len(smtp_server.wait_for(1)) == 1
    assert outbox.deliver(message_id) is False  # done is done


def test_flask_outbox_status_counts(db, runner) -> None:
    queue_email("a@example.nl", "Onderwerp", "Tekst")
    db.session.commit()
    result = runner.invoke(args=["outbox", "status"])
    assert "pending: 1" in result.output
    assert "done: 0" in result.output


def test_perform_rolls_back_a_refused_change_and_flashes_its_message(
    app: Flask, db, smtp_server: SmtpServer
) -> None:
    def refused_change() -> None:
        queue_email("a@example.nl", "Onderwerp", "Tekst")
        db.session.flush()
        raise DomainError("Dat kan nu niet.")

    with app.test_request_context("/"):
        response = perform(refused_change, done="Gelukt", to="/klaar", refused_to="/terug")
        assert (response.status_code, response.location) == (303, "/terug")
        assert get_flashed_messages(with_categories=True) == [("error", "Dat kan nu niet.")]
    assert _messages() == []
    assert smtp_server.wait_for(1, timeout=0.2) == []


def test_perform_commits_flashes_and_delivers(app: Flask, db, smtp_server: SmtpServer) -> None:
    with app.test_request_context("/"):
        response = perform(
            lambda: queue_email("a@example.nl", "Onderwerp", "Tekst"),
            done=lambda message: f"Bericht {message.id} staat klaar",
            to=lambda message: f"/berichten/{message.id}",
        )
        [row] = _messages()
        assert response.location == f"/berichten/{row.id}"
        assert get_flashed_messages() == [f"Bericht {row.id} staat klaar"]
    assert len(smtp_server.wait_for(1)) == 1


def test_retention_purge_deletes_delivered_mail_after_two_weeks(db, runner) -> None:
    from marketplace.privacy.services import SENT_MAIL_DAYS

    old = queue_email("a@example.nl", "Oud", "Tekst")
    recent = queue_email("b@example.nl", "Nieuw", "Tekst")
    waiting = queue_email("c@example.nl", "Wacht", "Tekst")
    db.session.flush()
    now = utcnow()
    old.status = recent.status = OutboxStatus.DONE
    old.done_at = now - timedelta(days=SENT_MAIL_DAYS + 1)
    recent.done_at = now - timedelta(days=1)
    db.session.commit()
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert [message.payload["subject"] for message in _messages()] == ["Nieuw", "Wacht"]
    assert waiting.status == OutboxStatus.PENDING


def test_deleting_an_account_drops_its_unsent_mail(app: Flask, db) -> None:
    from marketplace.privacy.services import delete_account
    from tests import factories

    person = factories.user()
    app.config["MAIL_PORT"] = 9  # refused: the mail waits in the outbox
    queue_email(person.email, "Voor u", "Tekst")
    queue_email("ander@example.nl", "Voor een ander", "Tekst")
    commit()
    delete_account(person)
    commit()
    assert [message.payload["subject"] for message in _messages()] == ["Voor een ander"]


@pytest.fixture
def test_kinds(app: Flask) -> Any:
    """Two kinds of message for the tests below: one that saves a category, one that fails."""
    from marketplace.models import Category

    def save_category(payload: dict[str, Any]) -> None:
        from marketplace.extensions import db

        db.session.add(Category(slug=payload["slug"], name_nl="Test", name_en="Test"))

    def fail(_payload: dict[str, Any]) -> None:
        raise RuntimeError("de bezorging mislukte")

    kinds = app.extensions["outbox"]
    added = {"test-save": outbox.Kind(save_category, True, 60),
             "test-fail": outbox.Kind(fail, True, 60)}
    kinds.update(added)
    yield
    for name in added:
        kinds.pop(name, None)


def test_one_commits_messages_are_claimed_and_marked_done_together(
    app: Flask, db, smtp_server: SmtpServer
) -> None:
    updates: list[str] = []

    def count_updates(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("UPDATE outbox"):
            updates.append(statement)

    queue_email("a@example.nl", "Eerste", "Tekst")
    queue_email("b@example.nl", "Tweede", "Tekst")
    sa.event.listen(db.engine, "before_cursor_execute", count_updates)
    try:
        commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count_updates)
    assert sorted(message["Subject"] for message in smtp_server.wait_for(2)) == [
        "Eerste", "Tweede"]
    assert [row.status for row in _messages()] == [OutboxStatus.DONE, OutboxStatus.DONE]
    assert len(updates) == 2  # one claim and one done mark for both


def test_a_failing_message_waits_and_the_others_of_its_commit_are_delivered(
    db, smtp_server: SmtpServer, test_kinds: None
) -> None:
    outbox.add("test-fail", {})
    queue_email("a@example.nl", "Onderwerp", "Tekst")
    commit()
    assert len(smtp_server.wait_for(1)) == 1
    failed, mailed = _messages()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 1)
    assert "de bezorging mislukte" in failed.error
    assert mailed.status == OutboxStatus.DONE


def test_what_a_handler_saved_stays_when_a_later_one_fails(db, test_kinds: None) -> None:
    from marketplace.models import Category

    outbox.add("test-save", {"slug": "door-de-outbox"})
    outbox.add("test-fail", {})
    commit()
    db.session.expire_all()
    assert db.session.scalar(sa.select(Category.name_nl).where(
        Category.slug == "door-de-outbox")) == "Test"
    saved, failed = _messages()
    assert (saved.status, failed.status) == (OutboxStatus.DONE, OutboxStatus.PENDING)


def test_a_claim_that_fails_after_the_commit_keeps_the_change_and_the_message(
    db, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_away(_ids: list[int]) -> dict[int, Any]:
        raise sa.exc.OperationalError("UPDATE outbox", {}, Exception("server closed"))

    monkeypatch.setattr(outbox, "_claim_many", database_away)
    queue_email("a@example.nl", "Onderwerp", "Tekst")
    commit()  # does not raise: the change is saved, the mail waits for the next delivery
    [row] = _messages()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)

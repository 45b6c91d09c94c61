"""Rounds through the outbox and RQ, against real Redis servers: the shared one, and one of
the test's own that stops mid-test."""

from __future__ import annotations

import uuid

import pytest
import redis
import sqlalchemy as sa
from rq import SimpleWorker

from marketplace import outbox
from marketplace.mail import queue_email
from marketplace.models import (
    Match,
    MatchingRound,
    MatchStatus,
    OutboxMessage,
    OutboxStatus,
    RoundStatus,
)
from marketplace.rounds import services as rounds
from marketplace.transaction import commit
from tests.matches.helpers import coordinator, make_volunteer, open_request
from tests.redis_server import RedisServer

QUEUE = f"hulppunt-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def app_config(own_redis: RedisServer):
    return {"REDIS_URL": own_redis.url, "RQ_QUEUE": QUEUE}


@pytest.fixture
def queue(app, own_redis: RedisServer):
    own_redis.start() if not _up(own_redis) else None
    found = outbox.get_queue(app)
    yield found
    if _up(own_redis):
        found.delete(delete_jobs=True)


def _up(server: RedisServer) -> bool:
    try:
        return bool(redis.Redis.from_url(server.url, socket_connect_timeout=0.2).ping())
    except redis.ConnectionError:
        return False


def _work(queue) -> None:
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def _round() -> MatchingRound:
    return outbox_round()


def outbox_round() -> MatchingRound:
    from marketplace.extensions import db

    return db.session.scalar(sa.select(MatchingRound))


def test_round_runs_as_an_rq_job(db, login, queue):
    make_volunteer()
    open_request()
    db.session.commit()
    client = login(coordinator())
    response = client.post("/matches/rounds", data={"neighbourhood": "", "dry_run": "y"})
    assert response.status_code == 303
    assert outbox_round().status == RoundStatus.QUEUED
    assert queue.count == 1
    page = client.get(response.location).text
    assert 'http-equiv="refresh"' in page
    assert "bezig" in page
    _work(queue)
    db.session.expire_all()
    assert outbox_round().status == RoundStatus.DONE
    assert db.session.scalar(sa.select(Match)).status == MatchStatus.SUGGESTED
    assert db.session.scalar(sa.select(OutboxMessage.status)) == OutboxStatus.DONE
    assert 'http-equiv="refresh"' not in client.get(response.location).text


def test_failed_solve_marks_the_round_failed(db, queue, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(rounds, "execute_round", broken)
    rounds.create_round(None, None, dry_run=True)
    commit()
    _work(queue)
    db.session.expire_all()
    assert outbox_round().status == RoundStatus.FAILED
    assert "solver exploded" in outbox_round().error


def test_redis_down_round_waits_then_runs_when_redis_is_back(
    app, db, login, queue, own_redis: RedisServer
):
    make_volunteer()
    open_request()
    db.session.commit()
    client = login(coordinator())
    own_redis.stop()
    response = client.post("/matches/rounds", data={"neighbourhood": "", "dry_run": "y"})
    assert response.status_code == 303
    page = client.get(response.location)
    assert page.status_code == 200
    assert "achtergrondverwerking" in page.text
    message = db.session.scalar(sa.select(OutboxMessage))
    assert (message.kind, message.status) == ("matching_round", OutboxStatus.PENDING)
    assert outbox_round().status == RoundStatus.QUEUED

    own_redis.start()
    queue = outbox.get_queue(app)
    client.get(response.location)  # the coordinator looks again: the round is handed out
    assert queue.count == 1
    _work(queue)
    db.session.expire_all()
    assert outbox_round().status == RoundStatus.DONE


def test_redis_down_round_runs_with_flask_outbox_deliver(
    db, login, queue, own_redis: RedisServer, runner
):
    make_volunteer()
    open_request()
    db.session.commit()
    own_redis.stop()
    response = login(coordinator()).post(
        "/matches/rounds", data={"neighbourhood": "", "dry_run": "y"}
    )
    assert response.status_code == 303
    assert outbox_round().status == RoundStatus.QUEUED
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "1 delivered" in result.output
    db.session.expire_all()
    assert outbox_round().status == RoundStatus.DONE
    assert db.session.scalar(sa.select(Match)).status == MatchStatus.SUGGESTED


def test_a_failing_job_is_retried_by_rq_later(app, db, queue):
    """SMTP refuses: the job fails, the message records why and waits for RQ's retry."""
    from marketplace.mail import queue_email

    app.config.update(MAIL_ENABLED=True, MAIL_SUPPRESS_ERRORS=False, MAIL_PORT=9)
    queue_email("a@example.nl", "Onderwerp", "Tekst")
    commit()
    _work(queue)
    db.session.expire_all()
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.status == OutboxStatus.QUEUED
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.error
    assert queue.scheduled_job_registry.count == 1  # RQ's Retry waits 30 s, then runs it again


def test_rq_worker_warms_up_before_it_forks_jobs(app, queue, runner, monkeypatch):
    """Each job runs in a fork of the worker: mappers, templates and the libraries imported
    on first use are loaded once there, not again by every job."""
    import rq

    from marketplace import warm

    steps: list[str] = []

    class Worker:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def work(self, **kwargs: object) -> None:
            steps.append("work")

    monkeypatch.setattr(warm, "warm_up", lambda application: steps.append("warm"))
    monkeypatch.setattr(rq, "Worker", Worker)
    result = runner.invoke(args=["rq", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert steps == ["warm", "work"]


def test_redis_down_mail_is_delivered_here_and_the_round_waits(db, queue, own_redis: RedisServer):
    own_redis.stop()
    queue_email("bewoner@example.nl", "Uw aanvraag", "Er is een vrijwilliger.")
    rounds.create_round(None, None, dry_run=True)
    commit()
    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(OutboxMessage.kind, OutboxMessage.status)).all())
    assert statuses == {"email": OutboxStatus.DONE, "matching_round": OutboxStatus.PENDING}

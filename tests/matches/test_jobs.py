"""Rounds as background jobs: RQ against the real local Redis, and the inline fallback."""

from __future__ import annotations

import uuid

import pytest
import redis
import sqlalchemy as sa

from marketplace.matches import jobs
from marketplace.models import Match, MatchingRound, MatchStatus, RoundStatus
from tests.matches.helpers import coordinator, make_volunteer, open_request

REDIS_URL = "redis://127.0.0.1:6379/0"
QUEUE = f"hulppunt-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def app_config():
    return {"REDIS_URL": REDIS_URL, "RQ_QUEUE": QUEUE}


@pytest.fixture
def queue(app):
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:  # pragma: no cover - Redis is part of the dev and CI setup
        pytest.fail("Redis is not running on 127.0.0.1:6379")
    found = jobs.get_queue(app)
    yield found
    found.delete(delete_jobs=True)


def test_round_runs_as_an_rq_job(db, login, queue):
    from rq import SimpleWorker

    make_volunteer()
    open_request()
    db.session.commit()
    client = login(coordinator())
    response = client.post("/matches/rounds", data={"neighbourhood": "", "dry_run": "y"})
    assert response.status_code == 303
    matching_round = db.session.scalar(sa.select(MatchingRound))
    assert matching_round.status == RoundStatus.QUEUED
    assert queue.count == 1
    page = client.get(response.location).text
    assert 'http-equiv="refresh"' in page
    assert "bezig" in page
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    db.session.expire_all()
    assert matching_round.status == RoundStatus.DONE
    assert db.session.scalar(sa.select(Match)).status == MatchStatus.SUGGESTED
    assert 'http-equiv="refresh"' not in client.get(response.location).text


def test_failed_job_marks_the_round_failed(db, queue, monkeypatch):
    from rq import SimpleWorker

    from marketplace.matches import services

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(services, "execute_round", broken)
    matching_round = services.create_round(None, None, dry_run=True)
    db.session.commit()
    assert jobs.enqueue_round(matching_round) is True
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    db.session.expire_all()
    assert matching_round.status == RoundStatus.FAILED
    assert "solver exploded" in matching_round.error

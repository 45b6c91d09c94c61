"""Production: RQ's own cron enqueues the tick on the app's queue and a worker runs it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from rq import SimpleWorker

from marketplace.models import MatchStatus
from marketplace.notifications.cli import CRON_INTERVAL, build_cron
from marketplace.rounds import services as rounds
from tests.matches.helpers import coordinator, make_volunteer, open_request
from tests.redis_server import RedisServer

QUEUE = f"hulppunt-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def app_config(own_redis: RedisServer) -> dict[str, str]:
    return {"REDIS_URL": own_redis.url, "RQ_QUEUE": QUEUE}


def test_rq_cron_enqueues_the_tick_and_the_worker_runs_it(app, db) -> None:
    make_volunteer()
    open_request()
    matching_round = rounds.run_round(coordinator(), None, dry_run=False)
    [proposal] = rounds.round_matches(matching_round)
    proposal.proposed_at = proposal.proposed_at - timedelta(hours=49)
    db.session.commit()

    scheduler = build_cron(app)
    [job] = scheduler.get_jobs()
    assert (job.queue_name, job.interval) == (QUEUE, CRON_INTERVAL)
    assert [cron_job.func_name for cron_job in scheduler.enqueue_jobs()] == [
        "marketplace.notifications.schedule.tick_job"
    ]
    queue = SimpleWorker.queue_class(QUEUE, connection=scheduler.connection)
    assert queue.count == 1
    SimpleWorker([queue], connection=scheduler.connection).work(burst=True)

    db.session.refresh(proposal)
    assert proposal.status == MatchStatus.EXPIRED


def test_the_cron_command_needs_redis(runner, app) -> None:
    app.config["REDIS_URL"] = None
    result = runner.invoke(args=["notifications", "cron"])
    assert result.exit_code != 0
    assert "flask notifications tick" in result.output

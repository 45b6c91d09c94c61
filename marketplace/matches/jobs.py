"""Running matching rounds in the background (RQ) when ``REDIS_URL`` is set, inline otherwise.

The web request only creates a queued round and enqueues :func:`run_round_job`; the round
page refreshes itself until the round is done. The job builds its own app with
``create_app()`` unless it already runs inside one (``flask rq worker``'s work horse
inherits the CLI's app; tests run a ``SimpleWorker`` inside the test app).
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext

import redis
import rq
from flask import Flask, current_app, has_app_context

from marketplace.extensions import db
from marketplace.models import MatchingRound, RoundStatus

log = logging.getLogger(__name__)
DEFAULT_QUEUE = "hulppunt"
JOB_TIMEOUT = 1800


def _app_context() -> AbstractContextManager[object]:
    if has_app_context():
        return nullcontext()
    from marketplace import create_app

    return create_app().app_context()


def run_round_job(round_id: int) -> str:
    """Execute a queued round, commit, then send the proposals. Returns the round's status."""
    with _app_context():
        return process_round(round_id)


def process_round(round_id: int) -> str:
    """Execute the round in the current app; a failure marks the round failed (and re-raises)."""
    from marketplace.matches import notifications, services

    matching_round = db.session.get(MatchingRound, round_id)
    if matching_round is None or matching_round.status != RoundStatus.QUEUED:
        return "skipped"
    matching_round.status = RoundStatus.RUNNING
    db.session.commit()
    try:
        services.execute_round(matching_round, matching_round.started_by)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        log.exception("Matching round %s failed", round_id)
        failed = db.session.get(MatchingRound, round_id)
        if failed is not None:
            services.fail_round(failed, f"{type(error).__name__}: {error}")
            db.session.commit()
        raise
    notifications.notify_round(matching_round)
    return str(matching_round.status)


def queue_name(app: Flask) -> str:
    return str(app.config.get("RQ_QUEUE") or DEFAULT_QUEUE)


def get_queue(app: Flask) -> rq.Queue:
    """The RQ queue on the app's REDIS_URL. Raises RuntimeError when REDIS_URL is not set."""
    url = app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    return rq.Queue(queue_name(app), connection=redis.Redis.from_url(url))


def enqueue_round(matching_round: MatchingRound) -> bool:
    """Run a committed, queued round: as an RQ job when REDIS_URL is set (returns True),
    else right now in this request (returns False)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("REDIS_URL"):
        queue = get_queue(app)
        queue.enqueue(run_round_job, matching_round.id, job_timeout=JOB_TIMEOUT)
        return True
    try:
        process_round(matching_round.id)
    except Exception:  # noqa: BLE001 - the failure is stored on the round and shown there
        log.warning("Inline matching round %s failed", matching_round.id)
    return False

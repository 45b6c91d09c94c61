"""Work that must follow a commit: written in the transaction, delivered after it.

A service that wants an e-mail sent or a matching round run calls :func:`add`, which stores an
:class:`~marketplace.models.OutboxMessage` in the same transaction as the change that caused
it. Nothing leaves the process before that transaction commits, and nothing is lost when the
process dies or Redis is away afterwards: the row waits until somebody delivers it.

Delivery, after :func:`marketplace.transaction.commit`:

* ``REDIS_URL`` set: each new row becomes an RQ job (with RQ's ``Retry``); rows that were left
  waiting earlier (Redis was down) are handed out with them. When Redis cannot be reached,
  e-mail is delivered in the request instead and matching rounds wait.
* ``REDIS_URL`` not set: delivered right away, in the request.
* ``flask outbox deliver`` delivers whatever is still due, in its own process: after a crash,
  or while Redis is down (run it from cron every minute in production).

Exactly one deliverer works on a row at a time (:func:`_claim` is a conditional UPDATE). A
deliverer that dies leaves its row ``running``; after :data:`STALE_AFTER` it counts as lost and
is handed out again, so handlers must tolerate running twice (rounds check their own state,
an e-mail may in that rare case arrive twice).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from marketplace import writes
from marketplace.extensions import db
from marketplace.models import OutboxMessage, OutboxStatus, utcnow

if TYPE_CHECKING:
    import rq

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]
SESSION_KEY = "outbox_written"
DEFAULT_QUEUE = "hulppunt"
#: Attempts before a message is given up (and shown as failed).
MAX_ATTEMPTS = 5
#: Seconds to wait before attempt 2, 3, 4 and 5.
RETRY_DELAYS = (30, 120, 600, 3600)
#: A row handed out longer ago than this is assumed lost (longer than the longest job).
STALE_AFTER = timedelta(minutes=45)
#: Seconds a dead Redis may cost a web request before it is given up on.
REDIS_TIMEOUT = 1.0


@dataclass(frozen=True)
class Kind:
    """What one kind of message does when delivered."""

    handler: Handler
    #: Deliver in the web request when the queue is unreachable (cheap work only).
    inline_when_queue_down: bool
    job_timeout: int


def init_app(app: Flask, kinds: dict[str, Kind]) -> None:
    """Give the app its table of kinds: the only place a stored ``kind`` leads to code.

    ``create_app`` passes it in, so this module imports no feature (features import it).
    """
    app.extensions["outbox"] = dict(kinds)


def _kinds() -> dict[str, Kind]:
    kinds: dict[str, Kind] = current_app.extensions["outbox"]
    return kinds


def add(kind: str, payload: dict[str, Any]) -> OutboxMessage:
    """Store one message in the current transaction; it is delivered after the commit.

    Raises ``ValueError`` for an unknown kind (a programming error, never user input).
    """
    if kind not in _kinds():
        raise ValueError(f"unknown outbox kind {kind!r}")
    message = OutboxMessage(
        kind=kind, payload=payload, status=OutboxStatus.PENDING, available_at=utcnow()
    )
    db.session.add(message)
    db.session.info.setdefault(SESSION_KEY, []).append(message)
    return message


def written_in(session: Session) -> list[OutboxMessage]:
    """The messages this transaction added so far (and forgets them)."""
    return list(session.info.pop(SESSION_KEY, []))


def forget(session: Session) -> None:
    """After a rollback: the messages were never stored."""
    session.info.pop(SESSION_KEY, None)


# --- handing out --------------------------------------------------------------------------


def queue_name(app: Flask) -> str:
    return str(app.config.get("RQ_QUEUE") or DEFAULT_QUEUE)


def get_queue(app: Flask, *, for_worker: bool = False) -> rq.Queue:
    """The RQ queue on the app's REDIS_URL. Raises RuntimeError when REDIS_URL is not set.

    A web request's connection gives up after :data:`REDIS_TIMEOUT`; a worker's does not
    (it waits on the queue with a blocking pop).
    """
    url = app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    # Imported here (redis also in dispatch and kick, after the same check): redis and rq
    # cost every process start-up about 0.1 s, and without REDIS_URL they are never used.
    import redis
    import rq

    if for_worker:
        connection = redis.Redis.from_url(url)
    else:
        connection = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT * 5
        )
    return rq.Queue(queue_name(app), connection=connection)


def dispatch(message_ids: Iterable[int]) -> None:
    """Hand committed messages to delivery. Never raises: what fails stays in the outbox."""
    ids = list(message_ids)
    if not ids:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        deliver_here(ids)
        return
    import redis  # on first use, see get_queue

    try:
        queue = get_queue(app)
        for message_id in ids:
            _enqueue(queue, message_id)
        _enqueue_due(queue, exclude=set(ids))
    except (redis.RedisError, OSError) as error:
        log.warning("queue unreachable (%s): delivering e-mail here, rounds wait", error)
        db.session.rollback()
        _deliver_cheap_here(ids)


def kick() -> int:
    """Hand every due message to the queue (when it is reachable). Returns how many.

    Called where somebody waits for work that may have been left behind while Redis was down:
    a queued round's page, and a worker starting.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        return 0
    import redis  # on first use, see get_queue

    try:
        return _enqueue_due(get_queue(app), exclude=set())
    except (redis.RedisError, OSError) as error:
        db.session.rollback()
        log.info("queue still unreachable: %s", error)
        return 0


def _deliver_cheap_here(ids: list[int]) -> None:
    kinds = _kinds()
    rows = db.session.execute(
        sa.select(OutboxMessage.id, OutboxMessage.kind).where(OutboxMessage.id.in_(ids))
    ).all()
    deliver_here([message_id for message_id, kind in rows
                  if kinds[kind].inline_when_queue_down])


def _enqueue(queue: rq.Queue, message_id: int) -> None:
    import rq  # loaded with the queue, see get_queue

    kind = db.session.scalar(sa.select(OutboxMessage.kind).where(OutboxMessage.id == message_id))
    if kind is None:
        return
    queue.enqueue(
        deliver_job,
        message_id,
        job_timeout=_kinds()[kind].job_timeout,
        retry=rq.Retry(max=MAX_ATTEMPTS - 1, interval=list(RETRY_DELAYS)),
        job_id=f"outbox-{message_id}-{utcnow().timestamp():.0f}",
    )
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.QUEUED, available_at=utcnow())
    )
    db.session.commit()


def _due_ids(limit: int | None = None) -> list[int]:
    """Pending messages whose time has come, and handed-out ones that went stale."""
    now = utcnow()
    query = (
        sa.select(OutboxMessage.id)
        .where(
            sa.or_(
                sa.and_(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.available_at <= now,
                ),
                sa.and_(
                    OutboxMessage.status.in_((OutboxStatus.QUEUED, OutboxStatus.RUNNING)),
                    OutboxMessage.available_at <= now - STALE_AFTER,
                ),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _enqueue_due(queue: rq.Queue, exclude: set[int]) -> int:
    count = 0
    for message_id in _due_ids(limit=200):
        if message_id not in exclude:
            _stale_to_pending(message_id)
            _enqueue(queue, message_id)
            count += 1
    return count


def _stale_to_pending(message_id: int) -> None:
    db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status.in_((OutboxStatus.QUEUED, OutboxStatus.RUNNING)),
        )
        .values(status=OutboxStatus.PENDING)
    )


# --- delivering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claimed:
    kind: str
    payload: dict[str, Any]
    attempts: int


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    """A message nobody works on: waiting, or handed out so long ago that it counts as lost."""
    return sa.or_(
        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.QUEUED)),
        sa.and_(
            OutboxMessage.status == OutboxStatus.RUNNING,
            OutboxMessage.available_at <= now - STALE_AFTER,
        ),
    )


def _claim(message_id: int) -> _Claimed | None:
    """Take the message for this process (one conditional UPDATE that also reads what the
    message holds), or None when somebody else has it or it is finished. Commits the claim."""
    return _claim_many([message_id]).get(message_id)


def _claim_many(message_ids: list[int]) -> dict[int, _Claimed]:
    """:func:`_claim` for several messages in one statement (and one commit): those taken
    for this process, in the order given."""
    if not message_ids:
        return {}
    now = utcnow()
    rows = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids), _claimable(now))
        .values(
            status=OutboxStatus.RUNNING,
            attempts=OutboxMessage.attempts + 1,
            available_at=now,
        )
        .returning(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.payload,
                   OutboxMessage.attempts)
    ).all()
    db.session.commit()
    taken = {row.id: _Claimed(row.kind, dict(row.payload or {}), row.attempts) for row in rows}
    return {message_id: taken[message_id] for message_id in message_ids if message_id in taken}


def _mark_done(message_ids: list[int]) -> None:
    """Mark delivered messages done, and commit (with whatever their handlers changed)."""
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids))
        .values(status=OutboxStatus.DONE, done_at=utcnow(), error="")
    )
    db.session.commit()


def deliver(message_id: int, *, retried_by_queue: bool = False) -> bool:
    """Do the work of one message now. Returns True when it was done here.

    Raises what the handler raised, after recording the failure: the message waits for its
    next attempt (``pending`` with a later ``available_at``, or ``queued`` when RQ retries
    it), or is ``failed`` after :data:`MAX_ATTEMPTS`.
    """
    message = _claim(message_id)
    if message is None:
        return False
    kind, payload, attempts = message.kind, message.payload, message.attempts
    try:
        _kinds()[kind].handler(payload)
    except Exception as error:
        db.session.rollback()
        _record_failure(message_id, attempts, error, retried_by_queue)
        raise
    _mark_done([message_id])
    return True


def _record_failure(
    message_id: int, attempts: int, error: Exception, retried_by_queue: bool
) -> None:
    text = f"{type(error).__name__}: {error}"[:500]
    if attempts >= MAX_ATTEMPTS:
        status, wait = OutboxStatus.FAILED, 0
        log.error("outbox message %s failed for good: %s", message_id, text)
    else:
        status = OutboxStatus.QUEUED if retried_by_queue else OutboxStatus.PENDING
        wait = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
        log.warning("outbox message %s failed (attempt %s): %s", message_id, attempts, text)
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status=status, error=text, available_at=utcnow() + timedelta(seconds=wait))
    )
    db.session.commit()


def deliver_here(message_ids: list[int]) -> None:
    """Deliver one commit's messages in this process (no Redis, or Redis away for e-mail):
    claim them together, run each handler, and mark those that went through done together.
    Never raises.

    Two statements and two commits for all of them, where one message at a time took two of
    each per message (an accepted match writes two). A handler that changed rows is committed
    with its own done mark at once, so a later handler's failure cannot undo its work; a
    handler that fails is recorded on its message (retried later) and the others go on.
    """
    try:
        claimed = _claim_many(message_ids)
    except Exception:  # noqa: BLE001 - the messages wait in the outbox for the next delivery
        log.exception("could not claim outbox messages %s", message_ids)
        _rollback_quietly()
        return
    done: list[int] = []  # delivered, changed no rows, not marked yet
    for message_id, message in claimed.items():
        try:
            _kinds()[message.kind].handler(message.payload)
            if writes.wrote(db.session()):
                _mark_done([message_id])
            else:
                done.append(message_id)
        except Exception as error:  # noqa: BLE001 - recorded on the message; the request goes on
            log.exception("outbox message %s could not be delivered now", message_id)
            _rollback_quietly()
            try:
                _record_failure(message_id, message.attempts, error, retried_by_queue=False)
            except Exception:  # noqa: BLE001 - left running: taken over when it goes stale
                log.exception("could not record the failure of outbox message %s", message_id)
                _rollback_quietly()
    if done:
        try:
            _mark_done(done)
        except Exception:  # noqa: BLE001 - delivered; left running (a rare second delivery)
            log.exception("could not mark outbox messages %s done", done)
            _rollback_quietly()


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool replaces it
        log.debug("rollback after a failed delivery failed too", exc_info=True)


@dataclass(frozen=True)
class DeliveryReport:
    done: int
    failed: int
    skipped: int


def deliver_due(limit: int | None = None) -> DeliveryReport:
    """Deliver every due message in this process (``flask outbox deliver``)."""
    done = failed = skipped = 0
    for message_id in _due_ids(limit):
        _stale_to_pending(message_id)
        db.session.commit()
        try:
            if deliver(message_id):
                done += 1
            else:
                skipped += 1
        except Exception:  # noqa: BLE001 - recorded on the message; go on with the next
            log.exception("outbox message %s failed", message_id)
            failed += 1
    return DeliveryReport(done, failed, skipped)


def counts() -> dict[str, int]:
    """Messages per status (for ``flask outbox status`` and the health check)."""
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    )
    return {str(status): int(count) for status, count in rows}


def failed_messages(limit: int = 200) -> list[OutboxMessage]:
    """Messages given up on after their last attempt, the newest first (the admin page)."""
    return list(db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.id.desc()).limit(limit)
    ))


def retry_failed(message_ids: Iterable[int] | None = None) -> list[int]:
    """Offer failed messages again (all of them with ``None``): each gets a fresh set of
    attempts, due now, and is delivered after the caller's commit like a new message.
    Messages that are not (or no longer) failed are left alone. Returns the ids offered."""
    condition = OutboxMessage.status == OutboxStatus.FAILED
    if message_ids is not None:
        condition = sa.and_(condition, OutboxMessage.id.in_(list(message_ids)))
    # One conditional UPDATE, as every other move of a message: two admins clicking at once
    # offer it once.
    offered = list(db.session.scalars(
        sa.update(OutboxMessage).where(condition)
        .values(status=OutboxStatus.PENDING, attempts=0, available_at=utcnow())
        .returning(OutboxMessage.id), execution_options={"synchronize_session": False},
    ))
    db.session.info.setdefault(SESSION_KEY, []).extend(
        db.session.get(OutboxMessage, message_id) for message_id in sorted(offered))
    return sorted(offered)


def discard_pending(kind: str) -> int:
    """Mark the pending messages of ``kind`` done without delivering them (the demo writes
    invitations nobody should receive). Returns how many; the caller commits."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.kind == kind, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.DONE, done_at=utcnow(), error="")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def prune_done(before: datetime) -> int:
    """Delete messages delivered before ``before`` (they hold rendered mail: names, texts).
    Returns how many; the caller commits."""
    result = db.session.execute(
        sa.delete(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.DONE, OutboxMessage.done_at < before
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def forget_address(address: str) -> int:
    """Delete e-mail to ``address`` that was not sent yet (its account is being deleted).
    Returns how many; the caller commits."""
    waiting = db.session.scalars(
        sa.select(OutboxMessage).where(
            OutboxMessage.kind == "email", OutboxMessage.status != OutboxStatus.DONE
        )
    )
    doomed = [message for message in waiting if (message.payload or {}).get("to") == address]
    for message in doomed:
        db.session.delete(message)
    return len(doomed)


# --- the RQ side --------------------------------------------------------------------------


def deliver_job(message_id: int) -> bool:
    """The RQ job: deliver one message. Raises on failure so RQ's ``Retry`` tries again.

    It runs in the app of the worker that took it: ``flask rq worker`` pushes the app
    context, and its work horses (forked) inherit it; tests run a ``SimpleWorker`` inside
    the test app. Raises ``RuntimeError`` in a worker started without the app.
    """
    if not has_app_context():
        raise RuntimeError("Start Hulppunt's workers with `flask rq worker` (jobs need the app).")
    return deliver(message_id, retried_by_queue=True)

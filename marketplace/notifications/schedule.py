"""Time-driven work, done once per :func:`tick`: expiring proposals (with a re-solve),
reminders the day before an appointment, the weekly digest, and aftercare's follow-up tasks
(:func:`marketplace.aftercare.rules.open_due_tasks`).

:func:`tick` takes the moment to act for (``now``; tests pass their own clock) and is safe
to run twice or in two processes at once: every change is re-checked under the request's
lock before it is made (a lost race is skipped), and every notification has an idempotency
key (one reminder per person per appointment, one digest per person per ISO week), so a
second tick finds nothing left to do.

Who runs it:

* production with ``REDIS_URL``: RQ's own cron, ``flask notifications cron``, enqueues
  :func:`tick_job` every minute on the app's queue, where ``flask rq worker`` runs it;
* ``flask notifications tick`` runs it once (cron, or by hand);
* ``make run`` (no Redis): :func:`init_app` checks after a request, at most once a minute,
  whether a tick is due, and hands it to the outbox as a message of kind
  ``notifications_tick`` (delivered right after, in the same process, once the page was
  sent). The outbox row is also the record of when the last tick was asked for, shared by
  every process, so nothing else needs setting up and a crash loses nothing.
"""

from __future__ import annotations

import logging
import time as clock
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from marketplace import outbox
from marketplace.aftercare import rules as aftercare_rules
from marketplace.errors import Conflict, InvalidTransition
from marketplace.extensions import db
from marketplace.indicators import cache as indicator_cache
from marketplace.matches import services as match_services
from marketplace.matches.appointments import appointment_on
from marketplace.models import HelpRequest, Match, MatchStatus, OutboxMessage, utcnow
from marketplace.notifications import digest, notify
from marketplace.organisations import services as organisation_services
from marketplace.rounds.services import resolve_request
from marketplace.socialmap import stale as socialmap_stale
from marketplace.transaction import commit, rollback
from marketplace.vocabulary import LOCAL_ZONE, NotificationKind, ReferralStatus

log = logging.getLogger(__name__)

#: Reminders go out from this time (Amsterdam) on the day before the appointment.
REMINDER_TIME = time(9, 0)
#: The outbox kind of a tick asked for after a request (``make run``).
OUTBOX_KIND = "notifications_tick"
#: A tick is asked for after requests at most this often.
TICK_EVERY = timedelta(minutes=1)
#: At most this many proposals are expired in one tick (the next tick does the rest).
EXPIRE_BATCH = 200


@dataclass(frozen=True)
class TickReport:
    expired: int
    proposed_again: int
    reminders: int
    digests: int
    tasks: int = 0  # aftercare follow-up tasks opened
    referrals_returned: int = 0

    def __str__(self) -> str:
        return (f"{self.expired} proposal(s) expired, {self.proposed_again} proposed again, "
                f"{self.reminders} reminder(s), {self.digests} digest(s), "
                f"{self.tasks} aftercare task(s), "
                f"{self.referrals_returned} referral(s) returned")


def tick(now: datetime | None = None) -> TickReport:
    """Do every piece of time-driven work that is due at ``now`` (default: the current
    time), each in its own transactions. Safe to run twice or concurrently."""
    now = now or utcnow()
    expired, proposed_again = expire_proposals(now)
    socialmap_stale.tick(now)  # sociale kaart: entries not checked for long are flagged
    indicator_cache.warm(now.astimezone(LOCAL_ZONE).date())  # first-opened figures, ahead
    return TickReport(expired, proposed_again, send_reminders(now), digest.send_digests(now),
                      tasks=aftercare_rules.open_due_tasks(now),
                      referrals_returned=return_overdue_referrals(now))


# --- expiring proposals -------------------------------------------------------------------


def expire_proposals(now: datetime) -> tuple[int, int]:
    """Expire proposals unanswered for ``PROPOSAL_EXPIRES_AFTER_HOURS``; for each, unless
    ``PROPOSAL_EXPIRY_RESOLVE`` is off, propose the next-best volunteer right away.

    Returns (expired, proposed again). One commit per expiry and one per re-solve, so one
    that fails (or was answered meanwhile) does not hold up the others.
    """
    config = current_app.config
    answered_before = now - timedelta(hours=int(config["PROPOSAL_EXPIRES_AFTER_HOURS"]))
    due = list(db.session.scalars(
        sa.select(Match.id)
        .where(Match.status == MatchStatus.PROPOSED, Match.proposed_at <= answered_before)
        .order_by(Match.proposed_at, Match.id)
        .limit(EXPIRE_BATCH)
    ))
    expired = proposed_again = 0
    for match_id in due:
        try:
            match = match_services.expire_proposal(match_id, answered_before, now)
            if match is None:
                rollback()
                continue
            commit()
        except (Conflict, IntegrityError):
            rollback()  # another tick (or the volunteer) was first
            continue
        expired += 1
        if config["PROPOSAL_EXPIRY_RESOLVE"]:
            proposed_again += _propose_again(match.help_request_id, now)
    return expired, proposed_again


def _propose_again(help_request_id: int, now: datetime) -> bool:
    """The re-solve, in its own transaction: when it fails, the expiry stands and the
    request waits in the queue for the next round."""
    try:
        help_request = db.session.get(HelpRequest, help_request_id)
        again = resolve_request(help_request, now) if help_request is not None else None
        commit()
    except Exception:  # noqa: BLE001 - the request stays in the queue; logged for the admin
        rollback()
        log.exception("re-solve for request %s failed", help_request_id)
        return False
    return again is not None


# --- reminders ----------------------------------------------------------------------------


def send_reminders(now: datetime) -> int:
    """From 09:00 Amsterdam time, remind both sides of accepted help of tomorrow's
    appointment (one-off help on that date, a visit of weekly help on that weekday).

    Returns how many reminders were written. One per person per match per appointment day
    (the key), so running again the same day writes none.
    """
    local = now.astimezone(LOCAL_ZONE)
    if local.time() < REMINDER_TIME:
        return 0
    day = local.date() + timedelta(days=1)
    matches = list(db.session.scalars(
        sa.select(Match)
        .join(HelpRequest, Match.help_request_id == HelpRequest.id)
        .where(Match.status == MatchStatus.ACCEPTED, appointment_on(day))
        .order_by(Match.id)
    ).unique())
    written = 0
    try:
        for match in matches:
            for person in (match.volunteer, match.help_request.requester):
                written += notify(
                    person, NotificationKind.APPOINTMENT_REMINDER,
                    key=f"appointment_reminder:{match.id}:{day.isoformat()}:{person.id}",
                    help_request=match.help_request, match=match, day=day.isoformat(),
                ) is not None
        commit()
    except IntegrityError:
        rollback()  # a tick running at the same moment wrote them
        return 0
    return written


# --- requests an organisation left unanswered ---------------------------------------------


def return_overdue_referrals(now: datetime) -> int:
    """Requests routed to a partner organisation and not answered by their answer time go
    back to the meldpunt's queue, the coordinator told (``organisations.services.time_out``).

    Returns how many were returned. One commit per referral; one answered meanwhile (or by
    another tick) is skipped, so running twice returns each once.
    """
    returned = 0
    for referral_id in organisation_services.overdue_referral_ids(now):
        try:
            referral = organisation_services.time_out(referral_id, now)
            commit()
        except (Conflict, IntegrityError, InvalidTransition):
            rollback()
            continue
        returned += referral is not None and referral.status == ReferralStatus.TIMED_OUT
    return returned


# --- who runs the tick --------------------------------------------------------------------


def tick_job() -> str:
    """The job RQ's cron enqueues every minute (``flask notifications cron``); it runs in
    ``flask rq worker``, which provides the app. Returns the report as text."""
    if not has_app_context():
        raise RuntimeError("Start Hulppunt's workers with `flask rq worker` (jobs need the app).")
    return str(tick())


def run_tick_message(payload: dict[str, Any]) -> None:
    """The outbox handler of ``notifications_tick`` messages."""
    log.info("notifications tick: %s", tick())


def ask_for_tick_if_due(now: datetime | None = None) -> bool:
    """Add a ``notifications_tick`` outbox message and commit, unless one was asked for in
    the last minute (by any process). Returns True when one was added."""
    now = now or utcnow()
    recent = db.session.scalar(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.kind == OUTBOX_KIND, OutboxMessage.created_at > now - TICK_EVERY)
        .limit(1)
    )
    if recent is not None:
        return False
    outbox.add(OUTBOX_KIND, {})
    commit()
    return True


_last_check: list[float] = [float("-inf")]


def init_app(app: Flask) -> None:
    """With ``NOTIFICATIONS_TICK_ON_REQUESTS`` (default when there is no ``REDIS_URL``,
    outside tests): after a response has been sent, at most once a minute per process, ask
    for a tick when none was asked for in the last minute."""
    if not app.config.get("NOTIFICATIONS_TICK_ON_REQUESTS"):
        return

    @app.after_request
    def _tick_after_response(response: Response) -> Response:
        moment = clock.monotonic()
        if moment - _last_check[0] >= TICK_EVERY.total_seconds():
            _last_check[0] = moment
            response.call_on_close(lambda: _tick_in(app))
        return response


def _tick_in(app: Flask) -> None:
    with app.app_context():
        try:
            ask_for_tick_if_due()
        except Exception:  # noqa: BLE001 - never break a page for background work
            rollback()
            log.exception("could not run the notifications tick")

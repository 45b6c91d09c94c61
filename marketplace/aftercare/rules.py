"""When aftercare opens a follow-up task for the coordinators of a neighbourhood.

Right away (called inside the caller's transaction): help reported as not given
(:func:`on_not_given`), a rating of 1 or 2 (:func:`on_feedback`), a concern
(:func:`on_concern`). By the scheduled tick (:func:`open_due_tasks`, one commit): one-off help
not confirmed by both sides ``AFTERCARE_UNCONFIRMED_DAYS`` after its date, recurring help
without a visit for ``AFTERCARE_RECURRING_IDLE_WEEKS``, and a request whose day went by while
it still waited for a volunteer. Every task has a key naming its
cause, so running a rule twice opens nothing new (:func:`marketplace.tasks.services.open_task`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db
from marketplace.matches import queries
from marketplace.models import (
    Category,
    Concern,
    Feedback,
    FollowUpTask,
    HelpRequest,
    HelpSession,
    Match,
    MatchStatus,
    Timing,
)
from marketplace.requests import rules as request_rules
from marketplace.tasks.services import open_task
from marketplace.transaction import commit, rollback
from marketplace.vocabulary import LOCAL_ZONE, TaskKind

#: Days a coordinator has for each kind of task, from the day it is opened.
DUE_DAYS = {
    TaskKind.NOT_GIVEN: 2,
    TaskKind.LOW_RATING: 5,
    TaskKind.CONCERN: 2,
    TaskKind.UNCONFIRMED: 5,
    TaskKind.RECURRING_IDLE: 7,
    TaskKind.DATE_PASSED: 2,
}
#: Ratings from 1 up to this one open a task.
LOW_RATING = 2


def _due(kind: TaskKind, today: date) -> date:
    return today + timedelta(days=DUE_DAYS[kind])


def on_not_given(match: Match, side: str, today: date) -> FollowUpTask:
    """One side reported that the help did not happen (once per match per day)."""
    return open_task(
        TaskKind.NOT_GIVEN, key=f"not_given:match:{match.id}:{today.isoformat()}",
        due_on=_due(TaskKind.NOT_GIVEN, today),
        neighbourhood_id=match.help_request.neighbourhood_id,
        person=match.help_request.requester, help_request=match.help_request, match=match,
        params={"by": side},
    )


def on_feedback(feedback: Feedback, today: date) -> FollowUpTask | None:
    """A rating of 1 or 2 opens a task (the rating, not the comment, goes in its text)."""
    if feedback.rating > LOW_RATING:
        return None
    match = feedback.match
    side = "volunteer" if feedback.author_id == match.volunteer_id else "resident"
    return open_task(
        TaskKind.LOW_RATING, key=f"low_rating:feedback:{feedback.id}",
        due_on=_due(TaskKind.LOW_RATING, today),
        neighbourhood_id=match.help_request.neighbourhood_id,
        person=match.help_request.requester, help_request=match.help_request, match=match,
        params={"rating": feedback.rating, "by": side},
    )


def on_concern(concern: Concern, today: date) -> FollowUpTask:
    """Every concern is a task for its neighbourhood (it also stays in the concerns queue)."""
    return open_task(
        TaskKind.CONCERN, key=f"concern:{concern.id}", due_on=_due(TaskKind.CONCERN, today),
        neighbourhood_id=concern.neighbourhood_id, person=concern.reporter,
        help_request=(db.session.get(HelpRequest, concern.help_request_id)
                      if concern.help_request_id is not None else None),
        params={"concern_id": concern.id},
    )


# --- the scheduled rules ------------------------------------------------------------------


def _is_recurring() -> sa.ColumnElement[bool]:
    return sa.or_(HelpRequest.timing == Timing.WEEKLY, Category.recurring.is_(True))


def _running() -> sa.Select[Any]:
    return (
        sa.select(Match)
        .join(HelpRequest, Match.help_request_id == HelpRequest.id)
        .join(Category, HelpRequest.category_id == Category.id)
        .where(Match.status == MatchStatus.ACCEPTED)
    )


def open_unconfirmed(today: date) -> int:
    """One-off help whose date (the last day of a period; the day it was agreed when it has
    no date) lies ``AFTERCARE_UNCONFIRMED_DAYS`` or more behind, not confirmed by both sides
    and not reported as not given. Returns how many tasks were opened."""
    limit = today - timedelta(days=int(current_app.config["AFTERCARE_UNCONFIRMED_DAYS"]))
    help_day = sa.func.coalesce(HelpRequest.date_end, HelpRequest.date_start)
    has_task = sa.exists().where(FollowUpTask.match_id == Match.id,
                                 FollowUpTask.kind == TaskKind.UNCONFIRMED)
    candidates = db.session.scalars(
        _running().where(
            ~_is_recurring(), Match.not_given_at.is_(None), ~has_task,
            sa.or_(Match.resident_confirmed_at.is_(None), Match.volunteer_confirmed_at.is_(None)),
            sa.or_(help_day <= limit, sa.and_(help_day.is_(None), Match.decided_at.is_not(None))),
        ).order_by(Match.id)
    ).unique()
    opened = 0
    for match in candidates:
        day = _help_day(match)
        if day is None or day > limit:
            continue  # no date: counted from the day it was agreed (checked here, in Python)
        open_task(TaskKind.UNCONFIRMED, key=f"unconfirmed:match:{match.id}",
                  due_on=_due(TaskKind.UNCONFIRMED, today),
                  neighbourhood_id=match.help_request.neighbourhood_id,
                  person=match.help_request.requester, help_request=match.help_request,
                  match=match, params={"day": day.isoformat()})
        opened += 1
    return opened


def _help_day(match: Match) -> date | None:
    request = match.help_request
    day = request.date_end or request.date_start
    if day is None and match.decided_at is not None:
        day = match.decided_at.astimezone(LOCAL_ZONE).date()
    return day


def open_recurring_idle(today: date) -> int:
    """Recurring help running for ``AFTERCARE_RECURRING_IDLE_WEEKS`` or more whose last
    noted visit (or its start, when none) is that long ago. One task per last visit day:
    after a new visit and another quiet spell, a new task. Returns how many were opened."""
    weeks = int(current_app.config["AFTERCARE_RECURRING_IDLE_WEEKS"])
    limit = today - timedelta(weeks=weeks)
    last_visit = (sa.select(sa.func.max(HelpSession.day))
                  .where(HelpSession.match_id == Match.id).scalar_subquery())
    rows = db.session.execute(
        _running().add_columns(last_visit).where(_is_recurring()).order_by(Match.id)
    ).unique().all()
    opened = 0
    for match, last in rows:
        started = match.decided_at.astimezone(LOCAL_ZONE).date() if match.decided_at else today
        if match.help_request.date_start is not None:
            started = max(started, match.help_request.date_start)
        since = last or started
        if since > limit:
            continue
        key = f"recurring_idle:match:{match.id}:{since.isoformat()}"
        if db.session.scalar(sa.select(FollowUpTask.id).where(FollowUpTask.key == key)):
            continue
        open_task(TaskKind.RECURRING_IDLE, key=key, due_on=_due(TaskKind.RECURRING_IDLE, today),
                  neighbourhood_id=match.help_request.neighbourhood_id,
                  person=match.help_request.requester, help_request=match.help_request,
                  match=match, params={"since": since.isoformat(), "weeks": weeks})
        opened += 1
    return opened


def open_date_passed(today: date) -> int:
    """Requests still waiting for help (from intake to a proposal) whose last day (a
    one-off's date, a period's end) lies before ``today``: no volunteer is proposed for them
    any more, so a coordinator calls the resident to choose a new day or withdraw. One task
    per request and day: after a new day that passes too, a new task. Returns how many were
    opened."""
    passed = db.session.scalars(
        sa.select(HelpRequest)
        .where(HelpRequest.status.in_(request_rules.WAITING),
               ~queries.date_still_ahead(today))
        .order_by(HelpRequest.id)
    ).all()
    keys = {request.id: f"date_passed:request:{request.id}:{_last_day(request)}"
            for request in passed}
    existing = set(db.session.scalars(
        sa.select(FollowUpTask.key).where(FollowUpTask.key.in_(list(keys.values())))
    )) if keys else set()
    opened = 0
    for request in passed:
        if keys[request.id] in existing:
            continue
        open_task(TaskKind.DATE_PASSED, key=keys[request.id],
                  due_on=_due(TaskKind.DATE_PASSED, today),
                  neighbourhood_id=request.neighbourhood_id, person=request.requester,
                  help_request=request, params={"day": str(_last_day(request))})
        opened += 1
    return opened


def _last_day(request: HelpRequest) -> date | None:
    return request_rules.last_day(request.timing, request.date_start, request.date_end)


def open_due_tasks(now: datetime) -> int:
    """The tick's aftercare step: both scheduled rules, in one commit. Returns how many
    tasks were opened (none when another tick was first)."""
    today = now.astimezone(LOCAL_ZONE).date()
    try:
        opened = (open_unconfirmed(today) + open_recurring_idle(today)
                  + open_date_passed(today))
        commit()
    except IntegrityError:
        rollback()  # a tick running at the same moment opened them
        return 0
    return opened

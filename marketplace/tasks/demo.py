"""Follow-up tasks for the demo (``flask demo``): the coordinator's task list has open and
overdue tasks of several kinds, and one resident is followed by a waakvlam with a history
(two check-ins held, the third overdue). Written through the real rules and services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from marketplace.aftercare import rules, waakvlam
from marketplace.extensions import db
from marketplace.models import Feedback, Match, MatchStatus, User
from marketplace.tasks.services import close_task, open_task
from marketplace.vocabulary import LOCAL_ZONE, TaskKind, local_today

OUTCOMES = ("Gebeld: het gaat goed, de buurvrouw komt vaker langs.",
            "Op bezoek geweest. Ze vindt de week lang; een maatje zou helpen.")


def seed_demo_tasks(coordinator: User) -> int:
    """Open the demo's tasks for ``coordinator``'s neighbourhood. Returns how many."""
    today = local_today()
    accepted = list(db.session.scalars(
        sa.select(Match).where(Match.status == MatchStatus.ACCEPTED).order_by(Match.id).limit(6)
    ).unique())
    for number, match in enumerate(accepted):
        help_request = match.help_request
        kind, days = [(TaskKind.UNCONFIRMED, -3), (TaskKind.NOT_GIVEN, 1),
                      (TaskKind.RECURRING_IDLE, -1), (TaskKind.UNCONFIRMED, 4),
                      (TaskKind.NOT_GIVEN, -2), (TaskKind.RECURRING_IDLE, 6)][number]
        params = {"day": (today - timedelta(days=10)).isoformat(), "by": "resident",
                  "since": (today - timedelta(days=25)).isoformat(), "weeks": 3}
        open_task(kind, key=f"demo:{kind.value}:{match.id}", due_on=today + timedelta(days=days),
                  neighbourhood_id=coordinator.neighbourhood_id, person=help_request.requester,
                  help_request=help_request, match=match, params=params)
    _low_rating(accepted)
    _waakvlam_resident(coordinator, today)
    return len(accepted) + 2


def _low_rating(accepted: list[Match]) -> None:
    if not accepted:
        return
    match = accepted[-1]
    feedback = Feedback(match=match, author_id=match.help_request.requester_id, rating=2,
                        comment="De vrijwilliger was erg gehaast.")
    db.session.add(feedback)
    db.session.flush()
    rules.on_feedback(feedback, local_today() - timedelta(days=8))  # overdue by now


def _waakvlam_resident(coordinator: User, today: date) -> None:
    """A resident of the coordinator's neighbourhood (not the demo login) with a history."""
    resident = db.session.scalar(
        sa.select(User)
        .where(User.email.like("bewoner_%@demo.hulppunt.nl"),
               User.neighbourhood_id == coordinator.neighbourhood_id)
        .order_by(User.id).limit(1))
    if resident is None:
        return
    waakvlam.ensure_default_rhythm()
    rhythm = waakvlam.rhythms()[0]
    day = today - timedelta(days=24)
    followed = waakvlam.start(coordinator, resident, rhythm.id,
                              "Woont alleen sinds kort, na een val.", today=day)
    followed.started_at = datetime.combine(day, time(10, 0), tzinfo=LOCAL_ZONE)
    for outcome in OUTCOMES:
        [task] = [item for item in waakvlam.history_of(resident)[0][1] if item.is_open]
        day = task.due_on
        close_task(task.id, coordinator, outcome)
        waakvlam.close_checkin(task, coordinator, outcome, today=day)

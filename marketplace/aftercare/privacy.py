"""Aftercare's personal data: what the export holds and what an account's deletion or a
request's anonymisation forgets (called from :mod:`marketplace.privacy.services`).

Ratings and their sentences are :class:`~marketplace.models.Feedback` (exported and blanked
there already); the reason help did not happen is a column of the match (exported with it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import FollowUpTask, HelpRequest, Match, User, Waakvlam
from marketplace.vocabulary import TaskKind


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def export(user: User) -> list[dict[str, Any]]:
    """The waakvlams that followed ``user``, each with its check-ins (date and outcome)."""
    waakvlams = db.session.scalars(
        sa.select(Waakvlam).where(Waakvlam.person_id == user.id).order_by(Waakvlam.id)
    ).all()
    checkins = db.session.scalars(
        sa.select(FollowUpTask)
        .where(FollowUpTask.kind == TaskKind.WAAKVLAM, FollowUpTask.person_id == user.id)
        .order_by(FollowUpTask.id)
    ).all()
    return [{
        "rhythm": item.rhythm_name, "stages": item.stages, "note": item.note,
        "started_at": _iso(item.started_at), "stopped_at": _iso(item.stopped_at),
        "checkins": [{"due_on": _iso(task.due_on), "status": str(task.status),
                      "closed_at": _iso(task.closed_at), "outcome": task.outcome}
                     for task in checkins if task.params.get("waakvlam_id") == item.id],
    } for item in waakvlams]


def forget(user: User) -> None:
    """An account is deleted: its waakvlams and their check-ins go, and the reasons it gave
    as a volunteer for help that did not happen are blanked."""
    db.session.execute(sa.delete(FollowUpTask).where(
        FollowUpTask.kind == TaskKind.WAAKVLAM, FollowUpTask.person_id == user.id))
    db.session.execute(sa.delete(Waakvlam).where(Waakvlam.person_id == user.id))
    db.session.execute(
        sa.update(Match).where(Match.volunteer_id == user.id).values(not_given_reason="")
    )


def forget_request(help_request: HelpRequest) -> None:
    """A request is anonymised: the reasons its help did not happen are blanked."""
    db.session.execute(
        sa.update(Match).where(Match.help_request_id == help_request.id)
        .values(not_given_reason="")
    )


def purge(cutoff: datetime) -> int:
    """The retention period passed: waakvlams stopped before ``cutoff`` go with their
    check-ins, and the outcomes of other tasks closed before it are blanked (the counts the
    indicators need stay). Returns how many waakvlams went."""
    stopped = list(db.session.scalars(
        sa.select(Waakvlam.id).where(Waakvlam.stopped_at.is_not(None),
                                     Waakvlam.stopped_at < cutoff)))
    for waakvlam_id in stopped:
        for task in db.session.scalars(sa.select(FollowUpTask).where(
                FollowUpTask.kind == TaskKind.WAAKVLAM)):
            if task.params.get("waakvlam_id") == waakvlam_id:
                db.session.delete(task)
    db.session.execute(sa.delete(Waakvlam).where(Waakvlam.id.in_(stopped)))
    db.session.execute(
        sa.update(FollowUpTask)
        .where(FollowUpTask.closed_at.is_not(None), FollowUpTask.closed_at < cutoff)
        .values(outcome="")
    )
    return len(stopped)

"""The coordinators' task pages' rules: close a task (a waakvlam check-in schedules the
next), count open and overdue ones, and say in words what a task is about."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from marketplace.aftercare import waakvlam
from marketplace.extensions import db
from marketplace.i18n import format_day
from marketplace.i18n import gettext as _
from marketplace.models import FollowUpTask, User
from marketplace.tasks.services import close_task
from marketplace.vocabulary import TASK_KIND_LABELS, TaskKind, TaskStatus, local_today


def close(task_id: int, actor: User, outcome: str) -> FollowUpTask:
    """Close a task with the coordinator's outcome; after a waakvlam check-in the next one
    is opened. Raises what :func:`~marketplace.tasks.services.close_task` raises."""
    task = close_task(task_id, actor, outcome)
    if task.kind is TaskKind.WAAKVLAM:
        waakvlam.close_checkin(task, actor, outcome)
    db.session.flush()
    return task


def counts(neighbourhood_id: int | None, today: date | None = None) -> tuple[int, int]:
    """(open, overdue) tasks of one neighbourhood (``None``: every one)."""
    today = today or local_today()
    query = sa.select(
        sa.func.count(FollowUpTask.id),
        sa.func.count(FollowUpTask.id).filter(FollowUpTask.due_on < today),
    ).where(FollowUpTask.status == TaskStatus.OPEN)
    if neighbourhood_id is not None:
        query = query.where(FollowUpTask.neighbourhood_id == neighbourhood_id)
    open_count, overdue = db.session.execute(query).one()
    return int(open_count), int(overdue)


def _side(task: FollowUpTask) -> str:
    return _("de vrijwilliger") if task.params.get("by") == "volunteer" else _("de bewoner")


def _day(task: FollowUpTask, key: str) -> str:
    raw = task.params.get(key)
    try:
        return format_day(date.fromisoformat(raw)) if isinstance(raw, str) else "-"
    except ValueError:
        return "-"


def describe(task: FollowUpTask) -> str:
    """One sentence for the coordinator: what happened and what to look at. Kinds this
    module does not know (opened by other features) get their label."""
    kind = task.kind
    if kind is TaskKind.UNCONFIRMED:
        return _("De hulp van %(day)s is nog niet door beide kanten bevestigd. Vraag hoe het "
                 "ging.", day=_day(task, "day"))
    if kind is TaskKind.NOT_GIVEN:
        return _("Volgens %(side)s is de hulp niet doorgegaan. Bel om te horen wat er nodig "
                 "is.", side=_side(task))
    if kind is TaskKind.LOW_RATING:
        return _("%(side)s gaf de hulp een %(rating)s (van 5). Vraag wat er beter kan.",
                 side=_side(task).capitalize(), rating=task.params.get("rating", "?"))
    if kind is TaskKind.CONCERN:
        return _("Er is een zorg gemeld. Lees de melding en neem contact op.")
    if kind is TaskKind.RECURRING_IDLE:
        return _("Bij deze vaste hulp is sinds %(day)s geen bezoek gemeld. Vraag of de hulp "
                 "nog loopt.", day=_day(task, "since"))
    if kind is TaskKind.DATE_PASSED:
        return _("De dag van deze aanvraag (%(day)s) is voorbij zonder hulp. Bel de bewoner om "
                 "een nieuwe dag te kiezen of de aanvraag in te trekken.", day=_day(task, "day"))
    if kind is TaskKind.WAAKVLAM:
        return _("Contactmoment %(number)s van de waakvlam: neem contact op met de bewoner en "
                 "schrijf op hoe het gaat.", number=task.params.get("number", "?"))
    return str(TASK_KIND_LABELS.get(kind, kind.value))

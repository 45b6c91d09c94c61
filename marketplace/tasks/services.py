"""The only writer of follow-up tasks: open one (idempotently), close it with an outcome, list.

Other features call :func:`open_task` inside their own transaction; nothing here commits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from marketplace import audit
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import FollowUpTask, HelpRequest, Match, User, utcnow
from marketplace.vocabulary import TaskKind, TaskStatus, local_today

MAX_OUTCOME = 500


def open_task(  # noqa: PLR0913 - every argument is a plain, optional fact about the task
    kind: TaskKind,
    *,
    key: str,
    due_on: date,
    neighbourhood_id: int | None,
    person: User | None = None,
    help_request: HelpRequest | None = None,
    match: Match | None = None,
    params: dict[str, Any] | None = None,
) -> FollowUpTask:
    """Open a task for the coordinators of ``neighbourhood_id`` (all of them, if ``None``).

    Idempotent on ``key``: a task with that key (open or done) is returned unchanged, so the
    same cause never opens two tasks. The caller's transaction commits it.
    """
    existing = db.session.scalar(sa.select(FollowUpTask).where(FollowUpTask.key == key))
    if existing is not None:
        return existing
    task = FollowUpTask(
        kind=kind,
        key=key[:120],
        due_on=due_on,
        neighbourhood_id=neighbourhood_id,
        person_id=person.id if person is not None else None,
        help_request_id=help_request.id if help_request is not None else None,
        match_id=match.id if match is not None else None,
        params=dict(params or {}),
    )
    db.session.add(task)
    db.session.flush()
    audit.record(None, "task.opened", task)
    return task


def close_task(task_id: int, actor: User, outcome: str) -> FollowUpTask:
    """Close a task with a short outcome in the coordinator's words.

    Raises ``NotFound`` for an unknown id, ``DomainError`` for an empty or too long outcome
    or a task that is already closed.
    """
    task = db.session.get(FollowUpTask, task_id)
    if task is None:
        raise NotFound(_l("Deze taak is niet gevonden."))
    outcome = (outcome or "").replace("\x00", "").strip()
    if not outcome:
        raise DomainError(_l("Schrijf in een zin wat er is gebeurd."))
    if len(outcome) > MAX_OUTCOME:
        raise DomainError(_l("Hoogstens 500 tekens."))
    if task.status is not TaskStatus.OPEN:
        raise DomainError(_l("Deze taak is al afgerond."))
    task.status = TaskStatus.DONE
    task.outcome = outcome
    task.closed_at = utcnow()
    task.closed_by_id = actor.id
    db.session.flush()
    audit.record(actor, "task.closed", task)
    return task


def list_tasks(
    neighbourhood_id: int | None = None,
    *,
    status: TaskStatus | None = TaskStatus.OPEN,
    kind: TaskKind | None = None,
    overdue_only: bool = False,
    today: date | None = None,
    limit: int = 500,
) -> list[FollowUpTask]:
    """Tasks, earliest due first. ``None`` filters mean "all"; ``overdue_only`` keeps open
    tasks whose due date has passed (``today`` in the Netherlands unless given)."""
    query = sa.select(FollowUpTask).options(
        joinedload(FollowUpTask.person), joinedload(FollowUpTask.neighbourhood)
    )
    if neighbourhood_id is not None:
        query = query.where(FollowUpTask.neighbourhood_id == neighbourhood_id)
    if status is not None:
        query = query.where(FollowUpTask.status == status)
    if kind is not None:
        query = query.where(FollowUpTask.kind == kind)
    if overdue_only:
        query = query.where(
            FollowUpTask.status == TaskStatus.OPEN,
            FollowUpTask.due_on < (today or local_today()),
        )
    query = query.order_by(FollowUpTask.due_on, FollowUpTask.id).limit(limit)
    return list(db.session.scalars(query).unique())

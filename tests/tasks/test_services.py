"""Follow-up tasks: opened once per cause, closed with an outcome, listed by due date."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.errors import DomainError
from marketplace.models import AuditEntry, FollowUpTask, Role
from marketplace.tasks import services
from marketplace.vocabulary import TaskKind, TaskStatus
from tests import factories


def _open(key: str, due: date, neighbourhood_id: int | None = None) -> FollowUpTask:
    return services.open_task(
        TaskKind.WAAKVLAM, key=key, due_on=due, neighbourhood_id=neighbourhood_id
    )


def test_the_same_cause_opens_one_task(db) -> None:
    first = _open("waakvlam:user:1:1", date(2026, 12, 1))
    again = _open("waakvlam:user:1:1", date(2026, 12, 9))
    assert again.id == first.id
    assert again.due_on == date(2026, 12, 1)
    assert db.session.scalar(sa.select(sa.func.count(FollowUpTask.id))) == 1


def test_closing_needs_an_outcome_and_happens_once(db) -> None:
    coordinator = factories.user(Role.COORDINATOR)
    task = _open("waakvlam:user:1:1", date(2026, 12, 1))
    with pytest.raises(DomainError):
        services.close_task(task.id, coordinator, "   ")
    services.close_task(task.id, coordinator, "Gebeld, gaat goed")
    assert task.status is TaskStatus.DONE
    assert task.closed_by_id == coordinator.id
    with pytest.raises(DomainError):
        services.close_task(task.id, coordinator, "Nog eens")
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "task.closed" in actions


def test_overdue_lists_open_tasks_past_their_date_per_neighbourhood(db) -> None:
    east = factories.neighbourhood("Oost")
    west = factories.neighbourhood("Noordwest")
    db.session.flush()
    late = _open("a", date(2026, 11, 30), east.id)
    _open("b", date(2026, 12, 5), east.id)
    _open("c", date(2026, 11, 1), west.id)
    overdue = services.list_tasks(east.id, overdue_only=True, today=date(2026, 12, 2))
    assert [task.id for task in overdue] == [late.id]
    assert late.overdue_on(date(2026, 12, 2))
    assert not late.overdue_on(date(2026, 11, 30))

"""Waakvlam check-ins: the rhythm is data, each check-in a task, closing one plans the next."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.aftercare import tasks, waakvlam
from marketplace.errors import DomainError, NotAllowed
from marketplace.models import AuditEntry, Role, WaakvlamRhythm
from marketplace.vocabulary import TaskKind, TaskStatus, local_today
from tests import factories
from tests.aftercare.helpers import tasks_of

WEEKLY_THEN_MONTHLY = [{"every_days": 7, "times": 4}, {"every_days": 30, "times": None}]


def test_the_stages_switch_from_weekly_to_monthly() -> None:
    assert [waakvlam.interval_after(WEEKLY_THEN_MONTHLY, held) for held in range(7)] == [
        7, 7, 7, 7, 30, 30, 30]
    assert waakvlam.interval_after(WEEKLY_THEN_MONTHLY, 500) == 30


def test_a_rhythm_with_an_end_ends() -> None:
    stages = [{"every_days": 3, "times": 1}, {"every_days": 14, "times": 2}]
    assert [waakvlam.interval_after(stages, held) for held in range(4)] == [3, 14, 14, None]


@pytest.mark.parametrize("stages", [
    [], "weekly", [{"every_days": 0, "times": 1}], [{"every_days": 7}],
    [{"every_days": 7, "times": None}, {"every_days": 30, "times": 2}],
    [{"every_days": 7, "times": True}],
])
def test_bad_stages_are_refused(db, stages) -> None:
    with pytest.raises(DomainError):
        waakvlam.save_rhythm("Anders", stages)


def _started(db):
    coordinator = factories.user(Role.COORDINATOR)
    resident = factories.user(Role.RESIDENT, neighbourhood=factories.neighbourhood("Oost"))
    rhythm = waakvlam.save_rhythm("Wekelijks dan maandelijks", WEEKLY_THEN_MONTHLY)
    started = waakvlam.start(coordinator, resident, rhythm.id, "Na ziekenhuisopname")
    db.session.commit()
    return coordinator, resident, started


def test_closing_a_checkin_plans_the_next_in_the_rhythm(db) -> None:
    coordinator, resident, started = _started(db)
    today = local_today()
    [first] = tasks_of(TaskKind.WAAKVLAM)
    assert first.due_on == today + timedelta(days=7)
    assert first.person_id == resident.id
    assert first.neighbourhood_id == resident.neighbourhood_id
    for number in range(1, 6):
        [current] = [task for task in tasks_of(TaskKind.WAAKVLAM) if task.is_open]
        assert current.params["number"] == number
        tasks.close(current.id, coordinator, f"Gebeld ({number}), gaat goed")
        db.session.commit()
    dues = [(task.params["number"], task.params["every_days"])
            for task in tasks_of(TaskKind.WAAKVLAM)]
    assert dues == [(1, 7), (2, 7), (3, 7), (4, 7), (5, 30), (6, 30)]
    [open_one] = [task for task in tasks_of(TaskKind.WAAKVLAM) if task.is_open]
    assert open_one.due_on == today + timedelta(days=30)
    assert started.done == 5


def test_a_rhythm_change_does_not_change_a_running_waakvlam(db) -> None:
    _coordinator, _resident, started = _started(db)
    waakvlam.save_rhythm("Wekelijks dan maandelijks", [{"every_days": 1, "times": None}])
    assert started.stages == WEEKLY_THEN_MONTHLY


def test_one_waakvlam_at_a_time_and_only_staff_start_one(db) -> None:
    coordinator, resident, _started_one = _started(db)
    rhythm = db.session.scalar(sa.select(WaakvlamRhythm))
    with pytest.raises(DomainError, match="loopt al"):
        waakvlam.start(coordinator, resident, rhythm.id)
    with pytest.raises(NotAllowed):
        waakvlam.start(factories.user(Role.VOLUNTEER), factories.user(), rhythm.id)


def test_stopping_closes_the_open_checkin_and_plans_no_more(db) -> None:
    coordinator, resident, started = _started(db)
    waakvlam.stop(coordinator, started.id)
    db.session.commit()
    [task] = tasks_of(TaskKind.WAAKVLAM)
    assert task.status is TaskStatus.DONE
    assert task.outcome == waakvlam.STOPPED_OUTCOME
    assert not started.running
    with pytest.raises(DomainError):
        waakvlam.stop(coordinator, started.id)
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"waakvlam.started", "waakvlam.stopped"} <= actions
    assert waakvlam.history_of(resident)[0][1] == [task]


def test_a_missed_checkin_is_overdue(db) -> None:
    _coordinator, _resident, _started_one = _started(db)
    [task] = tasks_of(TaskKind.WAAKVLAM)
    assert not task.overdue_on(local_today())
    assert task.overdue_on(local_today() + timedelta(days=8))


def test_the_admin_adds_a_rhythm_on_the_command_line(runner, db) -> None:
    result = runner.invoke(args=["waakvlam", "rhythm", "Maandelijks",
                                 '[{"every_days": 30, "times": null}]'])
    assert result.exit_code == 0, result.output
    assert [rhythm.name for rhythm in waakvlam.rhythms()] == ["Maandelijks"]
    wrong = runner.invoke(args=["waakvlam", "rhythm", "Fout", '[{"every_days": 0}]'])
    assert wrong.exit_code != 0
    assert "every_days" in wrong.output

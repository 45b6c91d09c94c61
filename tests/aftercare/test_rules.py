"""Aftercare: confirming or reporting after the date, and the tasks each rule opens once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from marketplace.aftercare import rules
from marketplace.aftercare import services as aftercare
from marketplace.concerns.services import create_concern
from marketplace.errors import DomainError, NotAllowed
from marketplace.matches import recurring, services
from marketplace.models import HelpSession, MatchStatus, Role
from marketplace.notifications.schedule import tick
from marketplace.vocabulary import TaskKind, local_today
from tests import factories
from tests.aftercare.helpers import once_match, tasks_of, weekly_match


def _now() -> datetime:
    return datetime.now(UTC)


def test_confirming_or_reporting_before_the_date_is_refused(db) -> None:
    match = once_match(days_ago=-3)
    with pytest.raises(DomainError, match="U kunt vanaf"):
        services.confirm_done(match.volunteer, match, 2)
    with pytest.raises(DomainError, match="U kunt vanaf"):
        aftercare.report_not_given(match.help_request.requester, match, "Niemand kwam")
    assert match.volunteer_confirmed_at is None
    assert match.not_given_at is None
    assert tasks_of(TaskKind.NOT_GIVEN) == []


def test_a_visit_of_recurring_help_cannot_be_confirmed_before_its_day(db) -> None:
    match = weekly_match(started_days_ago=10)
    with pytest.raises(DomainError, match="nog niet geweest"):
        recurring.log_session(match.volunteer, match, local_today() + timedelta(days=1))


def test_after_the_date_the_volunteer_confirms_with_hours(db) -> None:
    match = once_match(days_ago=1)
    services.confirm_done(match.volunteer, match, 2.5)
    services.confirm_done(match.help_request.requester, match)
    assert match.hours == 2.5
    assert match.status == MatchStatus.COMPLETED


def test_not_given_opens_one_task_with_the_reason_and_keeps_the_match(db) -> None:
    match = once_match(days_ago=1)
    resident = match.help_request.requester
    with pytest.raises(DomainError, match="waarom"):
        aftercare.report_not_given(resident, match, "   ")
    aftercare.report_not_given(resident, match, "De vrijwilliger\nkwam niet")
    aftercare.report_not_given(match.volunteer, match, "Niemand deed open")
    db.session.commit()
    [task] = tasks_of(TaskKind.NOT_GIVEN)
    assert task.match_id == match.id
    assert task.person_id == resident.id
    assert task.neighbourhood_id == match.help_request.neighbourhood_id
    assert task.due_on == local_today() + timedelta(days=2)
    assert match.status == MatchStatus.ACCEPTED
    assert match.not_given_reason == "Niemand deed open"


def test_only_the_two_sides_report_not_given(db) -> None:
    match = once_match(days_ago=1)
    with pytest.raises(NotAllowed):
        aftercare.report_not_given(factories.user(Role.RESIDENT), match, "Zomaar")


@pytest.mark.parametrize(("rating", "opened"), [(1, 1), (2, 1), (3, 0), (5, 0)])
def test_a_rating_of_one_or_two_opens_a_task(db, rating, opened) -> None:
    match = once_match(days_ago=1)
    services.leave_feedback(match.help_request.requester, match, rating, "Ging niet goed")
    db.session.commit()
    tasks = tasks_of(TaskKind.LOW_RATING)
    assert len(tasks) == opened
    if opened:
        assert tasks[0].params == {"rating": rating, "by": "resident"}


def test_a_concern_opens_a_task_for_its_neighbourhood(db) -> None:
    oost = factories.neighbourhood("Oost")
    resident = factories.user(Role.RESIDENT, neighbourhood=oost)
    concern = create_concern(resident, "Mijn buurvrouw is erg alleen")
    db.session.commit()
    [task] = tasks_of(TaskKind.CONCERN)
    assert task.params["concern_id"] == concern.id
    assert task.neighbourhood_id == oost.id
    assert task.person_id == resident.id


def test_unconfirmed_help_opens_one_task_after_seven_days(db) -> None:
    late = once_match(days_ago=8)
    once_match(days_ago=6)  # not yet
    assert tick(_now()).tasks == 1
    assert tick(_now()).tasks == 0
    [task] = tasks_of(TaskKind.UNCONFIRMED)
    assert task.match_id == late.id
    assert task.params["day"] == (local_today() - timedelta(days=8)).isoformat()


def test_confirmed_or_not_given_help_opens_no_unconfirmed_task(db) -> None:
    confirmed = once_match(days_ago=9)
    services.confirm_done(confirmed.volunteer, confirmed)
    services.confirm_done(confirmed.help_request.requester, confirmed)
    reported = once_match(days_ago=9)
    aftercare.report_not_given(reported.volunteer, reported, "Ziek")
    db.session.commit()
    rules.open_due_tasks(_now())
    assert tasks_of(TaskKind.UNCONFIRMED) == []


def test_the_number_of_days_is_a_setting(app, db) -> None:
    once_match(days_ago=3)
    app.config["AFTERCARE_UNCONFIRMED_DAYS"] = 2
    assert rules.open_due_tasks(_now()) == 1


def test_recurring_help_without_visits_for_three_weeks_opens_one_task(db) -> None:
    idle = weekly_match(started_days_ago=30)
    visited = weekly_match(started_days_ago=30)
    db.session.add(HelpSession(match=visited, day=local_today() - timedelta(days=6)))
    weekly_match(started_days_ago=10)  # too recent to be idle
    db.session.commit()
    assert rules.open_due_tasks(_now()) == 1
    assert rules.open_due_tasks(_now()) == 0
    [task] = tasks_of(TaskKind.RECURRING_IDLE)
    assert task.match_id == idle.id


def test_a_new_quiet_spell_after_a_visit_opens_a_new_task(db) -> None:
    match = weekly_match(started_days_ago=60)
    rules.open_due_tasks(_now())
    db.session.add(HelpSession(match=match, day=local_today() - timedelta(days=25)))
    db.session.commit()
    rules.open_due_tasks(_now())
    assert len(tasks_of(TaskKind.RECURRING_IDLE)) == 2

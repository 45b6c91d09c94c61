"""A request whose day went by while it still waited for a volunteer: no round proposes it,
no volunteer can pick it, the tick opens one task for the coordinators, and the resident's
page says what happens now. Weekly help has no last day and never passes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from marketplace.aftercare import rules as aftercare_rules
from marketplace.aftercare.tasks import describe
from marketplace.errors import DomainError
from marketplace.matches import browsing
from marketplace.matches import services as match_services
from marketplace.models import Match, RequestStatus, Timing
from marketplace.requests import rules
from marketplace.rounds import services as rounds
from marketplace.vocabulary import TaskKind, local_today
from tests.aftercare.helpers import tasks_of
from tests.matches.helpers import coordinator, make_volunteer, open_request

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(("timing", "start", "end", "passed"), [
    (Timing.ONCE, TODAY - timedelta(days=1), None, True),
    (Timing.ONCE, TODAY, None, False),  # today: still possible
    (Timing.RANGE, TODAY - timedelta(days=9), TODAY - timedelta(days=1), True),
    (Timing.RANGE, TODAY - timedelta(days=9), TODAY, False),  # the period runs until today
    (Timing.WEEKLY, TODAY - timedelta(days=90), None, False),  # weekly help has no end
    (Timing.ONCE, None, None, False),
])
def test_the_last_day_decides(timing: Timing, start: date | None, end: date | None,
                              passed: bool) -> None:
    assert rules.date_passed(timing, start, end, TODAY) is passed


def _yesterday() -> date:
    return local_today() - timedelta(days=1)


def test_a_round_leaves_out_a_request_whose_day_passed(db) -> None:
    make_volunteer()
    make_volunteer()
    passed = open_request(date_start=_yesterday())
    coming = open_request()
    weekly = open_request(timing=Timing.WEEKLY, weekday="mon", date_start=_yesterday())
    matching_round = rounds.run_round(coordinator(), None, dry_run=True)
    asked = set(db.session.scalars(
        sa.select(Match.help_request_id).where(Match.round_id == matching_round.id)))
    assert asked == {coming.id, weekly.id}
    assert passed.status == RequestStatus.OPEN


def test_a_volunteer_neither_sees_nor_picks_a_request_whose_day_passed(db) -> None:
    volunteer = make_volunteer()
    passed = open_request(date_start=_yesterday())
    coming = open_request()
    assert [item.help_request.id for item in browsing.open_requests_for(volunteer)] == [coming.id]
    with pytest.raises(DomainError, match="is al voorbij"):
        match_services.pick_request(volunteer, passed)
    assert passed.status == RequestStatus.OPEN


def test_an_expired_proposal_is_not_proposed_again_after_the_day(db) -> None:
    make_volunteer()
    passed = open_request(date_start=_yesterday())
    assert rounds.resolve_request(passed, datetime.now(UTC)) is None


def test_the_tick_opens_one_task_per_passed_day(db) -> None:
    passed = open_request(date_start=_yesterday())
    open_request()  # its day is still to come
    open_request(date_start=_yesterday(), status=RequestStatus.CANCELLED)  # nothing waits
    assert aftercare_rules.open_due_tasks(datetime.now(UTC)) == 1
    assert aftercare_rules.open_due_tasks(datetime.now(UTC)) == 0  # a second tick: nothing
    [task] = tasks_of(TaskKind.DATE_PASSED)
    assert (task.help_request_id, task.person_id) == (passed.id, passed.requester_id)
    assert task.neighbourhood_id == passed.neighbourhood_id
    assert task.due_on == local_today() + timedelta(days=2)
    assert "is voorbij zonder hulp" in describe(task)
    # A new day was agreed and went by too: a new task for it.
    passed.date_start = local_today() - timedelta(days=2)
    db.session.commit()
    assert aftercare_rules.open_due_tasks(datetime.now(UTC)) == 1
    assert len(tasks_of(TaskKind.DATE_PASSED)) == 2


def test_the_resident_reads_what_happens_now(client, db, login) -> None:
    passed = open_request(date_start=_yesterday())
    coming = open_request()
    db.session.commit()
    login(passed.requester)
    page = client.get(f"/requests/{passed.id}").text
    assert "De dag van deze aanvraag is voorbij" in page
    assert "Aanvraag wijzigen" in page
    login(coming.requester)
    assert "De dag van deze aanvraag is voorbij" not in client.get(f"/requests/{coming.id}").text

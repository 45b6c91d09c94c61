"""Calling accepted help off: by either side, also on the day itself; the other side and
the neighbourhood's coordinator hear of it, the request is open again, the pair is not
proposed again, and a same-day cancellation is urgent on the coordinator's list."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from marketplace.errors import Conflict, NotAllowed
from marketplace.matches import lifecycle, services
from marketplace.models import (
    ForbiddenPair,
    Match,
    MatchStatus,
    MatchTransition,
    Notification,
    RequestStatus,
    Role,
    Timing,
)
from marketplace.rounds import services as rounds
from marketplace.vocabulary import NotificationKind as K
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request, switch_user

APPOINTMENT = date(2027, 2, 8)  # a Monday
DAY_BEFORE = datetime(2027, 2, 7, 12, 0, tzinfo=UTC)
SAME_DAY = datetime(2027, 2, 8, 6, 30, tzinfo=UTC)  # 07:30 in Amsterdam


def _accepted(db) -> Match:
    volunteer = make_volunteer()
    help_request = open_request(status=RequestStatus.MATCHED, timing=Timing.ONCE,
                                date_start=APPOINTMENT,
                                neighbourhood=factories.neighbourhood("Centrum"))
    match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.ACCEPTED, volunteer)
    db.session.commit()
    return match


def _told(db, kind: K = K.MATCH_CANCELLED) -> dict[int, Notification]:
    rows = db.session.scalars(sa.select(Notification).where(Notification.kind == kind))
    return {row.recipient_id: row for row in rows}


@pytest.fixture
def coordinators(db):
    """A coordinator of the request's neighbourhood and one of another neighbourhood."""
    here = coordinator()
    here.neighbourhood = factories.neighbourhood("Centrum")
    elsewhere = coordinator()
    elsewhere.neighbourhood = factories.neighbourhood("Oost")
    db.session.commit()
    return here, elsewhere


def test_the_volunteer_cancels_the_resident_and_coordinator_hear_it(db, coordinators) -> None:
    here, elsewhere = coordinators
    match = _accepted(db)
    help_request = match.help_request

    same_day = services.cancel_match(match.volunteer, match, "Ziek", now=DAY_BEFORE)
    db.session.commit()

    assert same_day is False
    assert match.status == MatchStatus.CANCELLED
    assert help_request.status == RequestStatus.OPEN
    assert help_request.urgency == 1  # not on the day itself: no change
    told = _told(db)
    assert set(told) == {help_request.requester_id, here.id}  # not the volunteer, not Oost
    assert told[here.id].params["reason"] == "Ziek"
    assert "reason" not in told[help_request.requester_id].params
    assert told[here.id].params["urgent"] is False
    assert db.session.scalar(sa.select(ForbiddenPair).where(
        ForbiddenPair.help_request_id == help_request.id,
        ForbiddenPair.volunteer_id == match.volunteer_id)).reason == "afgezegd"


def test_the_resident_cancels_the_volunteer_and_coordinator_hear_it(db, coordinators) -> None:
    here, _elsewhere = coordinators
    match = _accepted(db)
    resident = match.help_request.requester

    services.cancel_match(resident, match, now=DAY_BEFORE)
    db.session.commit()

    assert set(_told(db)) == {match.volunteer_id, here.id}
    assert match.transitions[-1].actor_id == resident.id


def test_without_a_coordinator_in_the_neighbourhood_all_coordinators_hear_it(db) -> None:
    elsewhere = coordinator()
    elsewhere.neighbourhood = factories.neighbourhood("Oost")
    match = _accepted(db)
    services.cancel_match(match.volunteer, match, now=DAY_BEFORE)
    assert elsewhere.id in _told(db)


def test_a_same_day_cancellation_is_urgent_on_the_coordinators_list(
    db, client, login, coordinators
) -> None:
    here, _elsewhere = coordinators
    match = _accepted(db)
    help_request = match.help_request

    assert services.cancel_match(match.volunteer, match, "Auto kapot", now=SAME_DAY) is True
    db.session.commit()

    assert help_request.urgency == services.URGENT
    assert "op de dag zelf" in help_request.status_note
    assert _told(db)[here.id].params["urgent"] is True
    bell = login(here).get("/notifications").text
    assert "Dringend: vandaag afgezegd: Boodschappen doen" in bell
    assert "Auto kapot" in bell
    queue = client.get("/staff/requests?status=open").text
    assert "Zo snel mogelijk" in queue
    assert "op de dag zelf" in queue


def test_weekly_help_cancelled_on_the_day_of_a_visit_is_urgent(db) -> None:
    match = _accepted(db)
    request = match.help_request
    request.timing, request.weekday, request.date_start = Timing.WEEKLY, "mon", date(2027, 1, 4)
    db.session.commit()
    assert services.cancel_match(match.volunteer, match, now=SAME_DAY) is True


def test_the_pair_is_not_proposed_again(db) -> None:
    match = _accepted(db)
    services.cancel_match(match.volunteer, match, now=DAY_BEFORE)
    db.session.commit()
    rounds.run_round(coordinator(), None, dry_run=False)
    pairs = db.session.scalars(sa.select(Match).where(
        Match.help_request_id == match.help_request_id)).all()
    assert [m.status for m in pairs] == [MatchStatus.CANCELLED]


def test_only_the_two_sides_or_whoever_acts_for_the_resident_can_cancel(db) -> None:
    match = _accepted(db)
    with pytest.raises(NotAllowed):
        services.cancel_match(make_volunteer(pc4="1212"), match)
    services.cancel_match(coordinator(), match, now=DAY_BEFORE)  # staff at the desk
    assert match.status == MatchStatus.CANCELLED


def test_staff_cancelling_is_named_as_staff_in_the_history(db, client, login) -> None:
    match = _accepted(db)
    services.cancel_match(coordinator(), match, now=DAY_BEFORE)
    db.session.commit()
    [transition] = [t for t in db.session.scalars(sa.select(MatchTransition))
                    if t.to_status == MatchStatus.CANCELLED]
    assert transition.note == "afgezegd door coördinator"


def test_the_download_is_not_cached_and_the_reason_says_who_reads_it(db, client, login) -> None:
    match = _accepted(db)
    login(match.help_request.requester)
    page = client.get(f"/matches/{match.id}/cancel").text
    assert "Alleen de coördinator leest dit, niet de ander." in page
    response = client.get(f"/matches/{match.id}/agenda.ics")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_cancelling_twice_is_refused(db) -> None:
    match = _accepted(db)
    services.cancel_match(match.volunteer, match, now=DAY_BEFORE)
    db.session.commit()
    with pytest.raises(NotAllowed):
        services.cancel_match(match.volunteer, match)


def test_a_lost_race_is_a_conflict(db) -> None:
    match = _accepted(db)
    resident = match.help_request.requester
    # The other side cancelled in another request a moment ago (this session has not seen it).
    db.session.execute(sa.update(Match).where(Match.id == match.id)
                       .values(status=MatchStatus.CANCELLED)
                       .execution_options(synchronize_session=False))
    with pytest.raises(Conflict):
        services.cancel_match(resident, match)


# --- the pages ----------------------------------------------------------------------------


def test_the_confirmation_page_says_what_happens_and_the_post_cancels(
    db, client, login
) -> None:
    match = _accepted(db)
    page = login(match.volunteer).get(f"/matches/{match.id}")
    assert f"/matches/{match.id}/cancel" in page.text

    confirm = client.get(f"/matches/{match.id}/cancel")
    assert confirm.status_code == 200
    assert "krijgt de bewoner daarover bericht" in confirm.text
    assert "U krijgt deze aanvraag niet nog een keer" in confirm.text
    assert match.status == MatchStatus.ACCEPTED  # looking changes nothing

    done = client.post(f"/matches/{match.id}/cancel", data={"reason": "Ziek"})
    assert done.status_code == 303
    db.session.refresh(match)
    assert match.status == MatchStatus.CANCELLED
    assert "De hulp is afgezegd" in client.get(done.location).text


def test_the_resident_sees_the_cancel_button_and_a_stranger_gets_404(
    db, client, login
) -> None:
    match = _accepted(db)
    resident = match.help_request.requester
    assert "Hulp afzeggen" in login(resident).get(f"/matches/{match.id}").text
    confirm = client.get(f"/matches/{match.id}/cancel").text
    assert "krijgt de vrijwilliger daarover bericht" in confirm

    switch_user(login, factories.user(Role.RESIDENT))
    assert client.get(f"/matches/{match.id}/cancel").status_code == 404
    assert client.post(f"/matches/{match.id}/cancel").status_code == 404


def test_help_that_is_not_accepted_cannot_be_cancelled_on_the_page(db, client, login) -> None:
    match = _accepted(db)
    services.cancel_match(match.volunteer, match, now=DAY_BEFORE)
    db.session.commit()
    login(match.volunteer)
    assert "Hulp afzeggen" not in client.get(f"/matches/{match.id}").text
    answer = client.post(f"/matches/{match.id}/cancel")
    assert answer.status_code == 303
    assert "niet (meer) afzeggen" in client.get(answer.location).text


def test_a_too_long_reason_is_refused_with_a_message(db, client, login) -> None:
    match = _accepted(db)
    login(match.volunteer)
    answer = client.post(f"/matches/{match.id}/cancel", data={"reason": "x" * 501})
    assert answer.status_code == 400
    assert "Gebruik hoogstens 500 tekens" in answer.text
    db.session.refresh(match)
    assert match.status == MatchStatus.ACCEPTED


def test_the_request_page_offers_no_report_link_for_cancelled_help(db, client, login) -> None:
    match = _accepted(db)
    help_request = match.help_request
    login(help_request.requester)
    assert "Hulp gegeven melden of beoordelen" in client.get(f"/requests/{help_request.id}").text
    services.cancel_match(match.volunteer, match, now=DAY_BEFORE)
    db.session.commit()
    page = client.get(f"/requests/{help_request.id}").text
    assert "Afgezegd" in page
    assert "Hulp gegeven melden of beoordelen" not in page

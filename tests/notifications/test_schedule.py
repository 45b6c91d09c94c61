"""The tick with a controlled clock: proposals expire at the configured time and the next
suitable volunteer is asked at once; reminders the day before at 09:00 Amsterdam time (also
across the change to and from summer time); running it twice changes nothing more."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from marketplace.matches import lifecycle
from marketplace.models import (
    ForbiddenPair,
    HelpRequest,
    Match,
    MatchStatus,
    Notification,
    OutboxMessage,
    RequestStatus,
    Timing,
)
from marketplace.notifications import schedule
from marketplace.rounds import services as rounds
from marketplace.vocabulary import NotificationKind as K
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request

T0 = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)


def _notifications(db, kind: K, user=None) -> list[Notification]:
    query = sa.select(Notification).where(Notification.kind == kind)
    if user is not None:
        query = query.where(Notification.recipient_id == user.id)
    return list(db.session.scalars(query.order_by(Notification.id)))


def _proposals(db, help_request: HelpRequest) -> list[Match]:
    return list(db.session.scalars(
        sa.select(Match).where(Match.help_request_id == help_request.id).order_by(Match.id)
    ))


def _proposed_at(db, match: Match, moment: datetime) -> None:
    match.proposed_at = moment
    db.session.commit()


@pytest.fixture
def two_volunteers(db):
    """A request, a volunteer next door (asked first) and one a little further away."""
    near = make_volunteer(pc4="1211")
    further = make_volunteer(pc4="1212")
    # Its day lies after the ticks below (T0 + 4 days): a day gone by is not proposed again.
    help_request = open_request(date_start=(T0 + timedelta(days=7)).date())
    rounds.run_round(coordinator(), None, dry_run=False)
    [first] = _proposals(db, help_request)
    assert first.volunteer_id == near.id
    assert first.status == MatchStatus.PROPOSED
    _proposed_at(db, first, T0)
    return help_request, near, further, first


# --- expiry and the re-solve --------------------------------------------------------------


def test_a_proposal_expires_at_the_configured_time_not_before(db, two_volunteers) -> None:
    help_request, near, _further, first = two_volunteers

    report = schedule.tick(T0 + timedelta(hours=48) - timedelta(seconds=1))
    assert report.expired == 0
    assert first.status == MatchStatus.PROPOSED
    assert _notifications(db, K.PROPOSAL_EXPIRED) == []

    report = schedule.tick(T0 + timedelta(hours=48))
    assert report.expired == 1
    db.session.refresh(first)
    assert first.status == MatchStatus.EXPIRED
    assert first.decided_at == T0 + timedelta(hours=48)
    [told] = _notifications(db, K.PROPOSAL_EXPIRED)
    assert told.recipient_id == near.id


def test_the_configured_hours_count(app, db, two_volunteers) -> None:
    app.config["PROPOSAL_EXPIRES_AFTER_HOURS"] = 24
    _help_request, _near, _further, first = two_volunteers
    assert schedule.tick(T0 + timedelta(hours=24)).expired == 1
    db.session.refresh(first)
    assert first.status == MatchStatus.EXPIRED


def test_the_next_best_volunteer_is_proposed_and_told_at_once(db, two_volunteers) -> None:
    help_request, near, further, first = two_volunteers

    report = schedule.tick(T0 + timedelta(hours=48))

    assert report.proposed_again == 1
    old, new = _proposals(db, help_request)
    assert old.id == first.id
    assert old.status == MatchStatus.EXPIRED
    assert new.volunteer_id == further.id
    assert new.status == MatchStatus.PROPOSED
    assert new.proposed_at == T0 + timedelta(hours=48)  # its own time runs from now
    assert new.round is not None
    assert new.round.stats["resolve_for"] == help_request.id
    assert new.explanation["distance_km"] > 0  # explained like any proposal
    db.session.refresh(help_request)
    assert help_request.status == RequestStatus.PROPOSED
    [asked] = _notifications(db, K.PROPOSAL_NEW, further)
    assert asked.match_id == new.id
    assert db.session.scalar(sa.select(ForbiddenPair).where(
        ForbiddenPair.help_request_id == help_request.id,
        ForbiddenPair.volunteer_id == near.id)) is not None


def test_an_expired_or_declined_pair_is_never_proposed_again(db, two_volunteers) -> None:
    help_request, near, further, _first = two_volunteers
    schedule.tick(T0 + timedelta(hours=48))
    second = _proposals(db, help_request)[-1]
    assert second.volunteer_id == further.id

    # The second volunteer lets it expire too: nobody suitable is left, so nobody is asked
    # (the first volunteer, free again, is not asked a second time).
    report = schedule.tick(T0 + timedelta(hours=96))
    assert (report.expired, report.proposed_again) == (1, 0)
    assert [m.status for m in _proposals(db, help_request)] == [MatchStatus.EXPIRED] * 2
    db.session.refresh(help_request)
    assert help_request.status == RequestStatus.OPEN

    # A coordinator's round later on does not ask either of them again.
    rounds.run_round(coordinator(), None, dry_run=False)
    assert len(_proposals(db, help_request)) == 2


def test_a_declined_pair_is_skipped_by_the_re_solve(db) -> None:
    first_choice = make_volunteer(pc4="1211")
    declined = make_volunteer(pc4="1212")
    help_request = open_request()
    factories.db.session.add(ForbiddenPair(help_request_id=help_request.id,
                                           volunteer_id=declined.id, reason="afgewezen"))
    rounds.run_round(coordinator(), None, dry_run=False)
    [proposal] = _proposals(db, help_request)
    assert proposal.volunteer_id == first_choice.id
    _proposed_at(db, proposal, T0)

    assert schedule.tick(T0 + timedelta(hours=48)).proposed_again == 0
    assert _notifications(db, K.PROPOSAL_NEW, declined) == []


def test_with_the_re_solve_off_the_request_just_returns_to_the_queue(
    app, db, two_volunteers
) -> None:
    app.config["PROPOSAL_EXPIRY_RESOLVE"] = False
    help_request, _near, further, _first = two_volunteers

    report = schedule.tick(T0 + timedelta(hours=48))

    assert (report.expired, report.proposed_again) == (1, 0)
    assert len(_proposals(db, help_request)) == 1
    db.session.refresh(help_request)
    assert help_request.status == RequestStatus.OPEN
    assert help_request.status_note == "voorstel niet op tijd beantwoord"
    assert _notifications(db, K.PROPOSAL_NEW, further) == []


def test_an_answered_proposal_does_not_expire(db, two_volunteers) -> None:
    from marketplace.matches import services

    _help_request, near, _further, first = two_volunteers
    services.accept_match(near, first)
    db.session.commit()
    assert schedule.tick(T0 + timedelta(days=10)).expired == 0
    assert first.status == MatchStatus.ACCEPTED


def test_tick_twice_writes_nothing_twice(db, two_volunteers) -> None:
    help_request, _near, _further, _first = two_volunteers
    moment = T0 + timedelta(hours=48)
    schedule.tick(moment)
    counts = (len(_proposals(db, help_request)),
              db.session.scalar(sa.select(sa.func.count(Notification.id))))

    again = schedule.tick(moment)

    assert (again.expired, again.proposed_again, again.reminders) == (0, 0, 0)
    assert (len(_proposals(db, help_request)),
            db.session.scalar(sa.select(sa.func.count(Notification.id)))) == counts


# --- reminders ----------------------------------------------------------------------------


def _accepted(db, **request_fields) -> Match:
    volunteer = make_volunteer()
    help_request = open_request(status=RequestStatus.MATCHED, **request_fields)
    match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.ACCEPTED, volunteer)
    db.session.commit()
    return match


def _reminded(db) -> set[tuple[int, str]]:
    return {(n.recipient_id, n.params["day"]) for n in _notifications(db, K.APPOINTMENT_REMINDER)}


@pytest.mark.parametrize(("appointment", "first_moment"), [
    # Winter time (UTC+1): 09:00 in Amsterdam is 08:00 UTC.
    (date(2027, 2, 8), datetime(2027, 2, 7, 8, 0, tzinfo=UTC)),
    # Summer time starts on Sunday 28 March 2027: 09:00 that day is 07:00 UTC.
    (date(2027, 3, 29), datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),
    # Summer time ends on Sunday 31 October 2027: 09:00 that day is 08:00 UTC again.
    (date(2027, 11, 1), datetime(2027, 10, 31, 8, 0, tzinfo=UTC)),
    # The Saturday before that is still summer time.
    (date(2027, 10, 31), datetime(2027, 10, 30, 7, 0, tzinfo=UTC)),
])
def test_a_reminder_the_day_before_at_nine_amsterdam_time_once(
    db, appointment, first_moment
) -> None:
    match = _accepted(db, timing=Timing.ONCE, date_start=appointment)
    resident = match.help_request.requester

    assert schedule.send_reminders(first_moment - timedelta(minutes=1)) == 0
    assert schedule.tick(first_moment).reminders == 2
    assert schedule.tick(first_moment + timedelta(hours=3)).reminders == 0

    day = appointment.isoformat()
    assert _reminded(db) == {(match.volunteer_id, day), (resident.id, day)}


def test_no_reminder_on_the_day_itself_or_for_other_days(db) -> None:
    _accepted(db, timing=Timing.ONCE, date_start=date(2027, 2, 8))
    assert schedule.send_reminders(datetime(2027, 2, 8, 9, 0, tzinfo=UTC)) == 0
    assert schedule.send_reminders(datetime(2027, 2, 5, 9, 0, tzinfo=UTC)) == 0


def test_weekly_help_is_reminded_of_each_visit(db) -> None:
    match = _accepted(db, timing=Timing.WEEKLY, weekday="mon", date_start=date(2027, 2, 1),
                      date_end=None)
    for sunday in (date(2027, 2, 7), date(2027, 2, 14)):
        moment = datetime.combine(sunday, datetime.min.time(), UTC) + timedelta(hours=8)
        assert schedule.send_reminders(moment) == 2
    assert schedule.send_reminders(datetime(2027, 1, 24, 8, 0, tzinfo=UTC)) == 0  # before start
    assert {day for _user, day in _reminded(db)} == {"2027-02-08", "2027-02-15"}
    assert match.status == MatchStatus.ACCEPTED


def test_no_reminder_for_help_that_is_not_accepted(db) -> None:
    match = _accepted(db, timing=Timing.ONCE, date_start=date(2027, 2, 8))
    lifecycle.cancel(match, None, "afgezegd")
    db.session.commit()
    assert schedule.send_reminders(datetime(2027, 2, 7, 8, 0, tzinfo=UTC)) == 0


def test_a_reminder_mail_says_when_in_the_recipients_language(db) -> None:
    from marketplace.notifications import render_notification

    match = _accepted(db, timing=Timing.ONCE, date_start=date(2027, 2, 8))
    match.volunteer.locale = "en"
    schedule.send_reminders(datetime(2027, 2, 7, 8, 0, tzinfo=UTC))
    for notification in _notifications(db, K.APPOINTMENT_REMINDER):
        subject, text, _html = render_notification(notification)
        if notification.recipient_id == match.volunteer_id:
            assert "Tomorrow" in text
            assert "8 February 2027" in text
        else:
            assert subject == "Herinnering: morgen uw afspraak"
            assert "maandag 8 februari 2027" in text


# --- who runs it --------------------------------------------------------------------------


def test_flask_notifications_tick_runs_it_once(db, runner, two_volunteers) -> None:
    _help_request, _near, _further, first = two_volunteers
    moment = (T0 + timedelta(hours=48)).isoformat()
    result = runner.invoke(args=["notifications", "tick", "--now", moment])
    assert result.exit_code == 0, result.output
    assert "1 proposal(s) expired, 1 proposed again" in result.output
    db.session.refresh(first)
    assert first.status == MatchStatus.EXPIRED


def test_the_command_refuses_a_time_it_cannot_read(runner) -> None:
    result = runner.invoke(args=["notifications", "tick", "--now", "morgen"])
    assert result.exit_code != 0
    assert "2027-03-29T09:00+02:00" in result.output


def test_after_requests_a_tick_is_asked_for_at_most_once_a_minute(db, two_volunteers) -> None:
    _help_request, _near, _further, first = two_volunteers
    first.proposed_at = first.proposed_at - timedelta(days=3650)  # long overdue by now
    db.session.commit()

    assert schedule.ask_for_tick_if_due() is True  # delivered inline: no REDIS_URL
    assert schedule.ask_for_tick_if_due() is False  # one was asked for a moment ago
    rows = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == schedule.OUTBOX_KIND)).all()
    assert [row.status for row in rows] == ["done"]
    db.session.refresh(first)
    assert first.status == MatchStatus.EXPIRED


def test_a_failing_re_solve_leaves_the_expiry_and_the_request_in_the_queue(
    db, two_volunteers, monkeypatch
) -> None:
    help_request, _near, _further, first = two_volunteers

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("solver down")

    monkeypatch.setattr(schedule, "resolve_request", broken)
    report = schedule.tick(T0 + timedelta(hours=48))

    assert (report.expired, report.proposed_again) == (1, 0)
    db.session.refresh(first)
    db.session.refresh(help_request)
    assert first.status == MatchStatus.EXPIRED
    assert help_request.status == RequestStatus.OPEN


def test_no_re_solve_for_a_request_that_was_taken_meanwhile(db, two_volunteers) -> None:
    help_request, _near, _further, _first = two_volunteers
    from marketplace.requests import lifecycle as request_lifecycle

    request_lifecycle.transition(help_request, RequestStatus.CANCELLED, None, "ingetrokken")
    assert rounds.resolve_request(help_request, T0) is None

"""Each event tells the right person, and nobody else."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.matches import lifecycle as match_lifecycle
from marketplace.matches import services as match_services
from marketplace.models import MatchStatus, Notification, RequestSource, RequestStatus, Role
from marketplace.notifications import render_notification
from marketplace.rounds import services as round_services
from marketplace.staff import services as staff_services
from marketplace.vocabulary import NotificationKind as K
from tests import factories
from tests.matches.helpers import make_volunteer, open_request


def _told() -> list[tuple[int, K]]:
    from marketplace.extensions import db

    rows = db.session.scalars(sa.select(Notification).order_by(Notification.id))
    return [(row.recipient_id, row.kind) for row in rows]


def _proposed(help_request=None):
    help_request = help_request or open_request()
    volunteer = make_volunteer()
    match = match_lifecycle.create(help_request.id, volunteer.id, MatchStatus.SUGGESTED, None)
    return help_request, volunteer, match


def test_a_proposal_tells_only_the_volunteer(db) -> None:
    help_request, volunteer, match = _proposed()
    matching_round = round_services.new_round(None, None, dry_run=True)
    match.round = matching_round
    db.session.flush()
    round_services.approve_matches(factories.user(Role.COORDINATOR), matching_round, None)
    assert _told() == [(volunteer.id, K.PROPOSAL_NEW)]


def test_accept_and_decline_tell_the_resident(db) -> None:
    help_request, volunteer, match = _proposed()
    match_lifecycle.transition(match, MatchStatus.PROPOSED, None, "")
    help_request.status = RequestStatus.PROPOSED
    db.session.flush()
    match_services.decline_match(volunteer, match, "Ik ben ziek")
    assert _told() == [(help_request.requester_id, K.MATCH_DECLINED)]
    _subject, text, _html = render_notification(db.session.scalar(sa.select(Notification)))
    assert "Ik ben ziek" not in text  # the volunteer's reason is for the coordinator


def test_the_referrer_hears_the_status_only_with_consent(db) -> None:
    referrer = factories.user(Role.REFERRER)
    for consent in (True, False):
        help_request = open_request(created_by_id=referrer.id, source=RequestSource.REFERRER,
                                    consent_given=consent, status=RequestStatus.PROPOSED)
        _request, volunteer, match = _proposed(help_request)
        match_lifecycle.transition(match, MatchStatus.PROPOSED, None, "")
        db.session.flush()
        match_services.accept_match(volunteer, match)
    told = _told()
    with_consent = [kind for recipient, kind in told if recipient == referrer.id]
    assert with_consent == [K.MATCH_ACCEPTED]
    referrer_row = db.session.scalar(sa.select(Notification).where(
        Notification.recipient_id == referrer.id))
    assert referrer_row.match_id is None  # status only: no way to the match's details
    subject, text, _html = render_notification(referrer_row)
    assert subject == "Er is een vrijwilliger voor een aanvraag die u doorgaf"
    assert volunteer.name not in text


def test_the_coordinators_moves_tell_the_resident(db) -> None:
    staff = factories.user(Role.COORDINATOR)
    asked = factories.help_request()
    staff_services.ask_for_info(staff, asked, "Welke dag past u het best?")
    approved = factories.help_request()
    staff_services.approve_request(staff, approved)
    rejected = factories.help_request()
    staff_services.reject_request(staff, rejected, "Dit is geen hulp voor vrijwilligers.")
    escalated = factories.help_request()
    staff_services.escalate_request(staff, escalated, "Zorg nodig")
    assert _told() == [
        (asked.requester_id, K.REQUEST_INFO_NEEDED), (approved.requester_id, K.REQUEST_APPROVED),
        (rejected.requester_id, K.REQUEST_REJECTED), (escalated.requester_id, K.REQUEST_ESCALATED),
    ]
    question = db.session.scalar(sa.select(Notification))
    assert "Onze vraag: Welke dag past u het best?" in render_notification(question)[1]


def test_a_second_question_is_told_again(db, login, client) -> None:
    staff = factories.user(Role.COORDINATOR)
    help_request = factories.help_request()
    staff_services.ask_for_info(staff, help_request, "Eerste vraag")
    help_request.status = RequestStatus.SUBMITTED
    db.session.flush()
    staff_services.ask_for_info(staff, help_request, "Tweede vraag")
    assert _told() == [(help_request.requester_id, K.REQUEST_INFO_NEEDED)] * 2


def test_approval_at_the_desk_tells_nobody(db) -> None:
    from marketplace.requests.services import RequestData, ResidentData
    from marketplace.vocabulary import Timing

    data = RequestData(
        category_id=factories.category().id, title="Boodschappen", description="Elke week",
        timing=Timing.WEEKLY, date_start=None, date_end=None, weekday="mon",
        part_of_day="morning", postcode="1211 AB", address="Kerkstraat 1",
    )
    staff_services.desk_intake(factories.user(Role.COORDINATOR),
                               ResidentData(name="Mevrouw Desk", phone="035 123 4567"), data,
                               consent=True, approve_now=True)
    assert _told() == []


def test_withdrawal_tells_the_volunteer_who_was_asked(db, login, client) -> None:
    help_request, volunteer, match = _proposed()
    match_lifecycle.transition(match, MatchStatus.PROPOSED, None, "")
    help_request.status = RequestStatus.PROPOSED
    db.session.commit()
    login(help_request.requester)
    client.post(f"/requests/{help_request.id}/cancel", data={"reason": ""})
    assert _told() == [(volunteer.id, K.REQUEST_WITHDRAWN)]


def test_the_proposal_mail_writes_the_distance_the_readers_way(db) -> None:
    _help_request, volunteer, match = _proposed()
    match.distance_km = 2.5
    matching_round = round_services.new_round(None, None, dry_run=True)
    match.round = matching_round
    db.session.flush()
    round_services.approve_matches(factories.user(Role.COORDINATOR), matching_round, None)
    proposal = db.session.scalar(sa.select(Notification))
    assert "Afstand: 2,5 km" in render_notification(proposal)[1]
    volunteer.locale = "en"
    assert "Distance: 2.5 km" in render_notification(proposal)[1]


def test_a_link_text_that_is_a_question_gets_no_colon_in_the_text_mail(db) -> None:
    help_request, volunteer, match = _proposed()
    match_lifecycle.transition(match, MatchStatus.PROPOSED, None, "")
    help_request.status = RequestStatus.PROPOSED
    db.session.flush()
    match_services.accept_match(volunteer, match)
    accepted = db.session.scalar(sa.select(Notification).where(
        Notification.kind == K.MATCH_ACCEPTED))
    text = render_notification(accepted)[1]
    assert "Wie helpt mij?\n" in text
    assert "?:" not in text


def test_help_cancelled_at_the_desk_tells_the_resident_in_a_residents_words(db) -> None:
    help_request, volunteer, match = _proposed()
    match_lifecycle.transition(match, MatchStatus.PROPOSED, None, "")
    help_request.status = RequestStatus.PROPOSED
    db.session.flush()
    match_services.accept_match(volunteer, match)
    desk = factories.user(Role.COORDINATOR)
    match_services.cancel_match(desk, match, "Op verzoek")
    told = {row.recipient_id: row for row in db.session.scalars(
        sa.select(Notification).where(Notification.kind == K.MATCH_CANCELLED))}
    subject, text, _html = render_notification(told[help_request.requester_id])
    assert f'De hulp bij "{help_request.title}" is voor u afgezegd.' in text
    assert "Dank u wel dat u wilde helpen" not in text
    assert "/matches/mine" not in text
    assert "Dank u wel dat u wilde helpen" in render_notification(told[volunteer.id])[1]

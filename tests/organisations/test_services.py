"""Routing a request to an organisation; the organisation assigns one of its own volunteers
(an ordinary proposal, accepted as usual) or returns it; it returns by itself when ignored."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace import access
from marketplace.errors import Conflict, FieldError, InvalidTransition, NotAllowed, NotFound
from marketplace.matches import services as match_services
from marketplace.models import (
    MatchStatus,
    Notification,
    RequestStatus,
    Role,
    utcnow,
)
from marketplace.notifications import schedule
from marketplace.organisations import services
from marketplace.vocabulary import NotificationKind as K
from marketplace.vocabulary import ReferralStatus
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request
from tests.organisations.helpers import partner, routed


def _told(db, person, kind: K) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(
        Notification.recipient_id == person.id, Notification.kind == kind)))


def test_routing_tells_the_organisations_coordinator_and_sets_an_answer_time(db, app):
    humanitas = partner()
    referral = routed(humanitas)
    assert referral.status == ReferralStatus.ROUTED
    assert referral.help_request.status == RequestStatus.OPEN
    hours = (referral.due_at - referral.created_at).total_seconds() / 3600
    assert round(hours) == app.config["ORGANISATION_ANSWER_HOURS"] == 72
    [told] = _told(db, humanitas.coordinator, K.REFERRAL_NEW)
    assert told.params["referral_id"] == referral.id


def test_an_organisation_can_have_its_own_answer_time(db):
    referral = routed(partner(answer_hours=24))
    hours = (referral.due_at - referral.created_at).total_seconds() / 3600
    assert round(hours) == 24


def test_only_staff_route_and_only_open_requests_once(db):
    humanitas = partner()
    with pytest.raises(NotAllowed):
        services.route_request(factories.user(Role.RESIDENT), open_request(),
                               humanitas.organisation)
    submitted = factories.help_request(status=RequestStatus.SUBMITTED)
    with pytest.raises(Conflict):
        services.route_request(coordinator(), submitted, humanitas.organisation)
    referral = routed(humanitas)
    with pytest.raises(Conflict):
        services.route_request(coordinator(), referral.help_request, humanitas.organisation)


def test_assigning_makes_a_proposal_the_volunteer_accepts_as_usual(db):
    humanitas = partner()
    referral = routed(humanitas)
    services.assign_volunteer(humanitas.coordinator, referral, humanitas.volunteer.id)
    db.session.commit()
    assert referral.status == ReferralStatus.ASSIGNED
    match = referral.match
    assert match.volunteer_id == humanitas.volunteer.id
    assert match.status == MatchStatus.PROPOSED
    assert referral.help_request.status == RequestStatus.PROPOSED
    assert _told(db, humanitas.volunteer, K.PROPOSAL_NEW)
    # Contact details only after the volunteer said yes, as for every proposal.
    assert access.contact_for(humanitas.volunteer, match) is None
    match_services.accept_match(humanitas.volunteer, match)
    db.session.commit()
    assert referral.help_request.status == RequestStatus.MATCHED
    assert access.contact_for(humanitas.volunteer, match) is not None


def test_only_the_organisations_own_volunteers_can_be_assigned(db):
    humanitas = partner()
    referral = routed(humanitas)
    stranger = make_volunteer()
    with pytest.raises(FieldError):
        services.assign_volunteer(humanitas.coordinator, referral, stranger.id)
    assert referral.status == ReferralStatus.ROUTED


def test_another_organisations_coordinator_cannot_see_or_act(db):
    humanitas, zonnebloem = partner(), partner("De Zonnebloem afdeling Hilversum")
    referral = routed(humanitas)
    assert not access.can_handle_referral(zonnebloem.coordinator, referral)
    with pytest.raises(NotFound):
        services.visible_referral(zonnebloem.coordinator, referral.id)
    with pytest.raises(NotFound):
        services.assign_volunteer(zonnebloem.coordinator, referral, humanitas.volunteer.id)
    with pytest.raises(NotFound):
        services.return_referral(zonnebloem.coordinator, referral, "niet van ons")
    assert services.referrals_for(zonnebloem.coordinator, [ReferralStatus.ROUTED]) == []
    assert services.referrals_for(humanitas.coordinator, [ReferralStatus.ROUTED]) == [referral]
    # Staff of the meldpunt do not act for the organisation either.
    assert not access.can_handle_referral(coordinator(), referral)


def test_returning_needs_a_reason_and_tells_the_coordinator_who_routed_it(db):
    humanitas = partner()
    desk = coordinator()
    referral = routed(humanitas, desk)
    with pytest.raises(FieldError):
        services.return_referral(humanitas.coordinator, referral, "  ")
    services.return_referral(humanitas.coordinator, referral, "Niemand vrij deze week")
    db.session.commit()
    assert referral.status == ReferralStatus.RETURNED
    assert referral.help_request.status == RequestStatus.OPEN
    assert services.waiting_referral(referral.help_request_id) is None
    [told] = _told(db, desk, K.REFERRAL_RETURNED)
    assert told.params["reason"] == "Niemand vrij deze week"
    with pytest.raises(InvalidTransition):
        services.assign_volunteer(humanitas.coordinator, referral, humanitas.volunteer.id)


def test_a_request_taken_meanwhile_cannot_be_assigned(db):
    humanitas = partner()
    referral = routed(humanitas)
    referral.help_request.status = RequestStatus.CANCELLED
    db.session.commit()
    with pytest.raises(Conflict):
        services.assign_volunteer(humanitas.coordinator, referral, humanitas.volunteer.id)


def test_an_ignored_request_returns_by_itself_once(db):
    humanitas = partner()
    desk = coordinator()
    referral = routed(humanitas, desk)
    before = referral.due_at - timedelta(minutes=1)
    assert schedule.return_overdue_referrals(before) == 0
    assert referral.status == ReferralStatus.ROUTED
    later = referral.due_at + timedelta(minutes=1)
    report = schedule.tick(later)
    assert report.referrals_returned == 1
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.TIMED_OUT
    assert referral.help_request.status == RequestStatus.OPEN
    assert [step.to_status for step in referral.transitions] == [
        ReferralStatus.ROUTED, ReferralStatus.TIMED_OUT]
    assert len(_told(db, desk, K.REFERRAL_RETURNED)) == 1
    assert schedule.tick(later).referrals_returned == 0
    assert len(_told(db, desk, K.REFERRAL_RETURNED)) == 1


def test_a_closed_request_is_withdrawn_not_returned(db):
    referral = routed(partner())
    referral.help_request.status = RequestStatus.CANCELLED
    db.session.commit()
    assert schedule.return_overdue_referrals(utcnow() + timedelta(days=4)) == 0
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.WITHDRAWN


def test_a_volunteer_without_the_screening_the_help_needs_cannot_be_assigned(db):
    humanitas = partner()
    referral = routed(humanitas, category_slug="administratie")
    assert referral.help_request.category.requires_vog
    assert services.assignable_volunteers(referral) == []
    with pytest.raises(FieldError):
        services.assign_volunteer(humanitas.coordinator, referral, humanitas.volunteer.id)


def test_the_export_shows_memberships_and_where_requests_went(db):
    from marketplace.privacy.services import export_user_data

    humanitas = partner()
    referral = routed(humanitas)
    assert export_user_data(humanitas.volunteer)["organisations"] == [
        {"organisation": "Humanitas Hilversum", "role": "volunteer",
         "since": humanitas.organisation.members[1].created_at.isoformat()}]
    [sent] = export_user_data(referral.help_request.requester)["organisation_referrals"]
    assert sent["organisation"] == "Humanitas Hilversum"
    assert sent["note"] == "Graag snel"


def test_anonymising_forgets_the_notes_and_a_deleted_account_its_memberships(db):
    from marketplace.privacy.services import anonymise_request, delete_account

    humanitas = partner()
    referral = routed(humanitas)
    services.return_referral(humanitas.coordinator, referral, "Geen tijd")
    anonymise_request(referral.help_request, utcnow())
    db.session.commit()
    db.session.refresh(referral)
    assert (referral.note, referral.reason) == ("", "")
    assert all(step.note == "" for step in referral.transitions)
    delete_account(humanitas.volunteer)
    db.session.commit()
    db.session.refresh(humanitas.organisation)
    assert [m.user_id for m in humanitas.organisation.members] == [humanitas.coordinator.id]


def test_while_an_organisation_is_asked_no_volunteer_picks_the_request(db):
    from marketplace.matches import queries

    referral = routed(partner())
    stranger = make_volunteer()
    assert referral.help_request_id not in [
        row.id for row in queries.nearby_open_candidates(stranger.volunteer_profile)]
    with pytest.raises(Conflict):
        match_services.pick_request(stranger, referral.help_request)

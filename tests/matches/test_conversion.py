"""ORM rows -> matching inputs."""

from __future__ import annotations

from marketplace.matches.queries import eligible_profiles
from marketplace.matches.round_reads import collect_inputs
from marketplace.matches.services import decline_match
from marketplace.models import Match, MatchStatus, RequestStatus
from tests import factories
from tests.matches.helpers import make_volunteer, open_request


def test_open_requests_only_and_never_escalated(db):
    wanted = open_request()
    open_request(category_slug="huishoudelijke-hulp")  # escalates: never matched
    factories.help_request(status=RequestStatus.SUBMITTED, address="Elders 1")
    inputs = collect_inputs(None)
    assert [r.id for r in inputs.requests] == [wanted.id]
    request = inputs.requests[0]
    assert request.category == "boodschappen"
    assert request.slot == "mon-morning"
    assert not request.requires_vog


def test_neighbourhood_filter(db):
    centrum = open_request()
    open_request(pc4="1212")  # no neighbourhood in the factory
    ids = [r.id for r in collect_inputs(factories.neighbourhood("Centrum").id).requests]
    assert ids == [centrum.id]


def test_paused_and_inactive_volunteers_are_left_out(db):
    active = make_volunteer()
    make_volunteer(paused=True)
    gone = make_volunteer()
    gone.active = False
    make_volunteer(skills=())
    db.session.flush()
    assert [p.user_id for p in eligible_profiles()] == [active.id]


def test_volunteer_fields_and_capacity_reduced_by_active_matches(db):
    volunteer = make_volunteer(
        skills=("boodschappen", "bezoek"), capacity=2, training_verified=True, max_travel_km=3
    )
    busy = open_request(status=RequestStatus.MATCHED)
    db.session.add(Match(help_request=busy, volunteer=volunteer, status=MatchStatus.ACCEPTED))
    db.session.flush()
    [vol] = collect_inputs(None).volunteers
    assert vol.id == volunteer.id
    assert vol.skills == frozenset({"boodschappen", "bezoek"})
    assert vol.availability == frozenset({"mon-morning", "wed-afternoon"})
    assert vol.capacity == 1
    assert vol.recent_matches == 1
    assert vol.has_training
    assert not vol.has_vog
    assert vol.max_km == 3


def test_decline_makes_a_forbidden_pair(db):
    volunteer = make_volunteer()
    help_request = open_request(status=RequestStatus.PROPOSED)
    match = Match(
        help_request=help_request, volunteer=volunteer, status=MatchStatus.PROPOSED,
        proposed_at=help_request.created_at,
    )
    db.session.add(match)
    db.session.flush()
    decline_match(volunteer, match, "geen tijd")
    inputs = collect_inputs(None)
    assert (help_request.id, volunteer.id) in inputs.forbidden


def test_same_household_is_forbidden(db):
    volunteer = make_volunteer()
    own = open_request(requester=volunteer)
    neighbour_home = open_request(address=volunteer.address, postcode=volunteer.postcode)
    other = open_request()
    forbidden = set(collect_inputs(None).forbidden)
    assert (own.id, volunteer.id) in forbidden
    assert (neighbour_home.id, volunteer.id) in forbidden
    assert (other.id, volunteer.id) not in forbidden


def test_previous_helpers_come_from_the_residents_feedback(db):
    from marketplace.models import Feedback

    volunteer = make_volunteer()
    resident = factories.user()
    old = open_request(requester=resident, status=RequestStatus.DONE)
    match = Match(help_request=old, volunteer=volunteer, status=MatchStatus.COMPLETED)
    db.session.add(match)
    db.session.flush()
    db.session.add(Feedback(match=match, author_id=resident.id, rating=5))
    new = open_request(requester=resident)
    [request] = collect_inputs(None).requests
    assert request.id == new.id
    assert dict(request.previous_helpers) == {volunteer.id: 5.0}


def test_the_round_reads_changes_not_flushed_yet(db):
    wanted = open_request(urgency=1)
    db.session.flush()
    wanted.urgency = 3  # pending: the bulk reads must not miss it
    [request] = collect_inputs(None).requests
    assert request.urgency == 3

"""Accept, decline, pick, confirm done and feedback (services)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace import access
from marketplace.errors import Conflict, DomainError, NotAllowed, NotFound
from marketplace.matches import services
from marketplace.models import ForbiddenPair, Match, MatchStatus, RequestStatus
from marketplace.rounds import services as rounds
from marketplace.vocabulary import local_today
from tests.matches.helpers import coordinator, make_volunteer, open_request


def proposed(db, volunteer=None, help_request=None):
    """Run a real round with one volunteer and one request; return the proposal."""
    volunteer = volunteer or make_volunteer()
    help_request = help_request or open_request()
    matching_round = rounds.run_round(coordinator(), None, dry_run=False)
    match = db.session.scalar(sa.select(Match).where(Match.round_id == matching_round.id))
    assert match.status == MatchStatus.PROPOSED
    return match


def test_accept_matches_the_request_and_shares_contacts(db):
    match = proposed(db)
    resident = match.help_request.requester
    assert not access.contact_details_visible(match.volunteer, match)
    services.accept_match(match.volunteer, match)
    assert match.status == MatchStatus.ACCEPTED
    assert match.help_request.status == RequestStatus.MATCHED
    assert access.contact_details_visible(match.volunteer, match)
    assert access.contact_details_visible(resident, match)
    assert not access.contact_details_visible(make_volunteer(), match)


def test_someone_else_cannot_accept(db):
    match = proposed(db)
    with pytest.raises(NotFound):
        services.accept_match(make_volunteer(), match)


def test_second_accept_gets_a_clear_message(db):
    match = proposed(db)
    services.accept_match(match.volunteer, match)
    with pytest.raises(Conflict, match="niet meer open"):
        services.accept_match(match.volunteer, match)


def test_decline_forbids_the_pair_and_reopens_the_request(db):
    match = proposed(db)
    services.decline_match(match.volunteer, match, "Ik ben op vakantie")
    assert match.status == MatchStatus.DECLINED
    assert match.decline_reason == "Ik ben op vakantie"
    assert match.help_request.status == RequestStatus.OPEN
    pair = db.session.scalar(sa.select(ForbiddenPair))
    assert (pair.help_request_id, pair.volunteer_id) == (match.help_request_id, match.volunteer_id)
    assert pair.reason == "afgewezen door vrijwilliger"
    again = rounds.run_round(None, None, dry_run=True)
    assert again.unmatched == {str(match.help_request_id): "all_forbidden"}


def test_pick_creates_an_accepted_self_picked_match(db):
    volunteer = make_volunteer()
    help_request = open_request()
    match = services.pick_request(volunteer, help_request)
    assert match.status == MatchStatus.ACCEPTED
    assert match.self_picked
    assert help_request.status == RequestStatus.MATCHED
    assert match.distance_km < 1


def test_pick_withdraws_open_suggestions(db):
    other = make_volunteer()
    help_request = open_request()
    rounds.run_round(None, None, dry_run=True)
    suggestion = db.session.scalar(sa.select(Match).where(Match.volunteer_id == other.id))
    services.pick_request(make_volunteer(), help_request)
    assert suggestion.status == MatchStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("volunteer_fields", "request_fields", "message"),
    [
        ({"skills": ("tuin",)}, {}, "niet in uw profiel"),
        ({"max_travel_km": 0.5}, {"pc4": "1212"}, "verder weg"),
        ({"availability": ["sun-evening"]}, {}, "niet beschikbaar"),
        ({"skills": ("administratie",)}, {"category_slug": "administratie"}, "VOG"),
    ],
)
def test_pick_obeys_the_hard_rules(db, volunteer_fields, request_fields, message):
    volunteer = make_volunteer(**volunteer_fields)
    help_request = open_request(**request_fields)
    with pytest.raises(DomainError, match=message):
        services.pick_request(volunteer, help_request)
    assert help_request.status == RequestStatus.OPEN


def test_pick_refuses_own_household_and_full_capacity(db):
    volunteer = make_volunteer()
    with pytest.raises(DomainError, match="niet aannemen"):
        services.pick_request(volunteer, open_request(requester=volunteer))
    services.pick_request(volunteer, open_request())
    with pytest.raises(DomainError, match="zoveel mensen"):
        services.pick_request(volunteer, open_request())


def test_second_pick_gets_a_clear_message(db):
    help_request = open_request()
    services.pick_request(make_volunteer(), help_request)
    with pytest.raises(Conflict, match="Iemand anders helpt al"):
        services.pick_request(make_volunteer(), help_request)


def test_confirm_done_by_both_completes(db):
    volunteer = make_volunteer()
    help_request = open_request()
    match = services.pick_request(volunteer, help_request)
    help_request.date_start = local_today()  # the planned day has come
    services.confirm_done(volunteer, match, hours=1.5)
    assert match.status == MatchStatus.ACCEPTED
    assert match.hours == 1.5
    assert help_request.status == RequestStatus.MATCHED
    services.confirm_done(help_request.requester, match)
    assert match.status == MatchStatus.COMPLETED
    assert help_request.status == RequestStatus.DONE
    with pytest.raises(NotAllowed):
        services.confirm_done(make_volunteer(), match)


def test_confirm_done_refuses_hours_the_form_refuses(db):
    # The service holds the same limits as the form (0,25 to 100 hours), and a refusal
    # records nothing.
    volunteer = make_volunteer()
    match = services.pick_request(volunteer, open_request())
    match.help_request.date_start = local_today()
    for hours in (0.1, 100.5):
        with pytest.raises(DomainError, match="tussen 0,25 en 100"):
            services.confirm_done(volunteer, match, hours=hours)
        assert match.hours is None
        assert match.volunteer_confirmed_at is None
    services.confirm_done(volunteer, match, hours=100)
    assert match.hours == 100


def test_feedback_rules(db):
    volunteer = make_volunteer()
    help_request = open_request()
    match = services.pick_request(volunteer, help_request)
    with pytest.raises(DomainError, match="1 tot en met 5"):
        services.leave_feedback(volunteer, match, 6, "")
    feedback = services.leave_feedback(help_request.requester, match, 5, "Top!")
    assert feedback.rating == 5
    assert feedback.author_id == help_request.requester_id
    with pytest.raises(DomainError, match="al een beoordeling"):
        services.leave_feedback(help_request.requester, match, 4, "")
    services.leave_feedback(volunteer, match, 4, "")
    with pytest.raises(NotAllowed):
        services.leave_feedback(make_volunteer(), match, 3, "")


def test_matches_for_request_hide_suggestions(db):
    make_volunteer()
    help_request = open_request()
    rounds.run_round(None, None, dry_run=True)
    assert services.matches_for_request(help_request) == []

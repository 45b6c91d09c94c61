"""The engine proposes an organisation: it takes part in a round as one volunteer with its
capacity per round, its neighbourhoods as service area and its kinds of help as skills."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.matches.round_reads import inputs_for_ids
from marketplace.models import Match, OrganisationReferral, RequestStatus
from marketplace.organisations import rounds as organisation_rounds
from marketplace.rounds import services as rounds
from marketplace.vocabulary import ReferralStatus
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request
from tests.organisations.helpers import partner, routed


def _referrals(db) -> list[OrganisationReferral]:
    return list(db.session.scalars(sa.select(OrganisationReferral).order_by(
        OrganisationReferral.id)))


def test_an_organisation_is_one_volunteer_with_its_capacity_area_and_skills(db):
    humanitas = partner(capacity_per_round=2)
    inside = open_request()
    outside = open_request(pc4="1212", neighbourhood=factories.neighbourhood("Oost"))
    inputs = inputs_for_ids([inside.id, outside.id])
    [organisation] = [v for v in inputs.volunteers if v.id == f"org:{humanitas.organisation.id}"]
    assert organisation.capacity == 2
    assert organisation.skills == frozenset({"boodschappen"})
    assert (outside.id, organisation.id) in inputs.forbidden
    assert (inside.id, organisation.id) not in inputs.forbidden


def test_a_real_round_routes_a_request_no_volunteer_can_take(db):
    humanitas = partner(capacity_per_round=1)
    humanitas.volunteer.volunteer_profile.paused = True  # nobody but the organisation
    first, second = open_request(), open_request()
    matching_round = rounds.run_round(coordinator(), None, dry_run=False)
    db.session.commit()
    [referral] = _referrals(db)
    assert referral.status == ReferralStatus.ROUTED
    assert referral.round_id == matching_round.id
    assert referral.help_request_id in (first.id, second.id)  # capacity 1 per round
    assert db.session.scalar(sa.select(sa.func.count(Match.id))) == 0
    [proposal] = organisation_rounds.proposals(matching_round)
    assert proposal.words == ("Organisatie Humanitas Hilversum: werkt in uw wijk, biedt "
                              "boodschappen")
    # The next round leaves the waiting request alone and the organisation is full.
    rounds.run_round(coordinator(), None, dry_run=False)
    db.session.commit()
    assert len(_referrals(db)) == 1


def test_a_nearby_volunteer_and_the_organisation_both_get_a_request(db):
    humanitas = partner(capacity_per_round=3)
    humanitas.volunteer.volunteer_profile.paused = True
    make_volunteer()  # one person next door, capacity 1
    first, second = open_request(), open_request()
    rounds.run_round(coordinator(), None, dry_run=False)
    db.session.commit()
    assert len(_referrals(db)) == 1
    assert {first.status, second.status} == {RequestStatus.PROPOSED, RequestStatus.OPEN}


def test_a_dry_run_only_lists_the_organisation(db, login):
    humanitas = partner()
    humanitas.volunteer.volunteer_profile.paused = True
    open_request()
    desk = coordinator()
    matching_round = rounds.run_round(desk, None, dry_run=True)
    db.session.commit()
    assert _referrals(db) == []
    page = login(desk).get(f"/matches/rounds/{matching_round.id}").get_data(as_text=True)
    assert "Voorgesteld voor een partnerorganisatie" in page
    assert "Organisatie Humanitas Hilversum: werkt in uw wijk, biedt boodschappen" in page
    assert "Naar deze organisatie sturen" in page


def test_requests_waiting_for_an_organisation_stay_out_of_rounds(db):
    referral = routed(partner())
    assert inputs_for_ids([referral.help_request.id]).requests == []

"""The engine proposes an organisation: it takes part in a round as one volunteer with its
capacity per round, its neighbourhoods as service area and its kinds of help as skills."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.matches.round_reads import inputs_for_ids
from marketplace.models import (
    Match,
    Notification,
    OrganisationReferral,
    OutboxMessage,
    RequestStatus,
    utcnow,
)
from marketplace.notifications.services import OUTBOX_KIND
from marketplace.organisations import rounds as organisation_rounds
from marketplace.organisations import services
from marketplace.rounds import services as rounds
from marketplace.vocabulary import NotificationKind, ReferralStatus
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


def _dry_run_for_the_organisation(count: int):
    """A dry run proposing ``count`` open requests to Humanitas (nobody else can take them)."""
    humanitas = partner(capacity_per_round=count)
    humanitas.volunteer.volunteer_profile.paused = True
    requests = [open_request() for _ in range(count)]
    desk = coordinator()
    matching_round = rounds.run_round(desk, None, dry_run=True)
    return humanitas, requests, desk, matching_round


def test_approving_a_dry_run_routes_its_organisation_proposals_once(db):
    humanitas, requests, desk, matching_round = _dry_run_for_the_organisation(2)
    db.session.commit()
    assert _referrals(db) == []
    assert all(proposal.routable for proposal in organisation_rounds.proposals(matching_round))
    approval = rounds.approve_round(desk, matching_round, None)
    db.session.commit()
    referrals = _referrals(db)
    assert approval.referrals == referrals
    assert {referral.help_request_id for referral in referrals} == {r.id for r in requests}
    assert all(referral.status == ReferralStatus.ROUTED and referral.round_id == matching_round.id
               and referral.routed_by_id == desk.id and referral.due_at > utcnow()
               for referral in referrals)
    told = db.session.scalars(sa.select(Notification).where(
        Notification.recipient_id == humanitas.coordinator.id,
        Notification.kind == NotificationKind.REFERRAL_NEW)).all()
    assert len(told) == 2
    mailed = {message.payload.get("notification_id") for message in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == OUTBOX_KIND))}
    assert {notification.id for notification in told} <= mailed
    assert [p.referral for p in organisation_rounds.proposals(matching_round)] == referrals
    assert not any(p.routable for p in organisation_rounds.proposals(matching_round))
    # Approving again, even after the organisation gave one back, routes nothing twice.
    services.return_referral(humanitas.coordinator, referrals[0], "Geen tijd")
    db.session.commit()
    assert rounds.approve_round(desk, matching_round, None).referrals == []
    assert len(_referrals(db)) == 2


def test_approving_chosen_proposals_skips_closed_and_hand_routed_requests(db):
    humanitas, (closed, by_hand, chosen, left), desk, matching_round = (
        _dry_run_for_the_organisation(4))
    db.session.commit()
    closed.status = RequestStatus.CANCELLED
    returned = services.route_request(desk, by_hand, humanitas.organisation)
    services.return_referral(humanitas.coordinator, returned, "Geen tijd")  # open again
    db.session.commit()
    approval = rounds.approve_round(desk, matching_round, [],
                                    [closed.id, by_hand.id, chosen.id])
    db.session.commit()
    assert [referral.help_request_id for referral in approval.referrals] == [chosen.id]
    assert {r.help_request_id for r in _referrals(db)} == {by_hand.id, chosen.id}
    assert [p.help_request.id for p in organisation_rounds.proposals(matching_round)
            if p.routable] == [left.id]


def test_a_real_round_is_not_routed_again_on_approval(db):
    humanitas = partner(capacity_per_round=1)
    humanitas.volunteer.volunteer_profile.paused = True
    open_request()
    desk = coordinator()
    matching_round = rounds.run_round(desk, None, dry_run=False)
    db.session.commit()
    assert rounds.approve_round(desk, matching_round, None).referrals == []
    assert len(_referrals(db)) == 1


def test_the_round_page_lets_a_coordinator_choose_organisation_proposals(db, login):
    _, (first, second), desk, matching_round = _dry_run_for_the_organisation(2)
    db.session.commit()
    client = login(desk)
    url = f"/matches/rounds/{matching_round.id}"
    page = client.get(url).get_data(as_text=True)
    assert f'name="organisation_request_ids" value="{first.id}"' in page
    assert "Naar Humanitas Hilversum sturen bij goedkeuren" in page
    assert "Gekozen voorstellen goedkeuren" in page  # no people's suggestions, still a form
    response = client.post(f"{url}/approve", data={"organisation_request_ids": [str(second.id)]})
    assert response.status_code == 303
    [referral] = _referrals(db)
    assert referral.help_request_id == second.id
    page = client.get(url).get_data(as_text=True)
    assert "1 aanvraag naar een partnerorganisatie gestuurd." in page
    assert "naar de vrijwilligers gestuurd" not in page
    assert f'value="{second.id}"' not in page
    response = client.post(f"{url}/approve", data={"organisation_request_ids": ["999999"]})
    assert response.status_code == 303  # not on this round: told, nothing routed
    assert "Kies minstens één voorstel" in client.get(url).get_data(as_text=True)
    assert len(_referrals(db)) == 1

"""Running, reviewing and approving rounds."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.models import (
    AuditEntry,
    ForbiddenPair,
    Match,
    MatchStatus,
    RequestStatus,
    RoundStatus,
)
from marketplace.rounds import services as rounds
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request


def _matches(db, round_id):
    return list(db.session.scalars(sa.select(Match).where(Match.round_id == round_id)))


def test_dry_run_only_suggests(db):
    staff = coordinator()
    volunteer = make_volunteer()
    help_request = open_request()
    lonely = open_request(category_slug="tuin")
    matching_round = rounds.run_round(staff, None, dry_run=True)
    assert matching_round.status == RoundStatus.DONE
    [match] = _matches(db, matching_round.id)
    assert (match.help_request_id, match.volunteer_id) == (help_request.id, volunteer.id)
    assert match.status == MatchStatus.SUGGESTED
    assert match.explanation["category"] == "boodschappen"
    assert match.explanation["slot"] == "mon-morning"
    assert match.explanation["feasible_count"] == 1
    assert match.explanation["rank"] == 1
    assert set(match.explanation["terms"]) >= {"distance", "urgency", "load"}
    assert help_request.status == RequestStatus.OPEN
    assert matching_round.unmatched == {str(lonely.id): "no_volunteer_with_skill"}
    assert matching_round.stats["matched"] == 1
    assert matching_round.stats["unmatched_by_reason"] == {"no_volunteer_with_skill": 1}
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "round.finished")
    ) is not None


def test_real_round_proposes_at_once(db):
    make_volunteer()
    help_request = open_request()
    matching_round = rounds.run_round(coordinator(), None, dry_run=False)
    [match] = _matches(db, matching_round.id)
    assert match.status == MatchStatus.PROPOSED
    assert match.proposed_at is not None
    assert help_request.status == RequestStatus.PROPOSED


def test_unmatched_reasons(db):
    make_volunteer(max_travel_km=0.5)
    far = open_request(pc4="1212")
    late = open_request(timing="weekly", weekday="fri", part_of_day="evening", date_start=None)
    vog = open_request(category_slug="administratie")
    make_volunteer(skills=("administratie",), availability=["mon-morning"])
    matching_round = rounds.run_round(None, None, dry_run=True)
    assert matching_round.unmatched[str(far.id)] == "no_volunteer_in_range"
    assert matching_round.unmatched[str(late.id)] == "no_volunteer_available_at_time"
    assert matching_round.unmatched[str(vog.id)] == "requires_vog"
    assert str(rounds.reason_label("requires_vog")) == "Geen vrijwilliger met een geldige VOG"


def test_approve_some_then_all(db):
    staff = coordinator()
    for _ in range(3):
        make_volunteer()
        open_request()
    matching_round = rounds.run_round(staff, None, dry_run=True)
    first, second, third = _matches(db, matching_round.id)
    approved = rounds.approve_matches(staff, matching_round, [first.id])
    assert approved == [first]
    assert first.status == MatchStatus.PROPOSED
    assert first.help_request.status == RequestStatus.PROPOSED
    assert second.status == MatchStatus.SUGGESTED
    approved = rounds.approve_matches(staff, matching_round, None)
    assert {m.id for m in approved} == {second.id, third.id}
    assert all(m.help_request.status == RequestStatus.PROPOSED for m in (second, third))


def test_approve_skips_requests_that_are_no_longer_open(db):
    staff = coordinator()
    make_volunteer()
    help_request = open_request()
    matching_round = rounds.run_round(staff, None, dry_run=True)
    [match] = _matches(db, matching_round.id)
    help_request.status = RequestStatus.CANCELLED
    assert rounds.approve_matches(staff, matching_round, None) == []
    assert match.status == MatchStatus.WITHDRAWN


def test_rerun_withdraws_old_suggestions_but_a_lock_survives(db):
    staff = coordinator()
    near = make_volunteer(pc4="1211")
    far = make_volunteer(pc4="1212")
    request_a = open_request()
    request_b = open_request()
    first_round = rounds.run_round(staff, None, dry_run=True)
    matches = {m.help_request_id: m for m in _matches(db, first_round.id)}
    locked = matches[request_a.id]
    rounds.lock_match(staff, locked)
    locked_pair = (locked.help_request_id, locked.volunteer_id)
    second_round = rounds.run_round(staff, None, dry_run=True)
    db.session.expire_all()
    assert matches[request_b.id].status == MatchStatus.WITHDRAWN
    kept = db.session.get(Match, locked.id)
    assert kept.status == MatchStatus.SUGGESTED
    assert kept.locked
    assert kept.round_id == second_round.id
    assert (kept.help_request_id, kept.volunteer_id) == locked_pair
    assert second_round.stats["locked"] == 1
    assert {m.volunteer_id for m in _matches(db, second_round.id)} == {near.id, far.id}
    rounds.unlock_match(staff, kept)
    assert not kept.locked


def test_forbid_prevents_re_proposal(db):
    staff = coordinator()
    volunteer = make_volunteer()
    help_request = open_request()
    matching_round = rounds.run_round(staff, None, dry_run=True)
    [match] = _matches(db, matching_round.id)
    rounds.forbid_pair(staff, help_request, volunteer, "eerder mis gegaan")
    assert match.status == MatchStatus.WITHDRAWN
    pair = db.session.scalar(sa.select(ForbiddenPair))
    assert pair.reason == "eerder mis gegaan"
    assert pair.created_by_id == staff.id
    again = rounds.run_round(staff, None, dry_run=True)
    assert _matches(db, again.id) == []
    assert again.unmatched == {str(help_request.id): "all_forbidden"}


def test_forbid_a_proposal_reopens_the_request(db):
    staff = coordinator()
    volunteer = make_volunteer()
    help_request = open_request()
    matching_round = rounds.run_round(staff, None, dry_run=False)
    assert help_request.status == RequestStatus.PROPOSED
    rounds.forbid_pair(staff, help_request, volunteer, "")
    assert help_request.status == RequestStatus.OPEN
    assert _matches(db, matching_round.id)[0].status == MatchStatus.WITHDRAWN


def test_round_for_one_neighbourhood(db):
    make_volunteer()
    make_volunteer(pc4="1212")
    centrum = open_request()
    open_request(pc4="1212")
    matching_round = rounds.run_round(None, factories.neighbourhood("Centrum").id, True)
    assert [m.help_request_id for m in _matches(db, matching_round.id)] == [centrum.id]


def test_round_services_refuse_anyone_but_staff(db):
    """The routes are staff-only; the services say so too (access.py), for any other caller."""
    from marketplace.errors import NotAllowed

    volunteer = make_volunteer()
    open_request()
    matching_round = rounds.run_round(None, None, dry_run=True)
    match = db.session.scalar(sa.select(Match).where(Match.round_id == matching_round.id))
    for attempt in (
        lambda: rounds.create_round(volunteer, None, dry_run=True),
        lambda: rounds.approve_matches(volunteer, matching_round, None),
        lambda: rounds.lock_match(volunteer, match),
        lambda: rounds.forbid_pair(volunteer, match.help_request, volunteer),
    ):
        with pytest.raises(NotAllowed):
            attempt()
    assert match.status == MatchStatus.SUGGESTED
    assert match.locked is False

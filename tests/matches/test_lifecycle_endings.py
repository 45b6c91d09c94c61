"""The match lifecycle's two newer endings: an unanswered proposal expires, accepted help is
cancelled; both end the pair for that request for good."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from marketplace.errors import InvalidTransition
from marketplace.matches import lifecycle, pair_rules
from marketplace.models import Match, MatchStatus
from tests import factories

AT = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def _match(status: MatchStatus) -> Match:
    match = Match(help_request=factories.help_request(), volunteer=factories.volunteer(),
                  status=status)
    factories.db.session.add(match)
    factories.db.session.flush()
    return match


def test_a_proposal_expires_at_the_given_moment_by_the_system(db) -> None:
    match = _match(MatchStatus.PROPOSED)

    lifecycle.expire(match, AT)
    db.session.flush()

    assert match.status == MatchStatus.EXPIRED
    assert match.decided_at == AT
    record = match.transitions[-1]
    assert (record.from_status, record.to_status, record.actor_id) == (
        MatchStatus.PROPOSED, MatchStatus.EXPIRED, None)
    assert record.at == AT


@pytest.mark.parametrize("status", [s for s in MatchStatus if s != MatchStatus.PROPOSED])
def test_only_a_proposal_can_expire(db, status) -> None:
    match = _match(status)
    with pytest.raises(InvalidTransition):
        lifecycle.expire(match, AT)
    assert match.status == status


def test_accepted_help_can_be_cancelled_with_who_and_why(db) -> None:
    match = _match(MatchStatus.ACCEPTED)
    volunteer = match.volunteer

    lifecycle.cancel(match, volunteer, "ziek geworden")
    db.session.flush()

    assert match.status == MatchStatus.CANCELLED
    record = match.transitions[-1]
    assert (record.actor_id, record.note) == (volunteer.id, "ziek geworden")


@pytest.mark.parametrize("status", [s for s in MatchStatus if s != MatchStatus.ACCEPTED])
def test_only_accepted_help_can_be_cancelled(db, status) -> None:
    match = _match(status)
    with pytest.raises(InvalidTransition):
        lifecycle.cancel(match, None, "")
    assert match.status == status


@pytest.mark.parametrize("status", sorted(lifecycle.ENDS_PAIR))
def test_an_ended_pair_is_forbidden_for_that_request(db, status) -> None:
    match = _match(status)

    pair = pair_rules.end_pair(None, match)

    assert pair.reason == pair_rules.ENDED_REASONS[status]
    assert pair_rules.is_forbidden(match.help_request, match.volunteer)
    assert pair_rules.end_pair(None, match).id == pair.id  # stored once


def test_a_pair_still_in_play_is_not_ended(db) -> None:
    with pytest.raises(ValueError, match="did not end"):
        pair_rules.end_pair(None, _match(MatchStatus.ACCEPTED))

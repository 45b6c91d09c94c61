"""The request state machine, over every pair of statuses."""

from __future__ import annotations

import itertools

import pytest

from marketplace.errors import InvalidTransition
from marketplace.models import RequestStatus, RequestTransition
from marketplace.requests import lifecycle
from marketplace.requests.lifecycle import ALLOWED, CLOSED, REASON_REQUIRED
from tests import factories

PAIRS = list(itertools.product(RequestStatus, RequestStatus))
LEGAL = [(a, b) for a, b in PAIRS if b in ALLOWED[a]]
ILLEGAL = [(a, b) for a, b in PAIRS if b not in ALLOWED[a]]


def _ids(pair: tuple[RequestStatus, RequestStatus]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


def test_table_covers_every_status() -> None:
    assert set(ALLOWED) == set(RequestStatus)
    assert all(not ALLOWED[status] for status in CLOSED)
    assert len(LEGAL) + len(ILLEGAL) == len(RequestStatus) ** 2


@pytest.mark.parametrize("pair", LEGAL, ids=[_ids(p) for p in LEGAL])
def test_legal_transition_changes_status_and_records_who_and_when(db, pair) -> None:
    from_status, to_status = pair
    coordinator = factories.user("coordinator")
    help_request = factories.help_request(status=from_status)
    before = len(help_request.transitions)

    record = lifecycle.transition(help_request, to_status, coordinator, "  Een reden  ")
    db.session.flush()

    assert help_request.status == to_status
    assert help_request.status_note == "Een reden"
    assert len(help_request.transitions) == before + 1
    assert record.from_status == from_status
    assert record.to_status == to_status
    assert record.actor_id == coordinator.id
    assert record.at is not None
    assert record.note == "Een reden"
    if to_status in CLOSED:
        assert help_request.closed_at is not None
    if to_status == RequestStatus.OPEN:
        assert help_request.opened_at is not None
    if to_status == RequestStatus.MATCHED:
        assert help_request.matched_at is not None


@pytest.mark.parametrize("pair", ILLEGAL, ids=[_ids(p) for p in ILLEGAL])
def test_illegal_transition_is_refused_and_changes_nothing(db, pair) -> None:
    from_status, to_status = pair
    help_request = factories.help_request(status=from_status, status_note="oud")
    db.session.commit()
    rows_before = db.session.query(RequestTransition).count()

    with pytest.raises(InvalidTransition) as raised:
        lifecycle.transition(help_request, to_status, None, "reden")
    db.session.flush()

    assert "kan niet van" in str(raised.value.message)
    assert help_request.status == from_status
    assert help_request.status_note == "oud"
    assert len(help_request.transitions) == 1
    assert db.session.query(RequestTransition).count() == rows_before


REASONED = [(a, b) for a, b in LEGAL if b in REASON_REQUIRED]


@pytest.mark.parametrize("pair", REASONED, ids=[_ids(p) for p in REASONED])
@pytest.mark.parametrize("note", ["", "   "])
def test_reason_is_required_for_some_moves(db, pair, note) -> None:
    from_status, to_status = pair
    help_request = factories.help_request(status=from_status)
    db.session.commit()

    with pytest.raises(InvalidTransition, match="reden"):
        lifecycle.transition(help_request, to_status, None, note)

    assert help_request.status == from_status
    assert len(help_request.transitions) == 1


def test_can_transition_follows_the_table(db) -> None:
    help_request = factories.help_request(status=RequestStatus.SUBMITTED)
    for status in RequestStatus:
        assert lifecycle.can_transition(help_request, status) == (status in ALLOWED[
            RequestStatus.SUBMITTED])


def test_record_creation_has_no_from_status(db) -> None:
    help_request = factories.help_request()
    first = help_request.transitions[0]
    assert first.from_status is None
    assert first.to_status == RequestStatus.SUBMITTED
    assert first.actor_id == help_request.requester_id


def test_long_note_is_cut_to_the_column(db) -> None:
    help_request = factories.help_request()
    lifecycle.transition(help_request, RequestStatus.REJECTED, None, "x" * 600)
    db.session.flush()
    assert len(help_request.status_note) == 500


@pytest.mark.parametrize(
    "to_status", [RequestStatus.CANCELLED, RequestStatus.ESCALATED]
)
def test_leaving_the_marketplace_withdraws_the_volunteers_match(db, to_status) -> None:  # type: ignore[no-untyped-def]
    from marketplace.models import Match, MatchStatus

    help_request = factories.help_request(status=RequestStatus.PROPOSED)
    helper = factories.volunteer()
    match = Match(help_request=help_request, volunteer=helper, status=MatchStatus.PROPOSED)
    db.session.add(match)
    db.session.flush()
    lifecycle.transition(help_request, to_status, None, "Niet meer nodig")
    db.session.commit()
    assert match.status == MatchStatus.WITHDRAWN


def test_a_changed_open_request_goes_back_to_be_checked_without_its_suggestions(db) -> None:
    from marketplace.matches import lifecycle as match_lifecycle
    from marketplace.models import MatchStatus

    help_request = factories.help_request(status=RequestStatus.OPEN)
    suggestion = match_lifecycle.create(help_request.id, factories.volunteer().id,
                                        MatchStatus.SUGGESTED, None)
    db.session.flush()
    lifecycle.transition(help_request, RequestStatus.SUBMITTED, help_request.requester,
                         "Gewijzigd door de bewoner: wanneer")
    db.session.commit()
    assert help_request.status == RequestStatus.SUBMITTED
    assert suggestion.status == MatchStatus.WITHDRAWN
    assert suggestion.transitions[-1].note == "aanvraag: Wacht op goedkeuring"


def test_a_change_that_keeps_the_status_is_a_line_in_the_history(db) -> None:
    help_request = factories.help_request(status=RequestStatus.SUBMITTED)
    record = lifecycle.record_change(help_request, help_request.requester,
                                     " Gewijzigd door de bewoner: titel ")
    db.session.flush()
    assert help_request.status == RequestStatus.SUBMITTED
    assert help_request.status_note == "Gewijzigd door de bewoner: titel"
    assert (record.from_status, record.to_status) == (RequestStatus.SUBMITTED,
                                                     RequestStatus.SUBMITTED)
    assert record.actor_id == help_request.requester_id
    assert help_request.transitions[-1] is record
    with pytest.raises(InvalidTransition):
        lifecycle.record_change(help_request, None, "  ")

"""The match state machine, over every pair of statuses: the only writer of Match.status."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace.errors import InvalidTransition
from marketplace.matches import lifecycle
from marketplace.matches.lifecycle import ALLOWED, INITIAL
from marketplace.models import Match, MatchStatus, MatchTransition
from tests import factories

PAIRS = list(itertools.product(MatchStatus, MatchStatus))
LEGAL = [(a, b) for a, b in PAIRS if b in ALLOWED[a]]
ILLEGAL = [(a, b) for a, b in PAIRS if b not in ALLOWED[a]]
ROOT = Path(__file__).resolve().parents[2] / "marketplace"


def _ids(pair: tuple[MatchStatus, MatchStatus]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


def _match(status: MatchStatus) -> Match:
    volunteer = factories.volunteer()
    help_request = factories.help_request()
    match = Match(help_request=help_request, volunteer=volunteer, status=status, locked=True)
    factories.db.session.add(match)
    factories.db.session.flush()
    return match


def test_table_covers_every_status() -> None:
    assert set(ALLOWED) == set(MatchStatus)
    finished = {MatchStatus.DECLINED, MatchStatus.WITHDRAWN, MatchStatus.COMPLETED}
    assert all(not ALLOWED[status] for status in finished)
    assert len(LEGAL) + len(ILLEGAL) == len(MatchStatus) ** 2


@pytest.mark.parametrize("pair", LEGAL, ids=[_ids(p) for p in LEGAL])
def test_legal_move_changes_status_and_records_who_when_why(db, pair) -> None:
    from_status, to_status = pair
    coordinator = factories.user("coordinator")
    match = _match(from_status)

    lifecycle.transition(match, to_status, coordinator, "  een reden  ")
    db.session.flush()

    assert match.status == to_status
    assert match.locked is False  # a lock only means something for a suggestion
    record = db.session.scalars(
        sa.select(MatchTransition).where(MatchTransition.match_id == match.id)
    ).one()
    assert (record.from_status, record.to_status) == (from_status, to_status)
    assert record.actor_id == coordinator.id
    assert record.note == "een reden"
    assert record.at is not None
    if to_status == MatchStatus.PROPOSED:
        assert match.proposed_at is not None
    if to_status in (MatchStatus.ACCEPTED, MatchStatus.DECLINED, MatchStatus.WITHDRAWN):
        assert match.decided_at is not None


@pytest.mark.parametrize("pair", ILLEGAL, ids=[_ids(p) for p in ILLEGAL])
def test_illegal_move_is_refused_and_changes_nothing(db, pair) -> None:
    from_status, to_status = pair
    match = _match(from_status)
    with pytest.raises(InvalidTransition):
        lifecycle.transition(match, to_status, None, "")
    db.session.flush()
    assert match.status == from_status
    assert match.locked is True
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchTransition)) == 0


@pytest.mark.parametrize("status", list(MatchStatus), ids=[s.value for s in MatchStatus])
def test_creation_only_as_suggestion_or_picked(db, status) -> None:
    volunteer = factories.volunteer()
    help_request = factories.help_request()
    if status not in INITIAL:
        with pytest.raises(InvalidTransition):
            lifecycle.create(help_request.id, volunteer.id, status, None)
        return
    match = lifecycle.create(help_request.id, volunteer.id, status, volunteer, "gekozen")
    db.session.flush()
    assert match.status == status
    [record] = match.transitions
    assert (record.from_status, record.to_status, record.note) == (None, status, "gekozen")
    if status == MatchStatus.ACCEPTED:
        assert match.proposed_at is not None
        assert match.decided_at is not None


def test_withdraw_keeps_the_moment_a_proposal_was_answered(db) -> None:
    match = _match(MatchStatus.ACCEPTED)
    match.decided_at = answered = factories.utcnow()
    lifecycle.withdraw(match, None, "aanvraag ingetrokken")
    assert match.status == MatchStatus.WITHDRAWN
    assert match.decided_at == answered


def _assigns_match_status(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                lines.append(node.lineno)
        if not isinstance(node, ast.Call):
            continue
        sets_status = any(keyword.arg == "status" for keyword in node.keywords)
        creates_match = getattr(node.func, "id", "") == "Match"
        updates_matches = getattr(node.func, "attr", "") == "values" and "(Match)" in (
            ast.unparse(node.func)
        )
        if sets_status and (creates_match or updates_matches):
            lines.append(node.lineno)
    return lines


def test_match_status_is_assigned_in_the_lifecycle_only() -> None:
    """Every ``<x>.status = ...`` on a match, ``Match(status=...)`` and bulk UPDATE of
    ``Match.status`` lives in matches/lifecycle.py. Other statuses (requests, rounds,
    concerns, the outbox) have their own writers and are recognised by their names."""
    others = ("help_request", "matching_round", "round", "concern", "failed", "message",
              "task", "referral", "service", "suggestion")
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path == ROOT / "matches" / "lifecycle.py":
            continue
        source = path.read_text()
        tree = ast.parse(source)
        for line in _assigns_match_status(tree):
            text = source.splitlines()[line - 1].strip()
            if not any(text.startswith(f"{name}.status") for name in others):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    assert offenders == [], "Match.status written outside matches/lifecycle.py"

"""The referral lifecycle: the allowed moves, each recorded, and one writer of the status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marketplace.errors import InvalidTransition
from marketplace.organisations import lifecycle
from marketplace.vocabulary import ReferralStatus as S
from tests.organisations.helpers import partner, routed

ROOT = Path(__file__).resolve().parents[2] / "marketplace"


def test_only_a_routed_referral_moves_and_every_move_is_recorded(db):
    referral = routed(partner())
    lifecycle.transition(referral, S.RETURNED, None, "geen tijd")
    with pytest.raises(InvalidTransition):
        lifecycle.transition(referral, S.ASSIGNED, None)
    assert referral.status == S.RETURNED
    assert [(t.from_status, t.to_status, t.note) for t in referral.transitions] == [
        (None, S.ROUTED, "Graag snel"), (S.ROUTED, S.RETURNED, "geen tijd")]
    assert referral.decided_at is not None


def test_the_lifecycle_is_the_only_writer_of_a_referrals_status():
    writes = re.compile(r"referral\.status\s*=(?!=)|OrganisationReferral\([^)]*status=")
    offenders = [
        str(path.relative_to(ROOT)) for path in ROOT.rglob("*.py")
        if path != ROOT / "organisations" / "lifecycle.py" and writes.search(path.read_text())
    ]
    assert offenders == []

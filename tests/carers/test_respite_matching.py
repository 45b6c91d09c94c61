"""Respite in the matching: only to volunteers with a valid VOG and the training, and an
overloaded carer's respite wins a scarce volunteer (the cost model's carer term)."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.matches.conversion import carer_burdens
from marketplace.matches.round_reads import inputs_for_ids
from marketplace.models import HelpRequest, Match, RequestStatus, VogStatus
from marketplace.rounds import services as rounds
from tests.carers.helpers import carer, check
from tests.matches.helpers import coordinator, make_volunteer, open_request


def _respite(person, pc4: str = "1211") -> HelpRequest:
    return open_request(requester=person, category_slug="respijtzorg", pc4=pc4,
                        title="Even vrij van mantelzorg")


def _trained(**fields):
    fields.setdefault("vog_status", VogStatus.VALID)
    fields.setdefault("training_verified", True)
    return make_volunteer(skills=("respijtzorg",), **fields)


def _proposed(db, round_id: int) -> dict[int, int]:
    rows = db.session.scalars(sa.select(Match).where(Match.round_id == round_id))
    return {match.help_request_id: match.volunteer_id for match in rows}


def test_only_a_volunteer_with_vog_and_training_is_proposed(db) -> None:
    help_request = _respite(carer())
    make_volunteer(skills=("respijtzorg",), vog_status=VogStatus.VALID)  # no training
    make_volunteer(skills=("respijtzorg",), training_verified=True)  # no VOG
    first = rounds.run_round(coordinator(), None, dry_run=True)
    assert _proposed(db, first.id) == {}
    assert first.unmatched[str(help_request.id)] in {"requires_vog", "requires_training"}
    volunteer = _trained()
    second = rounds.run_round(coordinator(), None, dry_run=True)
    assert _proposed(db, second.id) == {help_request.id: volunteer.id}


def test_the_overloaded_carers_respite_wins_the_one_volunteer(db) -> None:
    light, heavy = carer(), carer()
    near = _respite(light, "1211")  # where the volunteer lives
    far = _respite(heavy, "1212")  # about 1.6 km away
    volunteer = _trained()
    control = rounds.run_round(coordinator(), None, dry_run=True)
    assert _proposed(db, control.id) == {near.id: volunteer.id}  # without checks: distance
    check(light, 1)
    check(heavy, 5, felt=5)
    assert carer_burdens([near, far]) == {near.id: 0, far.id: 2}
    chosen = rounds.run_round(coordinator(), None, dry_run=True)
    assert _proposed(db, chosen.id) == {far.id: volunteer.id}
    [match] = db.session.scalars(sa.select(Match).where(Match.round_id == chosen.id))
    assert match.explanation["terms"]["carer"] == 0.0


def test_only_respite_requests_carry_the_burden(db) -> None:
    person = carer()
    check(person, 5)
    shopping = open_request(requester=person)
    respite = _respite(person)
    inputs = inputs_for_ids([shopping.id, respite.id])
    burden = {item.id: item.carer_burden for item in inputs.requests}
    assert burden == {shopping.id: 0, respite.id: 2}
    assert respite.status == RequestStatus.OPEN

"""The bulk round (Core reads and writes) stores exactly what the old ORM round stored."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa

from marketplace.matches import lifecycle, queries, round_reads
from marketplace.models import (
    Feedback,
    ForbiddenPair,
    Match,
    MatchingRound,
    MatchStatus,
    MatchTransition,
    RequestStatus,
    Timing,
    VogStatus,
)
from marketplace.rounds import services as rounds
from matching.arrays import encode
from tests import factories
from tests.matches.helpers import coordinator, open_request
from tests.rounds import orm_round

PC4 = ("1211", "1212", "1213", "1217", "1221")
SKILLS = ("boodschappen", "klusjes", "tuin", "bezoek", "respijtzorg")
SLOTS = ("mon-morning", "mon-afternoon", "wed-afternoon", "fri-evening", "sat-morning")


def _volunteers(rng: random.Random) -> list[Any]:
    vog = [
        {"vog_status": VogStatus.VALID},
        {"vog_status": VogStatus.VALID, "vog_date": date.today() - timedelta(days=4 * 365)},
        {"vog_status": VogStatus.NONE},
    ]
    return [
        factories.volunteer_profile(
            pc4=rng.choice(PC4), skills=tuple(rng.sample(SKILLS, rng.randint(1, 3))),
            availability=rng.sample(SLOTS, 3), max_travel_km=rng.choice([1.0, 3.0, 8.0]),
            capacity=rng.randint(1, 2), training_verified=rng.random() < 0.5,
            paused=number == 0, **rng.choice(vog),
        ).user
        for number in range(14)
    ]


def _requests(rng: random.Random, volunteers: list[Any]) -> list[Any]:
    made = []
    for number in range(24):
        weekly = rng.random() < 0.3
        fields: dict[str, Any] = {
            "pc4": rng.choice(PC4), "category_slug": rng.choice(SKILLS),
            "urgency": rng.randint(1, 3), "part_of_day": rng.choice(["morning", "afternoon"]),
        }
        if weekly:
            fields.update(timing=Timing.WEEKLY, weekday=rng.choice(["mon", "wed"]))
        if number == 0:
            fields["requester"] = volunteers[3]  # a volunteer's own request
        if number == 1:
            fields["address"] = volunteers[4].address  # where a volunteer lives
            fields["postcode"] = volunteers[4].postcode
        made.append(open_request(**fields))
    return made


def _world(db: Any) -> tuple[Any, list[Any], list[Any]]:
    """Volunteers and open requests with every rule in play, and an earlier round's
    suggestions (one locked and still valid, one locked that breaks a rule now)."""
    rng = random.Random(18)
    staff = coordinator()
    volunteers = _volunteers(rng)
    requests = _requests(rng, volunteers)
    done = factories.help_request(requester=requests[6].requester, status=RequestStatus.DONE)
    helped = lifecycle.create(done.id, volunteers[7].id, MatchStatus.ACCEPTED, staff)
    helped.status = MatchStatus.COMPLETED
    db.session.flush()
    db.session.add(Feedback(match_id=helped.id, author_id=done.requester_id, rating=5))
    taken = factories.help_request(status=RequestStatus.PROPOSED)
    lifecycle.create(taken.id, volunteers[8].id, MatchStatus.ACCEPTED, staff)
    first = rounds.run_round(staff, None, dry_run=True)
    suggested = rounds.round_matches(first)
    for match in suggested[:3]:
        match.locked = True
    # The third lock breaks a rule now: a coordinator forbade its pair since.
    db.session.add(ForbiddenPair(help_request_id=suggested[2].help_request_id,
                                 volunteer_id=suggested[2].volunteer_id))
    db.session.commit()
    return staff, volunteers, requests


def _snapshot(db: Any, matching_round: MatchingRound, first_transition: int) -> dict[str, Any]:
    """What a round stored, with its own id replaced by "R" (the ids differ per run); the
    cost to 4 decimals (the waiting term grows by the second between the two runs)."""
    own = str(matching_round.id)

    def name(round_id: int | None) -> Any:
        return "R" if round_id == matching_round.id else round_id

    matches = sorted(
        (m.help_request_id, m.volunteer_id, m.status.value, m.locked, name(m.round_id),
         round(m.distance_km, 9), round(m.cost, 4), repr(sorted(m.explanation.items())),
         m.proposed_at is None, m.decided_at is None)
        for m in db.session.scalars(sa.select(Match))
    )
    history = sorted(
        (t.match.help_request_id, t.match.volunteer_id, str(t.from_status), str(t.to_status),
         t.actor_id, t.note.replace(own, "R"))
        for t in db.session.scalars(
            sa.select(MatchTransition).where(MatchTransition.id >= first_transition)
        )
    )
    stats = {k: v for k, v in matching_round.stats.items() if not k.endswith("_seconds")}
    stats["total_cost"] = round(stats["total_cost"], 3)
    return {"matches": matches, "history": history, "stats": stats,
            "unmatched": matching_round.unmatched, "status": matching_round.status}


def test_bulk_round_stores_what_the_orm_round_stored(db):
    staff, _volunteers_made, _requests_made = _world(db)
    first_transition = (db.session.scalar(sa.select(sa.func.max(MatchTransition.id))) or 0) + 1
    savepoint = db.session.begin_nested()
    old = _snapshot(db, orm_round.run_round(staff, None), first_transition)
    savepoint.rollback()
    db.session.expire_all()
    steps: dict[str, float] = {}
    new = _snapshot(db, rounds.run_round(staff, None, dry_run=True, steps=steps),
                    first_transition)
    assert old["stats"]["matched"] >= 5
    assert old["stats"]["unmatched_count"] >= 3
    assert old["stats"]["locked"] == 2
    assert any(row[2] == "withdrawn" for row in old["matches"])
    assert new == old
    assert set(steps) == {"read", "withdraw", "solve", "store"}


def test_bulk_round_on_one_neighbourhood_matches_the_orm_round(db):
    staff, _volunteers_made, _requests_made = _world(db)
    centrum = factories.neighbourhood("Centrum").id
    first_transition = (db.session.scalar(sa.select(sa.func.max(MatchTransition.id))) or 0) + 1
    savepoint = db.session.begin_nested()
    old = _snapshot(db, orm_round.run_round(staff, centrum), first_transition)
    savepoint.rollback()
    db.session.expire_all()
    new = _snapshot(db, rounds.run_round(staff, centrum, dry_run=True), first_transition)
    assert new == old


def test_the_round_reads_the_arrays_the_orm_inputs_encode_to(db):
    """Array by array, the columns read in bulk are what the per-object ORM inputs encode
    to; a skill only a paused volunteer has is no category of the round."""
    _world(db)
    factories.volunteer_profile(pc4="1211", skills=("vervoer",), paused=True)
    db.session.flush()
    old_inputs = orm_round.inputs_for(queries.open_requests(None))
    old = encode(old_inputs["requests"], old_inputs["volunteers"], old_inputs["forbidden"])
    inputs = round_reads.collect_inputs(None)
    new = inputs.encoded
    assert (new.request_ids, new.volunteer_ids, new.categories) == (
        old.request_ids, old.volunteer_ids, old.categories)
    assert "vervoer" not in new.categories
    for name in old.arrays.__dataclass_fields__:
        left, right = getattr(new.arrays, name), getattr(old.arrays, name)
        assert left.dtype == right.dtype, name
        if name == "req_waiting":  # seconds pass between the two reads
            assert np.allclose(left, right, atol=1e-3), name
        else:
            assert np.array_equal(left, right), name
    assert new.arrays.history.shape[0] >= 1
    assert inputs.forbidden == old_inputs["forbidden"]
    assert inputs.locked == old_inputs["locked"]

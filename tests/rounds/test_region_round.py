"""A region's round from the coordinator's rounds page: who may start it, how it is stored
(once, also when its merge job runs twice), and its page without Redis (shards in process).
The RQ side is in ``test_region_round_rq.py``."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from marketplace.extensions import db as _db
from marketplace.models import Match, MatchingRound, MatchStatus, Role, RoundStatus
from marketplace.rounds import region_rounds
from marketplace.transaction import commit
from matching.region import solve_region
from tests import factories
from tests.conftest import ON_POSTGRES
from tests.matches.helpers import make_volunteer, open_request

FORM = {"region-dry_run": "y"}


def _world() -> None:
    for pc4 in ("1211", "1212"):
        make_volunteer(pc4=pc4)
    for _ in range(3):
        open_request()
    open_request(category_slug="tuin")


def _round() -> MatchingRound | None:
    from marketplace.extensions import db

    return db.session.scalar(sa.select(MatchingRound))


def _live_matches(db) -> list[tuple[int, int]]:
    query = sa.select(Match.help_request_id, Match.volunteer_id).where(
        Match.status != MatchStatus.WITHDRAWN)
    return sorted(db.session.execute(query).all())


def test_only_admins_and_whole_area_coordinators_start_a_region_round(db, login):
    _world()
    local = factories.user(Role.COORDINATOR, neighbourhood=factories.neighbourhood("Oost"))
    db.session.commit()
    client = login(local)
    assert "Regioronde (in delen)" not in client.get("/matches/rounds").text
    assert client.post("/matches/rounds/region", data=FORM).status_code == 403
    assert _round() is None
    for allowed in (factories.user(Role.ADMIN), factories.user(Role.COORDINATOR)):
        db.session.commit()
        client = login(allowed)
        assert "Regioronde (in delen)" in client.get("/matches/rounds").text
    response = client.post("/matches/rounds/region", data=FORM)
    assert response.status_code == 303
    stored = _round()
    assert stored is not None
    assert 1 <= stored.stats["region"]["shards"] <= region_rounds.DEFAULT_SHARDS
    assert stored.dry_run
    assert stored.started_by_id == allowed.id


def test_without_redis_the_region_runs_in_the_request_and_its_page_shows_the_shards(db, login):
    _world()
    db.session.commit()
    client = login(factories.user(Role.ADMIN))
    response = client.post("/matches/rounds/region", data=FORM)
    db.session.expire_all()
    stored = _round()
    assert stored is not None
    assert stored.status == RoundStatus.DONE
    assert stored.stats["matched"] == 2
    assert len(_live_matches(db)) == 2
    page = client.get(response.location).text
    assert 'http-equiv="refresh"' not in page
    shards = stored.stats["region"]["shards"]
    assert f"Regioronde in {shards} delen" in page
    assert page.count("Klaar in") == shards == len(stored.stats["region"]["shard_seconds"])
    assert stored.stats["region"]["gap_percent"] < 0.0005
    assert ("Over de hele regio heeft de computer nagerekend dat dit de best mogelijke "
            "verdeling is.") in page
    assert "hooguit 0%" not in page
    assert "Voorstellen" in page  # the normal round page below it


def test_storing_a_region_answer_twice_stores_it_once(db):
    _world()
    matching_round = region_rounds.create_region_round(None, True, 2, queue=False)
    commit()
    prepared = region_rounds.prepare(matching_round)
    answer = solve_region(prepared.problem, n_shards=2)
    assert region_rounds.store(matching_round.id, prepared, answer)
    commit()
    first = _live_matches(db)
    assert len(first) == 2
    # The merge job again (RQ retried it, or two workers ran it): nothing changes.
    assert not region_rounds.store(matching_round.id, prepared, answer)
    commit()
    assert _live_matches(db) == first
    assert db.session.scalar(sa.select(sa.func.count(Match.id))) == 2


def test_a_normal_round_is_not_a_region_round_and_has_no_shard_table(db, login):
    _world()
    db.session.commit()
    client = login(factories.user(Role.ADMIN))
    response = client.post("/matches/rounds", data={"neighbourhood": "", "dry_run": "y"})
    page = client.get(response.location).text
    assert "delen" not in page


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks need PostgreSQL")
def test_two_merge_jobs_at_the_same_moment_store_the_round_once(app, db):
    _world()
    matching_round = region_rounds.create_region_round(None, True, 2, queue=False)
    commit()
    round_id = matching_round.id
    prepared = region_rounds.prepare(matching_round)
    answer = solve_region(prepared.problem, n_shards=2)
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []

    def merge() -> None:
        with app.app_context():
            barrier.wait()
            outcomes.append(region_rounds.store(round_id, prepared, answer))
            _db.session.commit()

    threads = [threading.Thread(target=merge) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == [False, True]
    assert db.session.scalar(sa.select(sa.func.count(Match.id))) == 2


def test_running_a_region_round_again_makes_a_region_round_for_those_who_may(db, login):
    _world()
    local = factories.user(Role.COORDINATOR, neighbourhood=factories.neighbourhood("Oost"))
    admin = factories.user(Role.ADMIN)
    db.session.commit()
    client = login(admin)
    client.post("/matches/rounds/region", data=FORM)
    first = _round()
    assert first is not None
    client.post(f"/matches/rounds/{first.id}/rerun")
    rounds = list(db.session.scalars(sa.select(MatchingRound).order_by(MatchingRound.id)))
    assert region_rounds.is_region(rounds[-1])
    client = login(local)  # may run rounds again, but not over the whole region
    client.post(f"/matches/rounds/{first.id}/rerun")
    rounds = list(db.session.scalars(sa.select(MatchingRound).order_by(MatchingRound.id)))
    assert len(rounds) == 3
    assert not region_rounds.is_region(rounds[-1])

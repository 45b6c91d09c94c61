"""``flask match run --region``: progress per shard, the proven bound, and the answer stored
as a matching round the way the app's round stores it."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import Match, MatchingRound, MatchStatus, RoundStatus
from marketplace.rounds import services as rounds
from tests.matches.helpers import make_volunteer, open_request


def _pairs(db, matching_round):
    query = sa.select(Match.help_request_id, Match.volunteer_id, Match.status).where(
        Match.round_id == matching_round.id, Match.status != MatchStatus.WITHDRAWN)
    return sorted(db.session.execute(query).all())


def test_match_run_region_shows_every_shard_and_the_proven_bound(db, runner):
    make_volunteer()
    open_request()
    open_request(category_slug="tuin")
    db.session.commit()
    result = runner.invoke(args=["match", "run", "--region", "--shards", "2"])
    assert result.exit_code == 0, result.output
    assert "Shard 1/2" in result.output
    assert "Shard 2/2" in result.output
    assert "2 open requests, 1 volunteers, 1 matched" in result.output
    assert "proven within 0.000 %" in result.output
    stored = db.session.scalar(sa.select(MatchingRound))
    assert stored is not None
    assert stored.status == RoundStatus.DONE
    assert not stored.dry_run
    assert stored.stats["matched"] == 1
    assert stored.stats["unmatched_by_reason"] == {"no_volunteer_with_skill": 1}
    assert stored.stats["region"]["shards"] == 2
    assert stored.stats["region"]["gap_percent"] == 0.0
    assert [status for _, _, status in _pairs(db, stored)] == [MatchStatus.PROPOSED]
    assert f"Round {stored.id}: 2 open requests, 1 volunteers, 1 matched" in result.output


def test_a_dry_region_round_stores_what_the_normal_round_stores_and_keeps_locks(db, runner):
    volunteers = [make_volunteer(pc4=pc4) for pc4 in ("1211", "1212", "1213")]
    for _ in range(4):
        open_request()
    open_request(category_slug="tuin")
    normal = rounds.run_round(None, None, dry_run=True)
    db.session.commit()
    kept = rounds.round_matches(normal)[0]
    kept.locked = True
    db.session.commit()
    result = runner.invoke(args=["match", "run", "--region", "--shards", "2", "--dry-run"])
    assert result.exit_code == 0, result.output
    region = db.session.scalars(sa.select(MatchingRound).order_by(MatchingRound.id.desc())).first()
    assert region is not None
    assert region.id != normal.id
    assert region.dry_run
    region_pairs = _pairs(db, region)
    # The locked pair is carried into the region round; the rest of the normal round's
    # suggestions gave way; each request has at most one suggestion.
    assert (kept.help_request_id, kept.volunteer_id, MatchStatus.SUGGESTED) in region_pairs
    assert _pairs(db, normal) == []
    assert len({request for request, _, _ in region_pairs}) == len(region_pairs) == len(volunteers)
    assert region.stats["matched"] == normal.stats["matched"]
    assert region.stats["locked"] == 1
    assert set(region.unmatched.values()) == set(normal.unmatched.values())

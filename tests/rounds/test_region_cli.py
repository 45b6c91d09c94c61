"""``flask match run --region``: progress per shard and the proven bound."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import MatchingRound
from tests.matches.helpers import make_volunteer, open_request


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
    assert db.session.scalar(sa.select(MatchingRound)) is None  # computes only

"""``flask match run`` and ``flask rq worker``."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import Match, MatchingRound, MatchStatus
from tests.matches.helpers import make_volunteer, open_request


def test_match_run_dry_run_prints_progress_and_summary(db, runner):
    make_volunteer()
    open_request()
    open_request(category_slug="tuin")
    db.session.commit()
    result = runner.invoke(args=["match", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Progress: 100%" in result.output
    assert "1 matched, 1 unmatched" in result.output
    assert "unmatched no_volunteer_with_skill: 1" in result.output
    db.session.expire_all()
    matching_round = db.session.scalar(sa.select(MatchingRound))
    assert matching_round.dry_run
    assert db.session.scalar(sa.select(Match)).status == MatchStatus.SUGGESTED


def test_match_run_real_for_one_wijk(db, runner):
    make_volunteer()
    open_request()
    db.session.commit()
    result = runner.invoke(args=["match", "run", "--wijk", "centrum"])
    assert result.exit_code == 0, result.output
    assert "Proposals sent to volunteers" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(Match)).status == MatchStatus.PROPOSED


def test_match_run_unknown_wijk(runner):
    result = runner.invoke(args=["match", "run", "--wijk", "Atlantis"])
    assert result.exit_code == 2
    assert "unknown neighbourhood 'Atlantis'" in result.output
    assert "Centrum" in result.output


def test_rq_worker_needs_redis_url(runner):
    result = runner.invoke(args=["rq", "worker", "--burst"])
    assert result.exit_code == 1
    assert "REDIS_URL is not set" in result.output

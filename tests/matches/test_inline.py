"""Without REDIS_URL a round runs inside the web request."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.matches import jobs, services
from marketplace.models import MatchingRound, RoundStatus


def test_inline_round_is_done_at_once(db):
    matching_round = services.create_round(None, None, dry_run=True)
    db.session.commit()
    assert jobs.enqueue_round(matching_round) is False
    assert db.session.scalar(sa.select(MatchingRound)).status == RoundStatus.DONE

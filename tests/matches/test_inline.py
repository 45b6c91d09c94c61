"""Without REDIS_URL a round runs right after the commit, inside the web request."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import MatchingRound, OutboxMessage, OutboxStatus, RoundStatus
from marketplace.rounds import services as rounds
from marketplace.transaction import commit


def test_inline_round_is_done_right_after_the_commit(db):
    rounds.create_round(None, None, dry_run=True)
    commit()
    assert db.session.scalar(sa.select(MatchingRound)).status == RoundStatus.DONE
    message = db.session.scalar(sa.select(OutboxMessage))
    assert (message.kind, message.status) == ("matching_round", OutboxStatus.DONE)


def test_a_round_rolled_back_leaves_nothing_to_run(db):
    rounds.create_round(None, None, dry_run=True)
    db.session.rollback()
    commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchingRound)) == 0

"""The status of a matching round where two processes may race for it.

A region's round is stored by its merge job, and RQ may run that job twice (a retry, or
two workers after a lost heartbeat). :func:`claim_for_storing` is the guard in the
database: one conditional ``UPDATE`` moves the round from running to done, and only the
transaction that made that move stores the round's suggestions. On PostgreSQL a second
claimer waits on the row lock and then finds the round done; on SQLite the write lock
orders them the same way. When the storing transaction rolls back, so does the move.
"""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import MatchingRound, RoundStatus, utcnow


def claim_for_storing(round_id: int) -> bool:
    """Move the round from running (or queued) to done in the current transaction.

    Returns True for the one caller that made the move: it stores the round's result in
    the same transaction. False when the round is gone, already done or failed (nothing to
    do). The caller commits (or rolls back, which gives the claim back).
    """
    result = db.session.execute(
        sa.update(MatchingRound)
        .where(
            MatchingRound.id == round_id,
            MatchingRound.status.in_((RoundStatus.QUEUED, RoundStatus.RUNNING)),
        )
        .values(status=RoundStatus.DONE, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if int(getattr(result, "rowcount", 0) or 0) != 1:
        return False
    found = db.session.get(MatchingRound, round_id)
    if found is not None:
        db.session.refresh(found)
    return True

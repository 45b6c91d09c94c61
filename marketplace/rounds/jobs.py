"""Running a queued matching round: the outbox handler of ``matching_round`` messages.

The web request only stores a queued round and its outbox message (one transaction). After
the commit the outbox runs it: as an RQ job when ``REDIS_URL`` is set, in the request
otherwise, or later through ``flask outbox deliver``; the round page refreshes itself until
the round is done.
"""

from __future__ import annotations

import logging
from typing import Any

from marketplace.extensions import db
from marketplace.models import MatchingRound, RoundStatus
from marketplace.rounds import region_rounds, services
from marketplace.transaction import commit

log = logging.getLogger(__name__)


def run_round_message(payload: dict[str, Any]) -> None:
    """The outbox handler: run the round named in ``payload``."""
    process_round(int(payload["round_id"]))


def process_round(round_id: int) -> str:
    """Execute a waiting round and commit; its proposals' mails leave after that commit.

    Returns the round's status, or ``"skipped"`` when it is gone or already finished. A
    queued or running round is taken (the outbox lets only one deliverer at a time work on a
    message, and a running round whose deliverer died is taken up again). A failure of the
    solve marks the round failed and is not raised: running it again would fail again.
    """
    matching_round = db.session.get(MatchingRound, round_id)
    if matching_round is None or matching_round.status not in (
        RoundStatus.QUEUED, RoundStatus.RUNNING
    ):
        return "skipped"
    services.start(matching_round)
    commit()
    try:
        if region_rounds.is_region(matching_round):
            # Its jobs go to the workers (the merge job stores it), or it is solved here.
            region_rounds.launch(matching_round)
        else:
            services.execute_round(matching_round, matching_round.started_by)
        commit()
    except Exception as error:  # noqa: BLE001 - stored on the round and shown there
        db.session.rollback()
        log.exception("Matching round %s failed", round_id)
        failed = db.session.get(MatchingRound, round_id)
        if failed is not None:
            services.fail_round(failed, f"{type(error).__name__}: {error}")
            commit()
    return str(db.session.get(MatchingRound, round_id).status)  # type: ignore[union-attr]

"""A region's round stored as a matching round ("Regioronde (in delen)").

A region round is a :class:`~marketplace.models.MatchingRound` whose stats hold a
``region`` entry (the number of shards; after the merge the region's bound too). It is
started like any round: the web request stores it queued with its outbox message
(:func:`create_region_round`), and after the commit the outbox hands it to
:func:`marketplace.rounds.jobs.process_round`, which calls :func:`launch`:

* with ``REDIS_URL``: the round's inputs are read (:func:`prepare`) and kept in Redis, one
  RQ job per shard and a merge job go on the queue (:mod:`marketplace.rounds.region`), and
  the merge job stores the answer (:func:`store_from_run`);
* without it: the shards run one after the other here, and the answer is stored here.

Storing (:func:`store`) is the normal round's: superseded suggestions withdrawn, locked ones
kept, suggestions in bulk, unmatched reasons, organisations' proposals, and for a real
round the proposals sent (:func:`services.store_solution`). It happens once: the round's
move to done (:func:`lifecycle.claim_for_storing`) is in the same transaction.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from numpy.typing import NDArray

from marketplace import access, outbox
from marketplace.errors import NotAllowed
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.matches import round_reads
from marketplace.matches.round_reads import RoundInputs
from marketplace.models import Match, MatchingRound, User
from marketplace.rounds import lifecycle, region, services
from marketplace.transaction import commit
from matching.api import decode
from matching.arrays import Encoded, ProblemArrays
from matching.model import CostWeights
from matching.region import RegionResult, solve_region
from matching.region_decode import array_result, free_problem

if TYPE_CHECKING:
    import redis
    from rq.job import Job

log = logging.getLogger(__name__)

#: Shards of a region round started from the web.
DEFAULT_SHARDS = 4
REGION = "region"


@dataclass(frozen=True)
class Prepared:
    """What the region solves and what storing its answer needs (kept in Redis between
    the launch and the merge): the round's inputs (``carried`` as ids, ORM rows do not
    travel), the encoded instance, the locked pairs and the region's own problem, whose
    request ``i`` is ``rows[i]`` of the instance."""

    inputs: RoundInputs
    carried_ids: tuple[int, ...]
    enc: Encoded
    locked: NDArray[np.int64]
    rows: NDArray[np.int64]
    problem: ProblemArrays


def is_region(matching_round: MatchingRound) -> bool:
    return REGION in (matching_round.stats or {})


def shard_count(matching_round: MatchingRound) -> int:
    return int((matching_round.stats or {}).get(REGION, {}).get("shards", DEFAULT_SHARDS))


def run_id(round_id: int) -> str:
    """The Redis and RQ name of a round's region run."""
    return f"round-{round_id}"


def create_region_round(
    actor: User | None, dry_run: bool, shards: int = DEFAULT_SHARDS,
    neighbourhood_id: int | None = None, *, queue: bool = True,
) -> MatchingRound:
    """A queued region round; with ``queue`` also its outbox message (run after the commit).

    Raises NotAllowed unless ``actor`` may start it (:func:`access.can_start_region_round`;
    None is the command line), NotFound for an unknown neighbourhood.
    """
    if actor is not None and not access.can_start_region_round(actor):
        raise NotAllowed(_l("Alleen een beheerder of een coördinator voor het hele gebied "
                            "kan een regioronde starten."))
    matching_round = services.new_round(
        actor, neighbourhood_id, dry_run, stats={REGION: {"shards": shards}}
    )
    if queue:
        outbox.add("matching_round", {"round_id": matching_round.id})
    return matching_round


def prepare(matching_round: MatchingRound) -> Prepared:
    """Read the round's inputs (as the normal round does) and build the region's problem:
    locked pairs stay out of it and use their volunteers' capacity."""
    inputs = round_reads.collect_inputs(matching_round.neighbourhood_id)
    enc = inputs.encoded
    locked = np.array(
        [(enc.request_index[r], enc.volunteer_index[v]) for r, v in inputs.locked],
        dtype=np.int64,
    ).reshape(-1, 2)
    problem, rows = free_problem(enc.arrays, locked)
    carried = tuple(int(match.id) for match in inputs.carried)
    return Prepared(replace(inputs, carried=[]), carried, enc, locked, rows, problem)


def launch(matching_round: MatchingRound, echo: Callable[[str], None] | None = None) -> None:
    """Start the round's region run: enqueue its jobs, or (no ``REDIS_URL``) solve and
    store it here. The caller commits. Running it twice (the outbox may) enqueues the same
    job ids again; the answer is still stored once."""
    services.start(matching_round)
    prepared = prepare(matching_round)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("REDIS_URL"):
        # Imported here (and in live_shards): redis costs every process start-up about
        # 90 ms, and only a round with REDIS_URL set needs it.
        import redis

        try:
            _enqueue(app, matching_round, prepared)
            return
        except (redis.RedisError, OSError) as error:
            # `flask outbox deliver` while Redis is away: the shards run here instead.
            log.warning("queue unreachable (%s): region round %s runs here",
                        error, matching_round.id)
    result = solve_region(prepared.problem, n_shards=shard_count(matching_round))
    store(matching_round.id, prepared, result)


def _enqueue(app: Flask, matching_round: MatchingRound, prepared: Prepared) -> None:
    queue = outbox.get_queue(app, for_worker=True)
    name = run_id(matching_round.id)
    queue.connection.set(region.inputs_key(name), pickle.dumps(prepared),
                         ex=region.KEEP_SECONDS)
    region.enqueue(queue, prepared.problem, name, n_shards=shard_count(matching_round),
                   round_id=matching_round.id, merge_with=merge_and_store_job,
                   on_shard_failure=shard_failed)


def merge_and_store_job(name: str, problem: ProblemArrays, weights: CostWeights,
                        n_shards: int, tolerance: float, round_id: int) -> bool:
    """RQ merge job of a region round: :func:`region.merge_job`, then the answer stored as
    round ``round_id``, once (guarded in the database; needs the app, as ``flask rq
    worker`` gives it). Returns whether this run stored the round."""
    region.merge_job(name, problem, weights, n_shards, tolerance)
    return store_from_run(round_id, name, region.connection())


def shard_failed(job: Job, connection: redis.Redis, *exc_info: Any) -> None:
    """RQ's failure callback of a region round's shard job. With no retry left the merge
    will never run: the round is marked failed, so its page stops waiting."""
    if job.retries_left:
        return  # RQ runs it again
    round_id = job.meta.get("round_id")
    if round_id is None:
        return
    fail_round(int(round_id), f"{job.id} failed: {exc_info[1] if exc_info else '?'}")


def store(round_id: int, prepared: Prepared, result: RegionResult,
          retried: tuple[int, ...] = ()) -> bool:
    """Store the region's answer as round ``round_id``, in the current transaction, once.

    Returns False (and changes nothing) when the round is gone, done or failed already: a
    second merge. The caller commits.
    """
    matching_round = db.session.get(MatchingRound, round_id)
    if matching_round is None or not lifecycle.claim_for_storing(round_id):
        return False
    actor = matching_round.started_by
    carried = list(db.session.scalars(
        sa.select(Match).where(Match.id.in_(prepared.carried_ids))).unique())
    inputs = replace(prepared.inputs, carried=carried)
    services.withdraw_old_suggestions(matching_round, inputs, actor)
    weights = CostWeights()
    answer = decode(prepared.enc, array_result(
        prepared.enc.arrays, weights, prepared.locked, prepared.rows, result), weights)
    services.store_solution(matching_round, inputs, answer, actor)
    matching_round.stats = {**matching_round.stats, REGION: region_stats(result, retried)}
    return True


def region_stats(result: RegionResult, retried: tuple[int, ...] = ()) -> dict[str, Any]:
    """What the round page shows of the region: shards, their seconds, the bound."""
    total = result.total_cost
    return {
        "shards": result.n_shards,
        "shard_seconds": [round(s, 2) for s in result.shard_seconds],
        "retried": sorted(retried),
        "merge_seconds": round(result.merge_seconds, 2),
        "border_rounds": result.border_rounds,
        "border_requests": result.border_requests,
        "fallback": result.fallback,
        "gap_percent": 0.0 if total <= 0 else round(100 * result.gap_bound / total, 3),
    }


def store_from_run(round_id: int, name: str, conn: redis.Redis) -> bool:
    """The merge job's last step (in the worker's app): store the run's answer, kept in
    Redis, as round ``round_id`` and commit. Returns whether this call stored it. A
    failure marks the round failed (and is raised, so RQ shows the job failed)."""
    if not has_app_context():
        raise RuntimeError("Start Hulppunt's workers with `flask rq worker` (jobs need the app).")
    try:
        raw_inputs = conn.get(region.inputs_key(name))
        result = region.result(conn, name)
        if raw_inputs is None or result is None:
            raise RuntimeError(f"region run {name}: its inputs or answer are gone from Redis")
        prepared: Prepared = pickle.loads(raw_inputs)  # type: ignore[arg-type]  # noqa: S301
        retried = tuple(i for i, n in region.attempts(conn, name).items() if n > 1)
        stored = store(round_id, prepared, result, retried)
        commit()
    except Exception as error:
        db.session.rollback()
        log.exception("Storing region round %s failed", round_id)
        fail_round(round_id, f"{type(error).__name__}: {error}")
        raise
    return stored


def fail_round(round_id: int, error: str) -> None:
    """A shard failed for good (RQ's failure callback, in the worker's app): the round is
    marked failed and committed, unless it ended already. Without the app only logged."""
    if not has_app_context():
        log.error("region round %s failed (no app to record it): %s", round_id, error)
        return
    found = db.session.get(MatchingRound, round_id)
    if found is not None and found.status.value in ("queued", "running"):
        services.fail_round(found, error)
        commit()


@dataclass(frozen=True)
class ShardRow:
    """One shard on the round page: ``state`` is waiting, running, done or failed."""

    number: int
    state: str
    seconds: float | None
    retried: bool


def live_shards(matching_round: MatchingRound) -> list[ShardRow] | None:
    """The shards of a running region round, from Redis. None when that is unknown now
    (Redis unreachable, or not used: the shards then run inside one process)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        return None
    name = run_id(matching_round.id)
    import redis  # on first use, see launch

    try:
        conn = outbox.get_queue(app).connection
        states = region.progress(conn, name)
        tries = region.attempts(conn, name)
    except (redis.RedisError, OSError) as error:
        log.info("region progress unknown: %s", error)
        return None
    return [_row(index, state, tries.get(index, 0) > 1) for index, state in states.items()]


def _row(index: int, state: str, retried: bool) -> ShardRow:
    word, _, rest = state.partition(" ")
    try:
        seconds = float(rest) if word == "done" else None
    except ValueError:
        seconds = None
    return ShardRow(index + 1, word, seconds, retried)


def stored_shards(matching_round: MatchingRound) -> list[ShardRow]:
    """The shards of a finished region round, as stored with it."""
    info = (matching_round.stats or {}).get(REGION, {})
    retried = set(info.get("retried", []))
    return [ShardRow(i + 1, "done", float(s), i in retried)
            for i, s in enumerate(info.get("shard_seconds", []))]

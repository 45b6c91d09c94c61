"""A region's round over RQ workers: one RQ job per shard, a merge job when all are done.

For a regional meldpunt (several municipalities in one installation) the round is split by
area (:func:`matching.region.split`); every shard is an RQ job (:func:`shard_job`) on the
app's queue, so every worker on every machine takes part, and a merge job that depends on
all of them (:func:`merge_job`) runs the border pass and proves the bound over the whole
region (:func:`matching.region.merge`). RQ is the distributed engine: no scheduler here.

Exactly once, also when a worker dies:

* each shard job is enqueued with ``Retry(max=1)``. A worker killed in the middle of a
  shard leaves the job in RQ's ``StartedJobRegistry``; when its heartbeat has expired, the
  maintenance of any live worker (``StartedJobRegistry.cleanup``) sees the job is
  abandoned and, since it has a retry left, puts it back on the queue;
* a shard stores its result under one key per shard (a plain ``SET``): a second run of
  the same shard overwrites the same key, it never adds a second result;
* only the merge job turns the shards into pairs and stores them, once (``SET NX`` on the
  result key); the merge job only runs when every shard job has finished.

With a ``round_id`` the merge job also stores the answer as that matching round
(:func:`marketplace.rounds.region_rounds.store_from_run`, in the worker's app): once, by a
guard in the database, however often the merge job runs.

Progress per shard (waiting, running, done with seconds, failed) is kept in a Redis hash
that ``flask match run --region`` and the round's page show while it runs.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matching.arrays import ProblemArrays
from matching.engine import DEFAULT_TOLERANCE
from matching.model import CostWeights
from matching.region import (
    BlockResult,
    BlockTask,
    RegionResult,
    make_tasks,
    merge,
    run_block,
    split,
)

if TYPE_CHECKING:
    import redis
    import rq
    from rq.job import Job

#: Every shard job is retried once (a worker killed mid-shard, or a crash).
SHARD_RETRIES = 1
#: How long the keys of a region run live in Redis (seconds).
KEEP_SECONDS = 24 * 3600
#: A shard may run this long before RQ stops it (seconds).
SHARD_TIMEOUT = 30 * 60


def _key(run_id: str, what: str) -> str:
    return f"hulppunt:region:{run_id}:{what}"


def inputs_key(run_id: str) -> str:
    """Where the app keeps what storing a run's answer needs (``region_rounds.Prepared``)."""
    return _key(run_id, "inputs")


def job_id(run_id: str, what: str) -> str:
    """The RQ job id of a shard (``shard-3``) or of the merge (``merge``) of a run."""
    return f"region-{run_id}-{what}"


def connection() -> redis.Redis:
    # rq (and redis) are imported where they are used: they cost every process start-up
    # about 0.1 s, and only a worker or a queued region round needs them.
    import rq

    job = rq.get_current_job()
    if job is None:  # called directly (tests, the in-process path)
        raise RuntimeError("not inside an RQ job")
    return job.connection


def shard_job(run_id: str, task: BlockTask) -> int:
    """RQ job: solve one shard and store its result under the shard's own key.

    Idempotent: running it again (RQ's retry after a killed worker) overwrites the same
    key. Returns the number of pairs.
    """
    conn = connection()
    progress = _key(run_id, "progress")
    conn.hset(progress, str(task.index), "running")
    conn.hincrby(_key(run_id, "attempts"), str(task.index), 1)
    try:
        res = run_block(task)
    except Exception:
        conn.hset(progress, str(task.index), "failed")  # RQ's retry sets it running again
        raise
    with conn.pipeline() as pipe:
        pipe.set(_key(run_id, f"shard:{task.index}"), pickle.dumps(res), ex=KEEP_SECONDS)
        pipe.hset(progress, str(task.index), f"done {res.seconds:.1f}")
        pipe.execute()
    return int(res.pair_req.shape[0])


def merge_job(run_id: str, problem: ProblemArrays, weights: CostWeights, n_shards: int,
              tolerance: float) -> bool:
    """RQ job (runs when every shard job finished): border pass, region bound, and the
    result stored once in Redis (``SET NX``). Returns whether this run stored it (False: an
    earlier run did, nothing done). The app's region round wraps it
    (:func:`marketplace.rounds.region_rounds.merge_and_store_job`) to store the round too."""
    return _merge(connection(), run_id, problem, weights, n_shards, tolerance)


def _merge(conn: redis.Redis, run_id: str, problem: ProblemArrays, weights: CostWeights,
           n_shards: int, tolerance: float) -> bool:
    if conn.exists(_key(run_id, "result")):
        return False  # a merge ran before (RQ ran this job twice): the same answer is there
    results: list[BlockResult] = []
    for i in range(n_shards):
        raw: bytes | None = conn.get(_key(run_id, f"shard:{i}"))  # type: ignore[assignment]
        if raw is None:
            raise RuntimeError(f"shard {i} of region run {run_id} has no result")
        results.append(pickle.loads(raw))  # noqa: S301 - written by shard_job above
    res = merge(problem, weights, results, tolerance)
    return bool(conn.set(_key(run_id, "result"), pickle.dumps(res), nx=True, ex=KEEP_SECONDS))


@dataclass(frozen=True)
class RegionRun:
    """An enqueued region run: its id, the shard jobs and the merge job."""

    run_id: str
    shards: tuple[Job, ...]
    merge: Job


def enqueue(queue: rq.Queue, problem: ProblemArrays, run_id: str, n_shards: int = 4,
            weights: CostWeights | None = None,
            tolerance: float = DEFAULT_TOLERANCE, round_id: int | None = None,
            merge_with: Callable[..., bool] = merge_job,
            on_shard_failure: Callable[..., None] | None = None) -> RegionRun:
    """Split ``problem`` and put one job per shard and the merge job on ``queue``.

    ``merge_with`` is the merge job (default :func:`merge_job`; the app's region round gives
    one that also stores the round ``round_id``, which it then gets as its last argument);
    ``on_shard_failure`` is RQ's failure callback of every shard job."""
    from rq import Callback, Retry  # on first use, see connection

    w = weights or CostWeights()
    tasks = make_tasks(problem, split(problem, n_shards), w, tolerance)
    conn = queue.connection
    progress = _key(run_id, "progress")
    conn.hset(progress, mapping={str(t.index): "waiting" for t in tasks})
    conn.expire(progress, KEEP_SECONDS)
    conn.expire(_key(run_id, "attempts"), KEEP_SECONDS)
    # Largest shards first: with two workers they then finish at about the same time.
    shards = tuple(
        queue.enqueue(shard_job, run_id, t, job_id=job_id(run_id, f"shard-{t.index}"),
                      retry=Retry(max=SHARD_RETRIES), job_timeout=SHARD_TIMEOUT,
                      result_ttl=KEEP_SECONDS, failure_ttl=KEEP_SECONDS,
                      on_failure=None if on_shard_failure is None else Callback(on_shard_failure),
                      meta={"round_id": round_id})
        for t in sorted(tasks, key=lambda t: -t.requests.size))
    extra = () if round_id is None else (round_id,)
    final = queue.enqueue(merge_with, run_id, problem, w, len(tasks), tolerance, *extra,
                          job_id=job_id(run_id, "merge"), depends_on=list(shards),
                          job_timeout=SHARD_TIMEOUT, result_ttl=KEEP_SECONDS)
    return RegionRun(run_id, shards, final)


def progress(conn: redis.Redis, run_id: str) -> dict[int, str]:
    """Per shard: ``waiting``, ``running``, ``done <seconds>`` (or ``failed``)."""
    raw: dict[Any, Any] = conn.hgetall(_key(run_id, "progress"))  # type: ignore[assignment]
    out = {int(k): v.decode() if isinstance(v, bytes) else str(v) for k, v in raw.items()}
    return dict(sorted(out.items()))


def attempts(conn: redis.Redis, run_id: str) -> dict[int, int]:
    """How often each shard job started (2 = it was retried once)."""
    raw: dict[Any, Any] = conn.hgetall(_key(run_id, "attempts"))  # type: ignore[assignment]
    return {int(k): int(v) for k, v in raw.items()}


def result(conn: redis.Redis, run_id: str) -> RegionResult | None:
    """The merged region result, once the merge job stored it."""
    raw = conn.get(_key(run_id, "result"))
    return None if raw is None else pickle.loads(raw)  # type: ignore[arg-type]  # noqa: S301


def wait(run: RegionRun, conn: redis.Redis, timeout: float = 3600.0,
         report: Callable[[dict[int, str]], None] | None = None,
         poll: float = 0.2) -> RegionResult:
    """Wait for the merged result, calling ``report(progress)`` whenever it changes.

    Raises RuntimeError when the merge job failed, TimeoutError after ``timeout`` s.
    """
    end = time.monotonic() + timeout
    seen: dict[int, str] = {}
    while time.monotonic() < end:
        now = progress(conn, run.run_id)
        if now != seen and report is not None:
            report(now)
        seen = now
        found = result(conn, run.run_id)
        if found is not None:
            return found
        if run.merge.get_status(refresh=True) in ("failed", "canceled"):
            raise RuntimeError(f"region run {run.run_id}: the merge failed")
        for job in run.shards:
            # Failed with no retry left: the merge will never run.
            if job.get_status(refresh=True) == "failed" and not job.retries_left:
                raise RuntimeError(f"region run {run.run_id}: shard job {job.id} failed")
        time.sleep(poll)
    raise TimeoutError(f"region run {run.run_id}: no result after {timeout:.0f} s")

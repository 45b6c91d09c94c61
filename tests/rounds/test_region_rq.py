"""A region over real RQ workers: a worker killed mid-shard, the shard retried exactly once,
no pair lost or stored twice (the test's own redis-server, real worker processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import redis
import rq
from rq.registry import StartedJobRegistry

from marketplace.rounds import region
from matching.model import CostWeights
from matching.province import generate_province
from matching.region import solve_region
from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "region-test"
SHARDS = 4


def _worker(url: str, burst: bool) -> subprocess.Popen[bytes]:
    rq_bin = Path(sys.executable).parent / "rq"
    cmd = [str(rq_bin), "worker", "--url", url, *(["--burst"] if burst else []), QUEUE]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HULPPUNT_ENV": "testing"}
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,  # noqa: S603
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_running(conn: redis.Redis, run_id: str, timeout: float = 120.0) -> int:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        running = [i for i, s in region.progress(conn, run_id).items() if s == "running"]
        if running:
            return running[0]
        time.sleep(0.01)
    raise AssertionError("no shard started")


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


@pytest.fixture
def own_queue(own_redis: RedisServer) -> rq.Queue:
    return rq.Queue(QUEUE, connection=redis.Redis.from_url(own_redis.url))


def test_a_worker_killed_mid_shard_is_retried_once_and_nothing_is_lost_or_doubled(
        own_redis: RedisServer, own_queue: rq.Queue) -> None:
    p = generate_province(4000, 4000, 5)
    conn = own_queue.connection
    run = region.enqueue(own_queue, p, "kill", n_shards=SHARDS)
    first = _worker(own_redis.url, burst=False)
    try:
        killed = _wait_running(conn, "kill")
        # The machine dies: the worker and its work-horse (RQ puts the horse in a process
        # group of its own), mid-shard.
        horses = _children(first.pid)
        os.kill(first.pid, signal.SIGKILL)
        for pid in horses:
            os.kill(pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    job = own_queue.fetch_job(region.job_id("kill", f"shard-{killed}"))
    assert job is not None
    assert job.get_status() == "started"
    assert conn.get(f"hulppunt:region:kill:shard:{killed}") is None
    # What the maintenance of any live worker does once the dead worker's heartbeat has
    # expired (a minute or so): RQ finds the abandoned job and, with a retry left, requeues it.
    StartedJobRegistry(queue=own_queue).cleanup(timestamp=time.time() + 3600)
    assert job.get_status(refresh=True) == "queued"
    requeued = own_queue.fetch_job(job.id)
    assert requeued is not None
    assert requeued.retries_left == 0
    second = _worker(own_redis.url, burst=True)
    try:
        res = region.wait(run, conn, timeout=600)
    finally:
        second.wait(timeout=600)
    tries = region.attempts(conn, "kill")
    assert tries[killed] == 2
    assert all(n == 1 for i, n in tries.items() if i != killed)
    assert job.get_status(refresh=True) == "finished"
    # Exactly the pairs of the same region solved in this process: none lost, none twice.
    here = solve_region(p, CostWeights(), n_shards=SHARDS)
    assert np.unique(res.req).size == res.req.size
    assert sorted(zip(res.req.tolist(), res.vol.tolist(), strict=True)) == sorted(
        zip(here.req.tolist(), here.vol.tolist(), strict=True))
    assert res.gap_bound <= 1e-3 * res.total_cost
    assert all(s.startswith("done") for s in region.progress(conn, "kill").values())
    # The merge stores its result once: a second merge finds it there and stores nothing.
    assert len(job.results()) == 1  # the killed run left no result, the retry one
    done = own_queue.fetch_job(job.id)
    assert done is not None
    assert done.retries_left == 0
    assert run.merge.get_status(refresh=True) == "finished"
    assert run.merge.return_value() is True

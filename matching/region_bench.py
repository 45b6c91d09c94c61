"""``python -m matching.bench --region``: the province of Utrecht over 1 and 2 workers.

The instance (:func:`matching.province.generate_province`, 50,000 requests x 50,000
volunteers, fixed seed) is split into shards (:func:`matching.region.split`); the shard
jobs (:func:`matching.region.run_block`, the same function the RQ jobs run) go to a pool
of 1, then 2 worker processes, and the parent merges them (border pass, region-wide
bound). Printed per run: wall time (split to merged, proven answer), the shards' solve
times, the merge time, peak RSS of each worker and of the parent, and the proven bound.
``--baseline`` also solves the region unsharded in one process (the engine as today).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import platform
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np
import scipy

from matching.engine import solve_arrays
from matching.model import CostWeights
from matching.province import generate_province
from matching.region import BlockResult, BlockTask, make_tasks, merge, run_block, split


def _job(task: BlockTask) -> tuple[BlockResult, int, float, float]:
    cpu = time.process_time()
    res = run_block(task)
    return (res, os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            time.process_time() - cpu)


def _run(n: int, seed: int, shards: int, workers: int) -> dict[str, Any]:
    p = generate_province(n, n, seed)
    w = CostWeights()
    # One BLAS thread per worker: two workers on two cores, not four threads.
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
    ctx = mp.get_context("forkserver")
    with ctx.Pool(workers) as pool:
        pool.map(abs, range(workers))  # start the workers before the clock
        t0 = time.perf_counter()
        tasks = make_tasks(p, split(p, shards), w, 1e-3)
        # Largest shards first, one at a time, so that the two workers finish together.
        order = sorted(tasks, key=lambda t: -t.requests.size)
        out = pool.map(_job, order, chunksize=1)
        t1, cpu = time.perf_counter(), time.process_time()
        res = merge(p, w, [r for r, _, _, _ in out], 1e-3)
        t2, merge_cpu = time.perf_counter(), time.process_time() - cpu
    rss: dict[int, float] = {}
    for _, pid, mb, _ in out:
        rss[pid] = max(rss.get(pid, 0.0), mb)
    return {"wall": t2 - t0, "shards_wall": t1 - t0, "merge": t2 - t1,
            "shard_s": [round(r.seconds, 2) for r, _, _, _ in out],
            "shard_cpu": [round(c, 2) for _, _, _, c in out], "merge_cpu": merge_cpu,
            "worker_rss": sorted(rss.values(), reverse=True),
            "parent_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            "matched": res.n_matched, "cost": res.total_cost, "bound": res.gap_bound,
            "border_rounds": res.border_rounds, "border_requests": res.border_requests,
            "fallback": res.fallback}


def _baseline(n: int, seed: int) -> dict[str, Any]:
    p = generate_province(n, n, seed)
    t0, cpu = time.perf_counter(), time.process_time()
    res = solve_arrays(p, CostWeights())
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - cpu,
            "matched": int(res.req.shape[0]),
            "cost": float(res.cost.sum()), "bound": res.gap_bound,
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            "largest_component": res.largest_component}


def region_bench(n: int, seed: int, shards: int, baseline: bool) -> int:
    """Print the region benchmark (markdown) and return 0."""
    before = os.getloadavg()
    p = generate_province(n, n, seed)
    sizes = [s.requests.size for s in split(p, shards)]
    print(f"Province of Utrecht: {n} requests x {n} volunteers, seed {seed}, "
          f"{shards} shards of {sizes} requests")
    print("\n| workers | wall s | shards done s | merge s (CPU s) | shard solves s (CPU s) | "
          "peak RSS per worker MB | parent MB | matched | total cost | proven bound | border |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    walls = {}
    for workers in (1, 2):
        r = _run(n, seed, shards, workers)
        walls[workers] = r["wall"]
        border = (f"{r['border_rounds']} rounds, {r['border_requests']} requests"
                  + (", fallback" if r["fallback"] else ""))
        print(f"| {workers} | {r['wall']:.2f} | {r['shards_wall']:.2f} | {r['merge']:.2f} "
              f"({r['merge_cpu']:.2f}) | {r['shard_s']} ({r['shard_cpu']}) | "
              f"{', '.join(f'{x:.0f}' for x in r['worker_rss'])} | "
              f"{r['parent_rss']:.0f} | {r['matched']} | {r['cost']:.1f} | "
              f"{100 * r['bound'] / r['cost']:.4f} % | {border} |", flush=True)
    print(f"\n2 workers / 1 worker wall time: {walls[2] / walls[1]:.2f}")
    if baseline:
        b = _in_child(n, seed)
        print(f"\nUnsharded (one process, engine as today): {b['wall']:.2f} s "
              f"({b['cpu']:.2f} CPU s), "
              f"{b['rss']:.0f} MB, matched {b['matched']}, cost {b['cost']:.1f}, bound "
              f"{100 * b['bound'] / b['cost']:.4f} %, largest component "
              f"{b['largest_component']}")
    after = os.getloadavg()
    print(f"\nload average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
          f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}; {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}")
    return 0


def _in_child(n: int, seed: int) -> dict[str, Any]:
    """The unsharded baseline in a fresh process (an honest peak RSS)."""
    code = ("import json, sys; from matching.region_bench import _baseline; "
            f"print(json.dumps(_baseline({n}, {seed})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         check=True)
    import json

    return dict(json.loads(out.stdout.strip().splitlines()[-1]))

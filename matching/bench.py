"""Benchmark: ``python -m matching.bench [--sizes ...] [--repeat 3] [--seed 42] [--no-dense]``.

``--region [--shards 4] [--baseline]``: the province of Utrecht in shards over 1 and 2
worker processes (:mod:`matching.region_bench`).

Every (method, size, repeat) runs in a fresh subprocess so that peak RSS
(``resource.getrusage(...).ru_maxrss``, includes the instance itself and the interpreter)
is honest. Methods: ``engine`` (the defaults: 32 candidates per request, plus one per
otherwise unused volunteer; cost proven within 0.1 % of the optimum), ``certified`` (the
same, repaired until the certificate proves the exact optimum), ``exact`` (no pruning at
all: the exact optimum, the reference when dense is skipped), ``dense`` (one LSA on the
full expanded float64 matrix) and ``greedy`` (nearest free volunteer first).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from typing import Any

import numpy as np
import scipy

from matching.baselines import dense_lsa, greedy
from matching.engine import DEFAULT_PRUNE_K, solve_arrays
from matching.model import CostWeights
from matching.synthetic import generate

#: Largest size measured with dense LSA (memory is quadratic: 8 * n * 1.3n bytes).
DENSE_MAX = 10_000


def _measure(method: str, n: int, seed: int) -> dict[str, Any]:
    p = generate(n, n, seed)
    w = CostWeights()
    gap = None
    if method in ("engine", "certified", "exact"):
        if method == "engine":
            res = solve_arrays(p, w)
        else:
            res = solve_arrays(p, w, prune_k=None if method == "exact" else DEFAULT_PRUNE_K,
                               tolerance=0.0)
        out = (int(res.req.shape[0]), float(res.cost.sum()), res.build_seconds,
               res.solve_seconds)
        gap = res.gap_bound
    elif method == "dense":
        out = dense_lsa(p, w)
    else:
        out = greedy(p, w)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"matched": out[0], "cost": out[1], "build": out[2], "solve": out[3], "rss_mb": rss,
            "bound": gap}


def _run(method: str, n: int, seed: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "matching.bench", "--worker", method, str(n), str(seed)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)  # noqa: S603
    return dict(json.loads(proc.stdout))


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("matched", "cost", "build", "solve", "rss_mb")
    out: dict[str, Any] = {k: statistics.median(r[k] for r in runs) for k in keys}
    out["totals"] = [r["build"] + r["solve"] for r in runs]
    bounds = [r["bound"] for r in runs if r["bound"] is not None]
    out["bound"] = max(bounds) if bounds else None
    return out


def _row(n: int, method: str, m: dict[str, Any], ref: dict[str, Any] | None,
         eng: dict[str, Any]) -> str:
    total = statistics.median(m["totals"])
    ratio = total / statistics.median(eng["totals"]) if method != "engine" else 1.0
    gap = f"{100 * (m['cost'] - ref['cost']) / ref['cost']:+.3f}%" if ref else "n/a"
    bound = "" if m["bound"] is None else f"{100 * m['bound'] / m['cost']:.3f}%"
    dm = f"{int(m['matched'] - ref['matched']):+d}" if ref else "n/a"
    return (f"| {n} | {method} | {m['build']:.3f} | {m['solve']:.3f} | {total:.3f} | "
            f"{ratio:.1f}x | {m['rss_mb']:.0f} | {int(m['matched'])} | {dm} | "
            f"{m['cost']:.1f} | {gap} | {bound} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m matching.bench")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000, 20000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-dense", action="store_true")
    ap.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--region", action="store_true",
                    help="the province of Utrecht in shards over 1 and 2 workers")
    ap.add_argument("--region-size", type=int, default=50_000)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--baseline", action="store_true", help="with --region: also unsharded")
    args = ap.parse_args(argv)
    if args.region:
        from matching.region_bench import region_bench

        return region_bench(args.region_size, args.seed, args.shards, args.baseline)
    if args.worker:
        print(json.dumps(_measure(args.worker[0], int(args.worker[1]), int(args.worker[2]))))
        return 0
    print("| N | method | build s | solve s | total s | time / engine | peak RSS MB | matched "
          "| matched - optimum | total cost | cost gap vs optimum | proven gap bound |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    before = os.getloadavg()
    for n in args.sizes:
        _bench_size(n, args)
    after = os.getloadavg()
    print(f"\nload average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
          f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}; {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}")
    return 0


def _bench_size(n: int, args: argparse.Namespace) -> None:
    res: dict[str, dict[str, Any]] = {}
    methods = ["engine", "certified", "greedy"]
    if n <= DENSE_MAX:
        # Without pruning, memory grows like dense: only up to DENSE_MAX.
        methods.insert(2, "exact")
        if not args.no_dense:
            methods.insert(2, "dense")
    for method in methods:
        reps = 1 if method == "exact" else args.repeat
        res[method] = _median([_run(method, n, args.seed) for _ in range(reps)])
    ref = res.get("dense", res.get("exact", res["certified"]))
    for method in methods:
        print(_row(n, method, res[method], ref, res["engine"]), flush=True)
    if "dense" not in res:
        gb = 8 * n * 1.3 * n / 1e9
        print(f"| {n} | dense | skipped: would need ~{gb:.1f} GB for the float64 matrix "
              "| | | | | | | | | |", flush=True)


if __name__ == "__main__":
    sys.exit(main())

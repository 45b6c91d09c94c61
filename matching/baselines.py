"""Reference solvers for the benchmark: dense full-matrix LSA (exact) and greedy."""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from matching.arrays import ProblemArrays
from matching.feasibility import Context, candidates
from matching.model import CostWeights
from matching.solver import big_constant, expand

FloatArr = NDArray[np.float64]


def dense_lsa(p: ProblemArrays, w: CostWeights) -> tuple[int, float, float, float]:
    """Exact optimum by one LSA over the full n_r x (sum of capacities) float64 matrix.

    Uses the same feasibility and expanded costs as the engine; infeasible = BIG.
    Returns (matched, total cost, build seconds, solve seconds).
    """
    t0 = time.perf_counter()
    ctx = Context(p, w)
    c = candidates(ctx, None)
    cap = p.active_capacity
    x = expand(c.req, c.vol, c.cost, cap, np.zeros(p.n_volunteers, dtype=np.int64),
               w.extra_slot_step)
    col_start = np.concatenate([[0], np.cumsum(cap)[:-1]]).astype(np.int64)
    n_cols = int(cap.sum())
    big = big_constant(x.cost, p.n_requests, n_cols)
    mat = np.full((p.n_requests, n_cols), big)
    mat[x.req, col_start[x.vol] + x.j] = x.cost
    t1 = time.perf_counter()
    rows, cols = linear_sum_assignment(mat)
    vals = mat[rows, cols]
    real = vals < big
    t2 = time.perf_counter()
    return int(real.sum()), float(vals[real].sum()), t1 - t0, t2 - t1


def greedy(p: ProblemArrays, w: CostWeights) -> tuple[int, float, float, float]:
    """Longest-waiting (then most urgent) request first takes its nearest free volunteer.

    Costs are evaluated with the engine's cost model (incl. the extra-slot step).
    Returns (matched, total cost, build seconds, solve seconds).
    """
    t0 = time.perf_counter()
    ctx = Context(p, w)
    c = candidates(ctx, None)
    order = np.lexsort((c.dist, c.req))
    req, vol, cost = c.req[order], c.vol[order], c.cost[order]
    ptr = np.searchsorted(req, np.arange(p.n_requests + 1))
    t1 = time.perf_counter()
    left = p.active_capacity.copy()
    used = np.zeros(p.n_volunteers, dtype=np.int64)
    total, matched = 0.0, 0
    for r in np.lexsort((-p.req_urgency, -p.req_waiting)).tolist():
        vs = vol[ptr[r]:ptr[r + 1]]
        free = np.flatnonzero(left[vs] > 0)
        if free.size:
            k = ptr[r] + int(free[0])
            v = int(vol[k])
            total += float(cost[k]) + w.extra_slot_step * int(used[v])
            left[v] -= 1
            used[v] += 1
            matched += 1
    return matched, total, t1 - t0, time.perf_counter() - t1

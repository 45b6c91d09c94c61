"""A region's answer in the engine's own result form, so the app stores it like a round.

The app's round keeps coordinator-locked pairs as they are. A region solves without them
(:func:`free_problem`: the locked requests left out, their volunteers' capacity reduced),
and :func:`array_result` puts the locked pairs back in front of the region's pairs, as
:func:`matching.engine.solve_arrays` returns them, with each pair's distance, capacity
column, cost, rank and the region's proven bound. ``matching.api.decode`` then turns it
into a :class:`matching.model.MatchResult` (explanations, unmatched reasons, stats).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from matching.engine import DEFAULT_PRUNE_K, ArrayResult, _occurrence, _ranks
from matching.feasibility import Context, candidates
from matching.model import CostWeights
from matching.region import RegionResult, subproblem

IntArr = NDArray[np.int64]


def free_problem(p: ProblemArrays, locked: IntArr) -> tuple[ProblemArrays, IntArr]:
    """``p`` without the requests of the ``locked`` (k, 2) pairs (request, volunteer
    indices), each volunteer's capacity reduced by its locked pairs.

    Returns the problem and, per request of it, its index in ``p`` (sorted). Every
    volunteer stays, in the same order.
    """
    locked = locked.reshape(-1, 2).astype(np.int64)
    rows = np.setdiff1d(np.arange(p.n_requests, dtype=np.int64), locked[:, 0]).astype(np.int64)
    sub = subproblem(p, rows, np.arange(p.n_volunteers, dtype=np.int64))
    used = np.bincount(locked[:, 1], minlength=p.n_volunteers)
    capacity = np.maximum(sub.vol_capacity - used, 0).astype(sub.vol_capacity.dtype)
    return replace(sub, vol_capacity=capacity), rows


def array_result(p: ProblemArrays, weights: CostWeights, locked: IntArr, rows: IntArr,
                 res: RegionResult, prune_k: int | None = DEFAULT_PRUNE_K) -> ArrayResult:
    """The locked pairs (first) and the region's pairs as one result over ``p``.

    ``res`` solved :func:`free_problem` ``(p, locked)``, whose request ``i`` is ``rows[i]``
    of ``p``. A volunteer's locked pairs take its first capacity columns, as in the engine;
    the cost of each pair is its base cost plus the extra-slot step of its column, so the
    total is the cost of the same pairs in ``p``. ``gap_bound`` is the region's bound.
    """
    locked = locked.reshape(-1, 2).astype(np.int64)
    req = np.concatenate([locked[:, 0], rows[res.req]]).astype(np.int64)
    vol = np.concatenate([locked[:, 1], res.vol]).astype(np.int64)
    ctx = Context(p, weights)
    dist, base = ctx.edge_costs(req, vol)
    j = _occurrence(vol)
    cand = candidates(ctx, prune_k)
    rank = _ranks(ctx, cand, req, base)
    flags = np.arange(req.shape[0]) < locked.shape[0]
    return ArrayResult(
        req, vol, j, dist, base, base + weights.extra_slot_step * j, rank, flags,
        cand.feasible_count.copy(), int(cand.req.shape[0]), res.n_shards, 0, res.border_rounds,
        bool(res.gap_bound <= 0.0), float(res.gap_bound), 0.0,
        float(sum(res.shard_seconds) + res.merge_seconds))

"""Array-level entry point: :func:`solve_arrays` (candidates -> assign -> certify -> repair).

Pruning keeps, per request, only the ``prune_k`` cheapest feasible volunteers (plus, per
block, one request for each volunteer no request kept). That can in principle lose
cardinality, so after solving we *certify* it: by Berge's theorem a matching
is maximum iff no augmenting path exists. We search alternating paths from every unmatched
request that has feasible volunteers, over the *full* (unpruned) feasible graph. If a path
is found, the requests on it get all their feasible edges and we solve again. The number
of matched requests is therefore always exactly the maximum.

Components of 1,000+ requests are solved on costs rounded to a step (:func:`quantum_for`),
which makes scipy's sparse LAPJV about three times faster at 10k. The cost is then
certified (:mod:`matching.certify`): dual potentials of the solution are computed by
Bellman-Ford on the residual graph (for the costs it was optimal for), the row duals and
the slack of every request on the true costs, and every dropped edge is priced. Lowering
each request's dual by its worst violation gives a feasible dual of the full problem, whose
objective is a lower bound on the optimum: ``gap_bound`` = cost - that
bound is a proven upper bound on how far the cost is above the optimum. While it exceeds
``tolerance`` times the cost, the violating edges are added and the problem is solved
again (column generation), with a finer step when the rounding alone costs more than half
the tolerance; ``tolerance=0`` uses exact costs and ends only when no dropped edge
violates dual feasibility, i.e. at the exact optimum of the full graph (LP duality).
``tolerance=None`` stops after the first solve (``exact`` False, ``gap_bound`` inf).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from matching.certify import Pricing, price
from matching.explain import check_locked
from matching.feasibility import Candidates, Context, candidates
from matching.model import CostWeights
from matching.solver import DENSE_LIMIT, Assigned, Expanded, assign, expand

FloatArr = NDArray[np.float64]
IntArr = NDArray[np.int64]
BoolArr = NDArray[np.bool_]

#: Default number of cheapest candidates kept per request.
DEFAULT_PRUNE_K = 32
#: Default relative cost tolerance: stop repairing once the dual bound proves the cost is
#: within 0.1 % of the optimum (0.0 = repair until certified exactly optimal).
DEFAULT_TOLERANCE = 1e-3
MAX_REPAIR_ROUNDS = 20
#: quantum = QUANTUM_SHARE * tolerance * median edge cost (see :func:`quantum_for`).
QUANTUM_SHARE = 4.0
#: ... but never more than 5 % of the median edge cost (for large tolerances).
MAX_QUANTUM_SHARE = 0.05


@dataclass(frozen=True)
class ArrayResult:
    """Matched pairs as (m,) arrays plus per-request data (n_r,).

    ``cost`` includes the extra-slot step (``step * j``, j = the pair's capacity column);
    ``base_cost`` does not. ``rank``: 1 = cheapest feasible volunteer of that request.
    ``locked`` marks coordinator-locked pairs. ``feasible_count`` is per request.
    ``exact``: certified optimal; ``gap_bound``: proven upper bound on (total cost -
    optimum), 0.0 when exact, ``inf`` when the cost was not certified.
    """

    req: IntArr
    vol: IntArr
    j: IntArr
    dist: FloatArr
    base_cost: FloatArr
    cost: FloatArr
    rank: IntArr
    locked: BoolArr
    feasible_count: IntArr
    n_edges: int
    n_components: int
    largest_component: int
    repair_rounds: int
    exact: bool
    gap_bound: float
    build_seconds: float
    solve_seconds: float
    #: Rounding step of the costs of big components in the final solve (0.0 = exact).
    cost_step: float = 0.0


@dataclass
class _State:
    """Mutable solver state: the current candidate edges and capacity bookkeeping."""

    cand: Candidates
    free_cap: IntArr
    first_j: IntArr


def _replace_rows(old: Candidates, new: Candidates, rows: IntArr) -> Candidates:
    """Edges of ``rows`` from ``new`` (complete), all other edges from ``old``."""
    keep = ~np.isin(old.req, rows)
    bound = old.bound.copy()
    bound[rows] = np.inf
    return Candidates(np.concatenate([old.req[keep], new.req]),
                      np.concatenate([old.vol[keep], new.vol]),
                      np.concatenate([old.dist[keep], new.dist]),
                      np.concatenate([old.cost[keep], new.cost]), old.feasible_count, bound)


def _add_edges(old: Candidates, new: Candidates) -> Candidates:
    """``old`` plus the edges of ``new`` (not yet in ``old``); bounds stay valid."""
    return Candidates(np.concatenate([old.req, new.req]), np.concatenate([old.vol, new.vol]),
                      np.concatenate([old.dist, new.dist]),
                      np.concatenate([old.cost, new.cost]), old.feasible_count, old.bound)


def _augmenting_rows(ctx: Context, st: _State, match_vol: IntArr) -> IntArr:
    """Requests on augmenting paths w.r.t. the matching (empty array = matching is maximum).

    ``match_vol`` (n_r,) is the matched volunteer per request (-1 = unmatched). Level-wise
    BFS over alternating paths in the full feasible graph, remembering parents.
    """
    n_r, n_v = ctx.p.n_requests, ctx.p.n_volunteers
    used = np.bincount(match_vol[match_vol >= 0], minlength=n_v)
    free = st.free_cap - used
    parent_v = np.full(n_v, -2, dtype=np.int64)  # request through which a volunteer is reached
    parent_r = np.full(n_r, -2, dtype=np.int64)  # volunteer through which a request is reached
    # Locked requests have feasible_count 0 in st.cand (they are not part of this solve).
    frontier = np.flatnonzero((match_vol < 0) & (st.cand.feasible_count > 0))
    parent_r[frontier] = -1
    while frontier.size:
        full = candidates(ctx, None, frontier)
        fresh = parent_v[full.vol] == -2
        vols, first = np.unique(full.vol[fresh], return_index=True)
        parent_v[vols] = full.req[fresh][first]
        ends = vols[free[vols] > 0]
        if ends.size:
            return _trace(ends, parent_v, parent_r, match_vol)
        nxt = np.flatnonzero(np.isin(match_vol, vols) & (parent_r == -2))
        parent_r[nxt] = match_vol[nxt]
        frontier = nxt
    return np.zeros(0, dtype=np.int64)


def _trace(ends: IntArr, parent_v: IntArr, parent_r: IntArr, match_vol: IntArr) -> IntArr:
    """All requests on the alternating paths ending at the free volunteers ``ends``."""
    out: list[int] = []
    for v in ends.tolist():
        r = int(parent_v[v])
        while r >= 0:
            out.append(r)
            r = int(parent_v[parent_r[r]]) if parent_r[r] >= 0 else -1
    return np.unique(np.array(out, dtype=np.int64))


def _solve_state(ctx: Context, st: _State, dense_limit: int,
                 progress: Callable[[int], None] | None,
                 quantum: float) -> tuple[Expanded, Assigned]:
    c = st.cand
    x = expand(c.req, c.vol, c.cost, st.free_cap, st.first_j, ctx.w.extra_slot_step)
    return x, assign(x, ctx.p.n_requests, ctx.p.n_volunteers, dense_limit, progress, quantum)


def quantum_for(tolerance: float | None, cost: FloatArr) -> float:
    """Rounding step of the costs for big components (0.0 = exact costs).

    scipy's sparse LAPJV scans all columns once per distinct shortest-path length; on costs
    that are whole multiples of a quantum many paths tie, and at 10k requests one solve is
    about three times faster. A matching optimal for the rounded costs is within
    ``quantum`` per matched request of the optimum (in practice far closer), and the dual
    bound measures it. The step is a fraction of the tolerance times the median edge cost.
    """
    if not tolerance or tolerance <= 0.0 or cost.size == 0:
        return 0.0
    typical = float(np.median(cost[:: max(1, cost.shape[0] // 10_000)]))  # a sample will do
    return min(QUANTUM_SHARE * tolerance, MAX_QUANTUM_SHARE) * typical


def _ranks(ctx: Context, cand: Candidates, req: IntArr, base_cost: FloatArr) -> IntArr:
    """Rank of each chosen pair among its request's feasible volunteers (1 = cheapest).

    Counted over the kept candidates; a request whose chosen edge may be dearer than one of
    its dropped edges (``base_cost >= bound``) is counted over all its feasible edges.
    """
    n_r = ctx.p.n_requests
    chosen = np.full(n_r, -np.inf)
    chosen[req] = base_cost
    redo = np.zeros(n_r, dtype=np.bool_)
    redo[req] = base_cost >= cand.bound[req]
    in_reserve = np.zeros(n_r, dtype=np.int64)
    if cand.reserve is not None:
        # Requests whose reserve holds every dropped edge that may be cheaper: count there.
        near = redo & (chosen < cand.reserve.far)
        redo &= ~near
        rq, rv, lower = cand.reserve.of(near)
        maybe = lower < chosen[rq] - 1e-9
        rq, rv = rq[maybe], rv[maybe]
        cheaper = ctx.edge_costs(rq, rv)[1] < chosen[rq] - 1e-9
        in_reserve = np.bincount(rq[cheaper], minlength=n_r)
    if redo.any():
        extra = candidates(ctx, None, np.flatnonzero(redo).astype(np.int64))
        keep = ~redo[cand.req]
        cand = _add_edges(Candidates(cand.req[keep], cand.vol[keep], cand.dist[keep],
                                     cand.cost[keep], cand.feasible_count, cand.bound), extra)
    cheaper = cand.cost < chosen[cand.req] - 1e-9
    count = np.bincount(cand.req[cheaper], minlength=n_r) + in_reserve
    return 1 + count[req].astype(np.int64)


def solve_arrays(p: ProblemArrays, weights: CostWeights | None = None,
                 prune_k: int | None = DEFAULT_PRUNE_K, locked: IntArr | None = None,
                 dense_limit: int = DENSE_LIMIT,
                 progress: Callable[[int, int], None] | None = None,
                 tolerance: float | None = DEFAULT_TOLERANCE) -> ArrayResult:
    """Solve a :class:`ProblemArrays` instance; see the module docstring for guarantees.

    ``locked`` (l, 2) [request index, volunteer index] pairs are validated against the hard
    rules (ValueError otherwise), kept, and consume capacity. ``prune_k=None``: no pruning
    (exact when ``tolerance`` is 0 or no component reaches 1,000 requests).
    ``progress(done, total)`` is called with total = 2 * n_requests (build, then solve).
    ``tolerance``: relative cost gap to accept (``gap_bound <= tolerance * cost``; 0.0 =
    the exact optimum); ``None`` skips the cost certificate (one solve on the pruned edges;
    cardinality is still certified maximal; ``gap_bound`` is then ``inf``).
    """
    w = weights or CostWeights()
    t0 = time.perf_counter()
    ctx = Context(p, w)
    lk = np.zeros((0, 2), dtype=np.int64) if locked is None else np.asarray(locked, np.int64)
    check_locked(ctx, lk)
    n = p.n_requests
    free_rows = np.setdiff1d(np.arange(n, dtype=np.int64), lk[:, 0])
    on_build = None if progress is None else (lambda k: progress(k, 2 * n))
    cand = candidates(ctx, prune_k, free_rows, on_build)
    locked_cnt = np.bincount(lk[:, 1], minlength=p.n_volunteers).astype(np.int64)
    st = _State(cand, p.active_capacity - locked_cnt, locked_cnt)
    t1 = time.perf_counter()
    on_solve = None if progress is None else (lambda k: progress(n + k, 2 * n))
    out = _solve_certified(ctx, st, dense_limit, on_solve, tolerance)
    res = _result(ctx, st, out, lk)
    if progress is not None:
        progress(2 * n, 2 * n)
    # The solve time includes the explanation data (ranks, exact distances and costs).
    return replace(res, build_seconds=t1 - t0, solve_seconds=time.perf_counter() - t1)


@dataclass(frozen=True)
class _Outcome:
    x: Expanded
    chosen: IntArr
    n_comp: int
    largest: int
    rounds: int
    exact: bool
    gap: float
    cost_step: float
    #: The edge costs the matching is optimal for (``x.cost`` or rounded; the region's
    #: certificate, :mod:`matching.region`, recomputes the duals from them).
    solve_cost: FloatArr | None = None


def _solve_certified(ctx: Context, st: _State, dense_limit: int,
                     progress: Callable[[int], None] | None,
                     tolerance: float | None) -> _Outcome:
    """Solve on the kept edges, then certify cardinality (augmenting paths) and cost (duals).

    Repairs until the matching is maximum and its cost is within ``tolerance`` (relative)
    of the optimum by the dual bound; ``tolerance=None`` skips the cost certificate (the
    gap is then unknown: ``inf``).
    """
    first_quantum = quantum = quantum_for(tolerance, st.cand.cost)
    x, sol = _solve_state(ctx, st, dense_limit, progress, quantum)
    rounds = 0
    while True:
        out, rows, pricing = _check(ctx, st, x, sol, tolerance, rounds)
        if out is not None:
            return out
        total = float(x.cost[sol.chosen].sum())
        if pricing is not None and (pricing.add is None
                                    or pricing.slack > 0.5 * (tolerance or 0.0) * total):
            # The rounding costs too much: a finer step (after two, the exact costs).
            quantum = quantum / 4.0 if quantum > first_quantum / 10.0 else 0.0
        rounds += 1
        if rounds > MAX_REPAIR_ROUNDS + 1:
            # Unreachable in theory (the previous round removed all pruning); a hard stop
            # so a round can never hang, reported as not certified.
            gap = pricing.gap if pricing is not None else float("inf")
            return _outcome(x, sol, rounds, False, gap)
        if rounds >= MAX_REPAIR_ROUNDS or (pricing is not None and pricing.failed):
            # Give up pruning (and rounding) for every request that still has dropped
            # edges: exact by construction.
            quantum = 0.0
            rows = np.union1d(np.unique(st.cand.req), np.flatnonzero(st.cand.pruned))
        if rows.size:
            st.cand = _replace_rows(st.cand, candidates(ctx, None, rows), rows)
        elif pricing is not None and pricing.add is not None:
            st.cand = _add_edges(st.cand, pricing.add)
        x, sol = _solve_state(ctx, st, dense_limit, progress, quantum)


def _outcome(x: Expanded, sol: Assigned, rounds: int, exact: bool, gap: float) -> _Outcome:
    return _Outcome(x, sol.chosen, sol.stats.n_components, sol.stats.largest, rounds, exact,
                    gap, sol.quantum, sol.solve_cost)


def _check(ctx: Context, st: _State, x: Expanded, sol: Assigned, tolerance: float | None,
           rounds: int) -> tuple[_Outcome | None, IntArr, Pricing | None]:
    """Certify one solve: (the outcome if it is good enough, requests on augmenting paths,
    the pricing when the matching is maximum)."""
    chosen = sol.chosen
    if not st.cand.pruned.any() and not (sol.solve_cost != x.cost).any():
        return _outcome(x, sol, rounds, True, 0.0), np.zeros(0, dtype=np.int64), None
    match_vol = np.full(ctx.p.n_requests, -1, dtype=np.int64)
    match_vol[x.req[chosen]] = x.vol[chosen]
    rows = _augmenting_rows(ctx, st, match_vol)
    if rows.size:
        return None, rows, None
    if tolerance is None:
        return _outcome(x, sol, rounds, False, float("inf")), rows, None
    pricing = price(ctx, st.cand, x, chosen, st.free_cap, st.first_j, sol.solve_cost)
    if pricing.ok or pricing.gap <= tolerance * float(x.cost[chosen].sum()):
        # A zero bound proves optimality too (e.g. the only violations are on requests
        # that stay unmatched in every maximum matching).
        exact = pricing.ok or pricing.gap <= 0.0
        return _outcome(x, sol, rounds, exact, pricing.gap), rows, pricing
    return None, rows, pricing


def _result(ctx: Context, st: _State, out: _Outcome, lk: IntArr) -> ArrayResult:
    x, chosen = out.x, out.chosen
    # Locked pairs: columns 0..(count-1) of their volunteer, in input order.
    lj = _occurrence(lk[:, 1])
    lcand = candidates(ctx, None, lk[:, 0]) if lk.size else None
    req = np.concatenate([lk[:, 0], x.req[chosen]])
    vol = np.concatenate([lk[:, 1], x.vol[chosen]])
    j = np.concatenate([lj, x.j[chosen]])
    dist, base = ctx.edge_costs(req, vol)
    count = st.cand.feasible_count.copy()
    rank = _ranks(ctx, st.cand, req, base)
    if lcand is not None:
        count[lk[:, 0]] = lcand.feasible_count[lk[:, 0]]
        rank[: lk.shape[0]] = _ranks(ctx, lcand, req[: lk.shape[0]], base[: lk.shape[0]])
    locked_flags = np.arange(req.shape[0]) < lk.shape[0]
    return ArrayResult(req, vol, j, dist, base, base + ctx.w.extra_slot_step * j, rank,
                       locked_flags, count, int(st.cand.req.shape[0]), out.n_comp, out.largest,
                       out.rounds, out.exact, out.gap, 0.0, 0.0, out.cost_step)


def _occurrence(a: IntArr) -> IntArr:
    """For each element, how many equal elements precede it (0-based occurrence index)."""
    order = np.argsort(a, kind="stable")
    s = a[order]
    start = np.searchsorted(s, s, side="left")
    out = np.empty_like(a)
    out[order] = np.arange(a.shape[0]) - start
    return out

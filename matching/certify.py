"""Optimality certificate for a matching computed on pruned candidates (LP duality).

Setting. Volunteers are expanded into capacity columns; every request r is matched to a
real column or, when unmatched, to a private dummy column of cost ``B`` (B exceeds the cost
of any set of real edges, so that the LP optimum has maximum cardinality first, then
minimum cost). Each matched request also owns a free dummy column. The assignment LP

    min sum c_rc x_rc   s.t.  sum_c x_rc = 1 (every request),  sum_r x_rc <= 1 (column)

has the dual ``max sum u_r + sum v_c`` with ``u_r + v_c <= c_rc`` and ``v_c <= 0``. A
matching is optimal iff duals exist that satisfy these constraints with equality on the
matched edges and ``v_c = 0`` on free columns (complementary slackness).

Construction. Write ``y_c = -v_c >= 0``. For a matched request r (column m(r), cost
c_r,m(r)) every other edge (r, c) gives ``y_m(r) <= y_c + c_rc - c_r,m(r)``: a shortest-path
constraint on the graph of columns with an arc c -> m(r) of that weight. ``y`` = distances
from the free columns (0) and from the dummies of matched requests (``B - c_r,m(r)``),
computed by vectorised Bellman-Ford on the costs the matching was solved on (rounded in big
components). The matching is optimal for those, so there is no negative cycle and
``y >= 0``. Any ``y >= 0`` with ``u_r = min over kept edges (y_c + c_rc)`` (true costs) is
dual feasible on the *kept* edges. On exact costs this u is tight on every matched edge
(complementary slackness); after rounding a request may keep some slack, which a few
coordinate steps on y reduce and the bound includes. The duals are feasible on the *full*
graph iff every dropped edge has reduced cost ``c_rc + y_c - u_r >= 0``; with no slack
either, the matching is optimal for the full graph. We never materialise the dropped edges
of a request unless its lower bound (``Candidates.bound``, the cheapest dropped base cost;
``y >= 0``) can fall below ``u_r``; the reserve of next-cheapest edges is priced first.
Violating edges are returned so that the caller can add them and solve again (column
generation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.feasibility import Candidates, Context, violations
from matching.solver import Expanded

FloatArr = NDArray[np.float64]
IntArr = NDArray[np.int64]

#: Reduced costs above -TOL count as non-negative (float rounding of sums of costs).
TOL = 1e-7


@dataclass(frozen=True)
class Pricing:
    """Result of :func:`price`: ``ok`` = certified optimal; else edges to add (may be empty
    only if ``ok``). ``failed`` = no dual could be computed (caller should stop pruning)."""

    ok: bool
    failed: bool
    add: Candidates | None
    #: Upper bound on (cost of this matching - optimum) over the full graph; 0 when ``ok``,
    #: ``inf`` when no bound is known (a violation on an unmatched request, or ``failed``).
    gap: float = float("inf")
    #: The part of ``gap`` owed to a solve on rounded costs (requests whose duals are not
    #: tight for the true costs); only a finer solve, not more edges, removes it.
    slack: float = 0.0


def cost_ceiling(ctx: Context, free_cap: IntArr, first_j: IntArr) -> float:
    """An upper bound on the expanded cost of *any* feasible edge."""
    p, w = ctx.p, ctx.w
    top = (w.distance_per_km * float(p.vol_max_km.max(initial=0.0))
           + float(ctx.req_term.max(initial=0.0)) + float(ctx.vol_term.max(initial=0.0))
           + w.continuity_bonus + w.extra_slot_step * float((first_j + free_cap).max(initial=0)))
    return top


def _by_key(key: IntArr, n: int) -> tuple[IntArr, IntArr]:
    """(order, ptr): ``key[order]`` is sorted and ``ptr`` (n + 1,) bounds each key's run.

    Keys below 65536 are sorted as uint16, for which numpy's stable sort is a radix sort.
    """
    small = key.astype(np.uint16) if n <= 1 << 16 else key
    order = np.argsort(small, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(key, minlength=n), out=ptr[1:])
    return order, ptr


def potentials(src: IntArr, dst: IntArr, wt: FloatArr, y0: FloatArr) -> FloatArr | None:
    """Shortest distances ``y`` with ``y <= y0`` and ``y[dst] <= y[src] + wt`` (Bellman-Ford).

    Jacobi sweeps, each vectorised over the arcs leaving the nodes that improved in the
    previous sweep (all nodes at first): at 10k most nodes settle in a few sweeps, so the
    ~50 sweeps touch about 5 % of the arcs each. Returns None if it does not converge
    (negative cycle: the matching was not optimal).
    """
    y = y0.copy()
    n = y.shape[0]
    if src.size == 0:
        return y
    order, ptr = _by_key(src, n)
    dst, wt = dst[order], wt[order]
    active = np.arange(n, dtype=np.int64)
    for _ in range(n + 1):
        counts = ptr[active + 1] - ptr[active]
        if not counts.any():
            return y
        tail = np.repeat(active, counts)
        arc = np.repeat(ptr[active] - np.cumsum(counts) + counts, counts) + np.arange(
            tail.shape[0], dtype=np.int64)
        best = y.copy()
        np.minimum.at(best, dst[arc], y[tail] + wt[arc])
        active = np.flatnonzero(best < y - 1e-9).astype(np.int64)
        if active.size == 0:
            return y
        y[active] = best[active]
    return None


def price(ctx: Context, cand: Candidates, x: Expanded, chosen: IntArr, free_cap: IntArr,
          first_j: IntArr, scost: FloatArr) -> Pricing:
    """Certify the matching ``chosen`` (indices into ``x``) against the full feasible graph.

    ``scost``: the edge costs the matching is optimal for (``x.cost``, or rounded to a step
    in big components). The potentials come from those; the row duals and the bound from
    the true costs, so the bound also covers the rounding.
    """
    n_r, n_v = ctx.p.n_requests, ctx.p.n_volunteers
    step = ctx.w.extra_slot_step
    col_off = np.concatenate([[0], np.cumsum(free_cap)]).astype(np.int64)
    n_col, col = x.n_col, x.col
    big = (n_r + 1) * (cost_ceiling(ctx, free_cap, first_j) + 1.0)
    mcol = np.full(n_r, -1, dtype=np.int64)
    mcost = np.zeros(n_r)
    scost_m = np.zeros(n_r)
    mcol[x.req[chosen]] = col[chosen]
    mcost[x.req[chosen]] = x.cost[chosen]
    scost_m[x.req[chosen]] = scost[chosen]
    matched = mcol >= 0
    y0 = np.zeros(n_col)
    y0[mcol[matched]] = big - scost_m[matched]  # via the matched request's own dummy
    arc = matched[x.req] & (col != mcol[x.req])
    y = potentials(col[arc], mcol[x.req[arc]], scost[arc] - scost_m[x.req[arc]], y0)
    if y is None or (y.size and float(y.min()) < -1e-6):
        return Pricing(False, True, None)
    # Any y >= 0 with u_r = min over the kept edges of (y_c + c_rc) is dual feasible on
    # the kept edges. When the matching is optimal for the true costs this u is tight on
    # every matched edge; after a solve on rounded costs it may fall short by up to the
    # rounding, and that shortfall ("slack") is part of the bound.
    if (scost != x.cost).any():
        y = _tighten(y, x.req, col, x.cost, mcol, mcost, big)
    u = np.full(n_r, np.inf)
    np.minimum.at(u, x.req, y[col] + x.cost)
    # Complementary slackness: a matched request is tight on its own edge and u_r <= BIG
    # (its dummy column is free, so v = 0 there), an unmatched one is tight on its dummy
    # (u_r >= BIG). Optimal (true) costs leave no slack (Bellman-Ford); a solve on rounded
    # costs may leave some, up to the rounding per request. The sum of the slacks is the
    # duality gap before pricing (see _gap).
    slack = np.zeros(n_r)
    um = u[matched]
    slack[matched] = (np.maximum(y[mcol[matched]] + mcost[matched] - um, 0.0)
                      + np.maximum(um - big, 0.0))
    slack[~matched] = np.maximum(big - u[~matched], 0.0)
    # m_v = min over the volunteer's columns of (step * j + y): reduced cost of (r, v) is
    # base_rv + m_v - u_r. Volunteers without free capacity cannot take anything.
    colv = np.repeat(np.arange(n_v, dtype=np.int64), free_cap)
    colj = first_j[colv] + np.arange(n_col, dtype=np.int64) - col_off[colv]
    m_v = np.full(n_v, np.inf)
    np.minimum.at(m_v, colv, step * colj + y)
    floor = float(m_v.min(initial=np.inf))
    suspect = np.flatnonzero(np.isfinite(u) & (cand.bound + floor < u - TOL)).astype(np.int64)
    # Kept edges are dual feasible by construction (Bellman-Ford), so every violator found
    # here is a dropped edge.
    req, vol, dist, cost = _violating(ctx, cand, suspect, u, m_v, floor)
    # Lowering u_r by its worst violation makes (u, y) dual feasible on the full graph, and
    # its objective is a lower bound on the optimum (weak duality).
    low = u.copy()
    np.minimum.at(low, req, cost + m_v[vol])
    gap = _gap(x.cost[chosen], matched, low, y, big)
    if req.size == 0 and not (slack > TOL).any():
        # Dual feasible on the full graph and tight on the matching (complementary
        # slackness): optimal; ``gap`` is then only float rounding of the two sums.
        return Pricing(True, False, None, 0.0)
    add = Candidates(req, vol, dist, cost, cand.feasible_count, cand.bound) if req.size else None
    return Pricing(False, False, add, gap, float(slack.sum()))


def _violating(ctx: Context, cand: Candidates, rows: IntArr, u: FloatArr, m_v: FloatArr,
               floor: float) -> tuple[IntArr, IntArr, FloatArr, FloatArr]:
    """Dropped edges of ``rows`` that violate dual feasibility: (req, vol, dist, cost).

    Requests whose reserve covers every dropped edge that could violate (``far + floor >=
    u``) are priced on their reserve alone; the others scan their blocks again.
    """
    res = cand.reserve
    if res is None:
        return violations(ctx, rows, u, m_v, TOL, cand.bound)
    scan = rows[res.far[rows] + floor < u[rows] - TOL]
    near = np.zeros(u.shape[0], dtype=np.bool_)
    near[rows] = True
    near[scan] = False
    rq, rv, lower = res.of(near)
    maybe = lower + m_v[rv] < u[rq] - TOL
    rq, rv = rq[maybe], rv[maybe]
    dist, cost = ctx.edge_costs(rq, rv)
    bad = cost + m_v[rv] - u[rq] < -TOL
    req, vol, d2, c2 = violations(ctx, scan, u, m_v, TOL, cand.bound)
    return (np.concatenate([rq[bad], req]), np.concatenate([rv[bad], vol]),
            np.concatenate([dist[bad], d2]), np.concatenate([cost[bad], c2]))


def _tighten(y: FloatArr, req: IntArr, col: IntArr, cost: FloatArr, mcol: IntArr,
             mcost: FloatArr, big: float, sweeps: int = 2) -> FloatArr:
    """Potentials with a better dual objective, for a matching solved on rounded costs.

    A matched request whose own column is not its cheapest (for the true costs) has slack;
    when no request has that column among its cheapest, lowering the column's potential by
    the slack (not below 0) raises the dual objective by as much. Repeated twice (at 10k
    the gains of successive sweeps were 47, 12, 2, 0.3 and 0.06 cost units); the best
    potentials seen are returned (any y >= 0 gives a valid bound).
    """
    n_r = mcol.shape[0]
    matched = np.flatnonzero(mcol >= 0)
    m = mcol[matched]
    best, best_y = -np.inf, y
    for sweep in range(sweeps + 1):
        val = y[col] + cost
        u = np.full(n_r, np.inf)
        np.minimum.at(u, req, val)
        d = float(np.minimum(u, big).sum()) - float(y.sum())
        if d > best:
            best, best_y = d, y
        if sweep == sweeps:
            break
        count = np.bincount(col[val - u[req] <= TOL], minlength=y.shape[0])
        slack = y[m] + mcost[matched] - u[matched]
        move = (slack > TOL) & (count[m] == 0) & (y[m] > 0.0)
        if not move.any():
            break
        y = y.copy()
        y[m[move]] = np.maximum(y[m[move]] - slack[move], 0.0)
    return best_y


def _gap(chosen_cost: FloatArr, matched: NDArray[np.bool_], u: FloatArr, y: FloatArr,
         big: float) -> float:
    """Primal cost minus the dual objective of the feasible dual (u, -y): >= cost - optimum.

    Dual objective of the LP with private dummies (cost ``big``): sum_r min(u_r, big)
    (the dummy column of r takes v = min(0, big - u_r)) - sum_c y_c. Both sides include
    ``big`` once per unmatched request (the same number in every maximum matching).
    """
    dual = float(np.minimum(u, big).sum()) - float(y.sum())
    primal = float(chosen_cost.sum()) + big * float((~matched).sum())
    return max(primal - dual, 0.0)

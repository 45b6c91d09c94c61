"""Dual certificates of a region solved in blocks (see :mod:`matching.region`).

A block (a shard, or the border block) is solved by the engine on its own; here its final
matching gives duals with one BIG for the whole region, so that the duals of the blocks can
be put side by side: ``u`` per request (lowered by the block's own worst violation, so it
is feasible for *every* edge inside the block), and per volunteer ``m_v = min_j (step * j +
y_(v, j))`` and ``ysum_v = sum_j y_(v, j)`` over its capacity columns. Put together they
are feasible for every edge inside a block; :func:`region_gap` prices the edges between
blocks, lowers ``u`` by the worst of them, and returns the proven bound of weak duality:
``primal - (sum_r min(u_r, BIG) - sum_v ysum_v)`` >= cost - region optimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from matching.arrays import ProblemArrays
from matching.certify import TOL, _tighten, _violating, potentials
from matching.cost import load_term, request_term
from matching.feasibility import Candidates, Context, violations
from matching.geo import EARTH_RADIUS_KM
from matching.model import CostWeights
from matching.solver import Expanded

FloatArr = NDArray[np.float64]
IntArr = NDArray[np.int64]


@dataclass(frozen=True)
class Duals:
    """Duals of one block, in the block's own indices (see the module docstring)."""

    u: FloatArr
    m_v: FloatArr
    ysum: FloatArr


def region_big(p: ProblemArrays, w: CostWeights) -> float:
    """One BIG for every block of the region: above the cost of any set of real edges
    (``certify.cost_ceiling`` with no locked pairs, times the region's requests + 1)."""
    top = (w.distance_per_km * float(p.vol_max_km.max(initial=0.0))
           + float(request_term(p, w).max(initial=0.0))
           + float(load_term(p, w).max(initial=0.0)) + w.continuity_bonus
           + w.extra_slot_step * float(p.active_capacity.max(initial=0)))
    return (p.n_requests + 1) * (top + 1.0)


def block_duals(ctx: Context, cand: Candidates, x: Expanded, chosen: IntArr,
                free_cap: IntArr, scost: FloatArr, big: float,
                alt: FloatArr | None = None) -> Duals | None:
    """Duals of an optimal (for ``scost``) matching of a block, feasible on its full graph.

    As :func:`matching.certify.price` (Bellman-Ford on the residual graph, the coordinate
    steps after rounding, pricing of the dropped edges) but with the region's ``big`` and
    returning the duals. ``alt`` (per request of the block, optional): the cheapest
    ``cost + m_v`` over volunteers *outside* the block at their fixed duals; a matched
    request's column then starts at no more than ``alt - its cost``, so that its edges to
    the outside do not violate (Bellman-Ford from those extra sources). None when
    Bellman-Ford finds no potentials.
    """
    n_r, n_v = ctx.p.n_requests, ctx.p.n_volunteers
    col = x.col
    mcol = np.full(n_r, -1, dtype=np.int64)
    mcost = np.zeros(n_r)
    scost_m = np.zeros(n_r)
    mcol[x.req[chosen]] = col[chosen]
    mcost[x.req[chosen]] = x.cost[chosen]
    scost_m[x.req[chosen]] = scost[chosen]
    matched = mcol >= 0
    y0 = np.zeros(x.n_col)
    y0[mcol[matched]] = big - scost_m[matched]
    if alt is not None:
        y0[mcol[matched]] = np.minimum(y0[mcol[matched]], alt[matched] - scost_m[matched])
    arc = matched[x.req] & (col != mcol[x.req])
    y = potentials(col[arc], mcol[x.req[arc]], scost[arc] - scost_m[x.req[arc]], y0)
    if y is None or (alt is None and y.size and float(y.min()) < -1e-6):
        return None
    # Raising a potential keeps every constraint (below 0 only through ``alt``: a cheaper
    # edge to the outside, which then violates and is priced).
    y = np.maximum(y, 0.0)  # raising a potential keeps every constraint
    if (scost != x.cost).any():
        y = _tighten(y, x.req, col, x.cost, mcol, mcost, big)
    u = np.full(n_r, np.inf)
    np.minimum.at(u, x.req, y[col] + x.cost)
    col_off = np.concatenate([[0], np.cumsum(free_cap)]).astype(np.int64)
    colv = np.repeat(np.arange(n_v, dtype=np.int64), free_cap)
    colj = np.arange(x.n_col, dtype=np.int64) - col_off[colv]
    m_v = np.full(n_v, np.inf)
    np.minimum.at(m_v, colv, ctx.w.extra_slot_step * colj + y)
    ysum = np.bincount(colv, weights=y, minlength=n_v).astype(np.float64)
    floor = float(m_v.min(initial=np.inf))
    suspect = np.flatnonzero(np.isfinite(u) & (cand.bound + floor < u - TOL)).astype(np.int64)
    req, vol, _, cost = _violating(ctx, cand, suspect, u, m_v, floor)
    np.minimum.at(u, req, cost + m_v[vol])
    return Duals(u, m_v, ysum)


def _nearest_other_km(p: ProblemArrays, owner_r: IntArr, owner_v: IntArr) -> FloatArr:
    """Per request: the chord distance (<= the great-circle distance) in km to the nearest
    volunteer with capacity in another block (``inf`` when there is none)."""
    def unit(lat: FloatArr, lon: FloatArr) -> FloatArr:
        la, lo = np.radians(lat), np.radians(lon)
        return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], 1)

    ur, uv = unit(p.req_lat, p.req_lon), unit(p.vol_lat, p.vol_lon)
    active = p.active_capacity > 0
    out = np.full(p.n_requests, np.inf)
    for b in np.unique(owner_r).tolist():
        rows = np.flatnonzero(owner_r == b)
        others = np.flatnonzero(active & (owner_v != b))
        if others.size == 0 or rows.size == 0:
            continue
        dist, _ = cKDTree(uv[others]).query(ur[rows], k=1)
        out[rows] = np.asarray(dist, dtype=np.float64) * EARTH_RADIUS_KM
    return out


@dataclass(frozen=True)
class RegionBound:
    """The region's certificate: ``gap`` (proven: cost - optimum <= gap) and the edges
    between blocks that violate the put-together duals (request, volunteer indices)."""

    gap: float
    viol_req: IntArr
    viol_vol: IntArr
    n_scanned: int


def region_gap(ctx: Context, big: float, u: FloatArr, m_v: FloatArr, ysum: FloatArr,
               owner_r: IntArr, owner_v: IntArr, pair_cost: FloatArr) -> RegionBound:
    """Price the edges between blocks and bound the gap of the merged matching.

    ``u``/``m_v``/``ysum`` are the blocks' duals put side by side (feasible inside every
    block); ``owner_r``/``owner_v`` give each request's and volunteer's block. Only the
    requests whose nearest volunteer of another block is close enough to undercut ``u``
    are scanned (cost >= distance + request term; ``m_v >= 0``).
    """
    p, w = ctx.p, ctx.w
    near = _nearest_other_km(p, owner_r, owner_v)
    floor = float(m_v.min(initial=np.inf))
    lower = w.distance_per_km * near + ctx.req_term + max(floor, 0.0)
    reach = near <= float(p.vol_max_km.max(initial=0.0)) + 1e-9
    rows = np.flatnonzero(reach & (lower < u - TOL)).astype(np.int64)
    req, vol, _, cost = violations(ctx, rows, u, m_v, TOL, np.zeros(p.n_requests))
    cross = owner_r[req] != owner_v[vol]
    req, vol, cost = req[cross], vol[cross], cost[cross]
    low = u.copy()
    np.minimum.at(low, req, cost + m_v[vol])
    matched = int(pair_cost.shape[0])
    primal = float(pair_cost.sum()) + big * float(p.n_requests - matched)
    dual = float(np.minimum(low, big).sum()) - float(ysum.sum())
    return RegionBound(max(primal - dual, 0.0), np.unique(req), np.unique(vol), int(rows.size))

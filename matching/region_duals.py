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
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from matching.certify import TOL, _tighten, _violating, potentials
from matching.cost import load_term, request_term
from matching.feasibility import Candidates, Context
from matching.geo import EARTH_RADIUS_KM
from matching.model import CostWeights
from matching.solver import Expanded

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

FloatArr = NDArray[np.float64]
IntArr = NDArray[np.int64]


def kd_tree(points: FloatArr) -> cKDTree:
    """scipy's k-d tree of ``points`` (n x d)."""
    # Imported here: scipy.spatial costs every process start-up about 0.1 s (the app and
    # each `flask` command import the region code), and only a region round builds a tree.
    from scipy.spatial import cKDTree

    return cKDTree(points)


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


def _unit(lat: FloatArr, lon: FloatArr) -> FloatArr:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], 1)


def _rules_ok(ctx: Context, req: IntArr, vol: IntArr) -> NDArray[np.bool_]:
    """The hard rules but distance and skill (the caller's) for the given pairs."""
    p = ctx.p
    slot = p.req_slot[req]
    ok = (slot < 0) | p.vol_avail[vol, np.maximum(slot, 0)]
    ok &= (~p.req_vog[req] | p.vol_vog[vol]) & (~p.req_training[req] | p.vol_training[vol])
    if p.forbidden.size and ok.any():
        n_v = max(p.n_volunteers, 1)
        keys = np.unique(p.forbidden[:, 0] * n_v + p.forbidden[:, 1])
        pos = np.minimum(np.searchsorted(keys, req * n_v + vol), keys.size - 1)
        ok &= keys[pos] != req * n_v + vol
    return ok


#: Reach buckets (km): requests are grouped by how far they reach, so that one C-level
#: k-d tree query per bucket returns few pairs beyond a request's own reach.
_BUCKETS = (1.5, 2.5, 4.0, np.inf)


def _balls(ur: FloatArr, uv: FloatArr, mine: IntArr, others: IntArr,
           radius_km: FloatArr) -> tuple[IntArr, IntArr]:
    """All (request, volunteer) with the volunteer within the request's radius (chord <=
    arc, so a ball of the arc's length misses nothing)."""
    vtree = kd_tree(uv[others])
    parts_r, parts_v = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    lo = 0.0
    for hi in _BUCKETS:
        sel = mine[(radius_km[mine] > lo) & (radius_km[mine] <= hi)]
        lo = hi
        if sel.size == 0:
            continue
        top = float(radius_km[sel].max()) / EARTH_RADIUS_KM
        pairs = kd_tree(ur[sel]).sparse_distance_matrix(vtree, top, output_type="ndarray")
        i, j, d = pairs["i"].astype(np.int64), pairs["j"].astype(np.int64), pairs["v"]
        ok = d <= radius_km[sel[i]] / EARTH_RADIUS_KM
        parts_r.append(sel[i[ok]])
        parts_v.append(others[j[ok]])
    return np.concatenate(parts_r), np.concatenate(parts_v)


def cross_edges(ctx: Context, rows: IntArr, owner_r: IntArr, owner_v: IntArr,
                radius_km: FloatArr) -> tuple[IntArr, IntArr, FloatArr]:
    """Feasible edges from ``rows`` to volunteers of *other* blocks within ``radius_km``
    (per row, great-circle): (req, vol, exact base cost). One k-d tree per block and
    category of the other blocks' volunteers with that skill."""
    p = ctx.p
    ur, uv = _unit(p.req_lat, p.req_lon), _unit(p.vol_lat, p.vol_lon)
    rows = rows[radius_km[rows] > 0]
    parts: list[tuple[IntArr, IntArr]] = []
    key = p.req_cat[rows] * (int(owner_r.max(initial=0)) + 2)
    key = key + owner_r[rows] + 1
    order = np.argsort(key, kind="stable")
    rows, key = rows[order], key[order]
    for part in np.split(np.arange(rows.size), np.flatnonzero(np.diff(key)) + 1):
        if part.size == 0:
            continue
        r0 = rows[part[0]]
        b, cat = int(owner_r[r0]), int(p.req_cat[r0])
        others = np.flatnonzero(ctx.active & p.vol_skills[:, cat] & (owner_v != b))
        if others.size:
            parts.append(_balls(ur, uv, rows[part], others, radius_km))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    req = np.concatenate([x[0] for x in parts])
    vol = np.concatenate([x[1] for x in parts])
    ok = _rules_ok(ctx, req, vol)
    req, vol = req[ok], vol[ok]
    dist, cost = ctx.edge_costs(req, vol)
    ok = dist <= p.vol_max_km[vol]
    return req[ok], vol[ok], cost[ok]


def reach_km(ctx: Context, u: FloatArr, floor: float) -> FloatArr:
    """Per request: how far a volunteer may be for an edge to undercut ``u`` (cost >=
    distance + request term + continuity term (the full bonus unless the request has a
    history) + ``floor``), capped by the longest travel limit."""
    p, w = ctx.p, ctx.w
    cont = np.full(p.n_requests, w.continuity_bonus)
    cont[p.history[:, 0]] = 0.0
    slack = u - ctx.req_term - cont - max(floor, 0.0)
    top = float(p.vol_max_km.max(initial=0.0))
    if w.distance_per_km <= 0:
        return np.where(slack > 0, top, 0.0).astype(np.float64)
    out: FloatArr = np.clip(np.nan_to_num(slack / w.distance_per_km, posinf=top), 0.0, top)
    return out


@dataclass(frozen=True)
class RegionBound:
    """The region's certificate: ``gap`` (proven: cost - optimum <= gap) and the edges
    between blocks that violate the put-together duals (request, volunteer, base cost)."""

    gap: float
    req: IntArr
    vol: IntArr
    cost: FloatArr

    @property
    def viol_req(self) -> IntArr:
        return np.unique(self.req)

    @property
    def viol_vol(self) -> IntArr:
        return np.unique(self.vol)


def cross_violations(ctx: Context, u: FloatArr, m_v: FloatArr, owner_r: IntArr,
                     owner_v: IntArr, rows: IntArr) -> tuple[IntArr, IntArr, FloatArr]:
    """Edges from ``rows`` to volunteers of other blocks with ``cost + m_v < u``. Only
    volunteers close enough to undercut ``u`` are looked at (:func:`reach_km`)."""
    floor = float(m_v.min(initial=np.inf))
    req, vol, cost = cross_edges(ctx, rows, owner_r, owner_v, reach_km(ctx, u, floor))
    bad = cost + m_v[vol] - u[req] < -TOL
    return req[bad], vol[bad], cost[bad]


def region_gap(ctx: Context, big: float, u: FloatArr, m_v: FloatArr, ysum: FloatArr,
               pair_cost: FloatArr, req: IntArr, vol: IntArr, cost: FloatArr) -> RegionBound:
    """The bound of the merged matching, given *every* violating edge between blocks.

    ``u``/``m_v``/``ysum`` are the blocks' duals put side by side (feasible inside every
    block). Lowering ``u_r`` by its worst violation makes them feasible for the region;
    weak duality bounds the gap.
    """
    low = u.copy()
    np.minimum.at(low, req, cost + m_v[vol])
    matched = int(pair_cost.shape[0])
    primal = float(pair_cost.sum()) + big * float(ctx.p.n_requests - matched)
    dual = float(np.minimum(low, big).sum()) - float(ysum.sum())
    return RegionBound(max(primal - dual, 0.0), req, vol, cost)


def near_rows(p: ProblemArrays, vols: IntArr, radius_km: FloatArr) -> IntArr:
    """Requests within their ``radius_km`` (per request) of one of the volunteers ``vols``
    (chord <= arc: nothing within reach is missed)."""
    if vols.size == 0:
        return np.zeros(0, dtype=np.int64)
    top = float(radius_km.max(initial=0.0))
    dist, _ = kd_tree(_unit(p.vol_lat[vols], p.vol_lon[vols])).query(
        _unit(p.req_lat, p.req_lon), k=1, distance_upper_bound=top / EARTH_RADIUS_KM + 1e-12)
    return np.flatnonzero(dist * EARTH_RADIUS_KM <= radius_km).astype(np.int64)

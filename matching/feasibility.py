"""Hard rules and sparse candidate generation.

Requests are grouped by (category, slot). All requests of one group share the same set of
volunteers passing the *skill*, *time* and *paused* rules, so those rules are applied once
per group with boolean column masks, and only the remaining (requests x volunteers) block is
checked for distance (exact haversine), screening (VOG/training) and forbidden pairs. Blocks
are small (about n_r/250 x n_v/12 for realistic data), which is the spatial-free analogue of
a grid prefilter; when the region is much wider than the largest travel limit, a grid on
lat/lon is added (see :func:`_grid_cells`) so that a block only holds nearby volunteers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from matching.cost import best_history, load_term, request_term
from matching.geo import EARTH_RADIUS_KM, haversine_km, haversine_rad
from matching.model import CostWeights

FloatArr = NDArray[np.float64]
IntArr = NDArray[np.int64]
BoolArr = NDArray[np.bool_]
#: Selection costs of a block (float32: half the memory traffic of the block work).
SelArr = NDArray[np.float32]
#: Degrees of latitude per km (used for the coarse grid only; exact checks use haversine).
_DEG_PER_KM = 1.0 / 111.0
_T = TypeVar("_T")
#: The reserve holds the next (RESERVE_FACTOR - 1) * k cheapest edges per request.
RESERVE_FACTOR = 4


@dataclass(frozen=True)
class Candidates:
    """Feasible (request, volunteer) edges, possibly pruned to the k cheapest per request.

    ``req``/``vol``/``dist``/``cost`` are (e,) arrays; ``cost`` is the base cost (first
    request of the volunteer in the round). ``feasible_count`` (n_r,) counts *all* feasible
    volunteers per request; ``bound`` (n_r,) is a lower bound on the base cost of every
    feasible edge of that request that is *not* in the set (``inf``: nothing was dropped).
    """

    req: IntArr
    vol: IntArr
    dist: FloatArr
    cost: FloatArr
    feasible_count: IntArr
    bound: FloatArr
    #: Optional: the next-cheapest dropped edges (ranks k+1 to RESERVE_FACTOR * k per
    #: request, not solved on), so that pricing and ranks need not scan the blocks again
    #: for most requests.
    reserve: Reserve | None = None

    @property
    def pruned(self) -> BoolArr:
        """(n_r,) whether feasible edges of that request were dropped."""
        return np.isfinite(self.bound)


@dataclass(frozen=True)
class Reserve:
    """Dropped edges kept aside: (e,) request, volunteer and a lower bound on the base
    cost (the selection cost plus ``Context.lower_shift``; exact costs on demand).
    ``far`` (n_r,) is a lower bound on the base cost of every dropped edge *not* in the
    reserve (``inf``: the reserve holds all of them)."""

    req: IntArr
    vol: IntArr
    lower: FloatArr
    far: FloatArr

    def of(self, rows: BoolArr) -> tuple[IntArr, IntArr, FloatArr]:
        """(req, vol, lower) of the reserve edges of the requests where ``rows`` is True."""
        keep = rows[self.req]
        return self.req[keep], self.vol[keep], self.lower[keep]


class PairTables:
    """Per-request CSR views of the forbidden and history pair lists (fast block lookups)."""

    def __init__(self, p: ProblemArrays, w: CostWeights) -> None:
        n_v = max(p.n_volunteers, 1)
        fkeys = np.unique(p.forbidden[:, 0] * n_v + p.forbidden[:, 1])
        hkeys, self.h_disc = best_history(p, w)
        self.h_keys = hkeys
        self.f_ptr, self.f_vol = _csr(fkeys, n_v, p.n_requests)
        self.h_ptr, self.h_vol = _csr(hkeys, n_v, p.n_requests)


def _csr(keys: IntArr, n_v: int, n_r: int) -> tuple[IntArr, IntArr]:
    """Sorted pair keys r * n_v + v -> (row pointer (n_r + 1,), volunteer per entry)."""
    ptr = np.searchsorted(keys, np.arange(n_r + 1, dtype=np.int64) * n_v).astype(np.int64)
    return ptr, (keys % n_v).astype(np.int64)


def _gather(ptr: IntArr, rows: IntArr) -> tuple[IntArr, IntArr]:
    """For CSR ``ptr`` and request indices ``rows``: (local row, entry index) of all entries."""
    counts = ptr[rows + 1] - ptr[rows]
    total = int(counts.sum())
    local = np.repeat(np.arange(rows.shape[0], dtype=np.int64), counts)
    starts = np.repeat(ptr[rows] - np.cumsum(counts) + counts, counts)
    return local, starts + np.arange(total, dtype=np.int64)


class Context:
    """Precomputed per-instance data shared by candidate generation, repair and reasons."""

    def __init__(self, p: ProblemArrays, w: CostWeights) -> None:
        self.p, self.w = p, w
        self.req_term = request_term(p, w)
        self.vol_term = load_term(p, w)
        self.active = p.active_capacity > 0
        self.pairs = PairTables(p, w)
        self.u_req = unit_vectors(p.req_lat, p.req_lon)
        self.u_vol = unit_vectors(p.vol_lat, p.vol_lon)
        # Radians and cos(latitude) once per point, for exact (haversine) edge distances.
        self.rad_req = _radians(p.req_lat, p.req_lon)
        self.rad_vol = _radians(p.vol_lat, p.vol_lon)
        # A volunteer reaches a point iff the dot product of unit vectors >= cos(max_km / R).
        self.cos_reach = np.cos(np.minimum(p.vol_max_km / EARTH_RADIUS_KM, np.pi))
        #: Added to a block's selection cost it gives a lower bound on the exact base cost:
        #: the selection cost uses the chord, which is shorter than the arc by at most
        #: ``s - 2R sin(s / 2R)`` for the longest travel limit s (1e-6 km at 10 km), and is
        #: computed from a dot product near 1, whose rounding (~1e-16) can make a chord up to
        #: ``R * 4e-8`` (0.25 m) too long. The selection cost is float32 (relative error
        #: below 1e-6 after its few operations): 1e-3 plus 1e-5 of the largest selection
        #: cost more margin covers that.
        s = float(p.vol_max_km.max(initial=0.0))
        chord_gap = s - 2 * EARTH_RADIUS_KM * np.sin(min(s / (2 * EARTH_RADIUS_KM), np.pi / 2))
        self.lower_shift = self.req_term + w.continuity_bonus - (
            w.distance_per_km * (chord_gap * 1.01 + EARTH_RADIUS_KM * 4e-8) + 1e-9
            + 1e-3 + 1e-5 * (float(np.max(self.vol_term, initial=0.0))
                             + w.distance_per_km * s))
        self.vol_term32 = self.vol_term.astype(np.float32)

    def group_volunteers(self, cat: int, slot: int) -> IntArr:
        """Active volunteers with skill ``cat`` who are available at ``slot`` (-1 = any)."""
        mask = self.active & self.p.vol_skills[:, cat]
        if slot >= 0:
            mask = mask & self.p.vol_avail[:, slot]
        return np.flatnonzero(mask).astype(np.int64)

    def in_range(self, rows: IntArr, vols: IntArr) -> tuple[BoolArr, FloatArr]:
        """(ok, dot) for rows x vols: ok = haversine distance <= the volunteer's max_km.

        The test runs on dot products of unit vectors (one BLAS matmul instead of 6
        transcendental functions per pair); pairs within 1e-12 of the threshold, where
        rounding could decide, are re-checked with the exact haversine formula.
        """
        p = self.p
        dot = self.u_req[rows] @ self.u_vol[vols].T
        ok = dot >= self.cos_reach[None, vols] + 1e-12
        close = ok != (dot > self.cos_reach[None, vols] - 1e-12)
        if close.any():
            close_r, close_c = np.nonzero(close)
            r, v = rows[close_r], vols[close_c]
            d = haversine_km(p.req_lat[r], p.req_lon[r], p.vol_lat[v], p.vol_lon[v])
            ok[close_r, close_c] = d <= p.vol_max_km[v]
        return ok, dot

    def screening(self, rows: IntArr, vols: IntArr, ok: BoolArr) -> None:
        """In place: drop pairs where the request needs VOG/training the volunteer lacks."""
        p = self.p
        rv, rt = p.req_vog[rows], p.req_training[rows]
        if rv.any():
            ok &= ~rv[:, None] | p.vol_vog[None, vols]
        if rt.any():
            ok &= ~rt[:, None] | p.vol_training[None, vols]

    def block(self, rows: IntArr, vols: IntArr) -> tuple[BoolArr, SelArr]:
        """Feasibility and *selection* cost of rows x vols (same category and slot).

        Infeasible pairs cost ``inf``. The selection cost uses the chord length (differs
        from the arc by < 1e-6 km at 10 km) and omits the per-request term;
        :meth:`edge_costs` gives exact values.
        """
        w = self.w
        ok, dot = self.in_range(rows, vols)
        self.screening(rows, vols, ok)
        np.subtract(1.0, dot, out=dot)
        cost = dot.astype(np.float32)
        np.maximum(cost, 0.0, out=cost)
        np.sqrt(cost, out=cost)
        cost *= np.float32(np.sqrt(2.0) * EARTH_RADIUS_KM * w.distance_per_km)
        cost += self.vol_term32[None, vols]
        self._apply_pairs(rows, vols, ok, cost)
        np.copyto(cost, np.float32(np.inf), where=~ok)
        return ok, cost

    def _apply_pairs(self, rows: IntArr, vols: IntArr, ok: BoolArr, cost: SelArr) -> None:
        t = self.pairs
        f_loc, f_idx = _gather(t.f_ptr, rows)
        h_loc, h_idx = _gather(t.h_ptr, rows)
        if f_idx.size == 0 and h_idx.size == 0:
            return
        vpos = np.full(self.p.n_volunteers, -1, dtype=np.int64)
        vpos[vols] = np.arange(vols.shape[0])
        col = vpos[t.f_vol[f_idx]]
        ok[f_loc[col >= 0], col[col >= 0]] = False
        col = vpos[t.h_vol[h_idx]]
        cost[h_loc[col >= 0], col[col >= 0]] -= t.h_disc[h_idx[col >= 0]]

    def discount(self, req: IntArr, vol: IntArr) -> FloatArr:
        """(e,) continuity discount of the given pairs (0 when there is no history)."""
        t = self.pairs
        out = np.zeros(req.shape[0], dtype=np.float64)
        if t.h_keys.size == 0 or req.size == 0:
            return out
        keys = req * max(self.p.n_volunteers, 1) + vol
        pos = np.minimum(np.searchsorted(t.h_keys, keys), t.h_keys.size - 1)
        hit = t.h_keys[pos] == keys
        out[hit] = t.h_disc[pos[hit]]
        return out

    def edge_costs(self, req: IntArr, vol: IntArr) -> tuple[FloatArr, FloatArr]:
        """Exact (distance km, base cost) of the given feasible pairs, shape (e,) each."""
        w = self.w
        r, v = self.rad_req, self.rad_vol
        dist = haversine_rad(r[0][req], r[1][req], r[2][req], v[0][vol], v[1][vol], v[2][vol])
        cost = w.distance_per_km * dist + self.req_term[req] + self.vol_term[vol]
        cost += w.continuity_bonus - self.discount(req, vol)
        return dist, cost


def _radians(lat: FloatArr, lon: FloatArr) -> tuple[FloatArr, FloatArr, FloatArr]:
    la = np.radians(lat)
    return la, np.radians(lon), np.cos(la)


def unit_vectors(lat: FloatArr, lon: FloatArr) -> FloatArr:
    """(n, 3) unit vectors of points given in degrees."""
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=1)


def groups(p: ProblemArrays, rows: IntArr | None = None) -> Iterator[tuple[int, int, IntArr]]:
    """Yield (category, slot, request indices) for the given (default: all) requests."""
    if rows is None:
        rows = np.arange(p.n_requests, dtype=np.int64)
    key = p.req_cat[rows] * 22 + (p.req_slot[rows] + 1)
    order = np.argsort(key, kind="stable")
    rows, key = rows[order], key[order]
    cuts = np.flatnonzero(np.diff(key)) + 1
    for part in np.split(np.arange(rows.shape[0]), cuts):
        if part.size:
            k = int(key[part[0]])
            yield k // 22, k % 22 - 1, rows[part]


@dataclass(frozen=True)
class _Picked:
    """What :func:`_select` keeps of one block (local indices)."""

    row: IntArr
    col: IntArr
    nxt: FloatArr  # per row: lower bound (selection cost) on every entry not kept
    res_row: IntArr
    res_col: IntArr
    res_cost: FloatArr
    far: FloatArr  # per row: lower bound on every entry neither kept nor in the reserve


def _select(cost: SelArr, ok: BoolArr, k: int | None) -> _Picked:
    """The entries to keep: all feasible ones if k is None, else the k cheapest feasible
    entries per row plus, for each column that none of those entries uses, its cheapest
    feasible row; the next (RESERVE_FACTOR - 1) * k per row go to the reserve.

    The extra entries give every volunteer of the block a candidate request, so that
    volunteers whom no request ranks highly (the free ones, in practice) still take part
    in the solve and in its dual prices. Without them pricing finds ~10 x more violating
    edges and the proven bound is much looser (10k city, k = 64: 822 violating edges and
    0.074 % against 0.040 %; k = 32 then suffices).
    """
    n_rows, n_cols = cost.shape
    none_i, none_f = np.zeros(0, dtype=np.int64), np.zeros(0)
    inf = np.full(n_rows, np.inf)
    if k is None or n_cols <= k:
        r, c = np.nonzero(ok)
        return _Picked(r.astype(np.int64), c.astype(np.int64), inf, none_i, none_i, none_f,
                       inf)
    wide = min(RESERVE_FACTOR * k, n_cols)
    if wide < n_cols:
        part = np.argpartition(cost, wide, axis=1)  # infeasible entries are inf (block)
        far = np.take_along_axis(cost, part[:, wide:wide + 1], axis=1)[:, 0].astype(np.float64)
        part = part[:, :wide]
    else:
        part, far = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols)), inf
    top = np.take_along_axis(cost, part, axis=1)
    # Then the k cheapest of those first (a partition of the small (rows, wide) array).
    order = np.argpartition(top, k, axis=1)
    part = np.take_along_axis(part, order, axis=1)
    top = np.take_along_axis(top, order, axis=1)
    nxt = top[:, k].astype(np.float64)
    keep = np.isfinite(top[:, :k])
    r = np.nonzero(keep)[0].astype(np.int64)
    c = part[:, :k][keep].astype(np.int64)
    # Volunteers of the block that no request kept: their cheapest request (if feasible).
    cols = np.flatnonzero(np.bincount(c, minlength=n_cols) == 0)
    best = np.argmin(cost[:, cols], axis=0).astype(np.int64)
    extra = np.isfinite(cost[best, cols])
    best, cols = best[extra], cols[extra]
    spare = np.isfinite(top[:, k:])
    rr = np.nonzero(spare)[0].astype(np.int64)
    rc = part[:, k:][spare].astype(np.int64)
    rcost = top[:, k:][spare].astype(np.float64)
    best_of = np.full(n_cols, -1, dtype=np.int64)
    best_of[cols] = best
    taken = best_of[rc] == rr  # an extra is no longer spare
    return _Picked(np.concatenate([r, best]), np.concatenate([c, cols]), nxt,
                   rr[~taken], rc[~taken], rcost[~taken], far)


def _grid_cells(ctx: Context, rows: IntArr, vols: IntArr) -> Iterator[tuple[IntArr, IntArr]]:
    """Split a group by a lat/lon grid of cell size >= max travel distance.

    Only used when the group spans several cells: a request's volunteers must then lie in
    the 3 x 3 neighbourhood of its cell (cell size >= the largest max_km of the group).
    """
    p = ctx.p
    reach = float(p.vol_max_km[vols].max()) if vols.size else 0.0
    size = max(reach, 0.5) * _DEG_PER_KM
    lat_span = float(np.ptp(p.req_lat[rows])) if rows.size else 0.0
    if vols.size == 0 or lat_span < 4 * size or np.abs(p.req_lat[rows]).max() > 80:
        yield rows, vols
        return
    lon_size = size / np.cos(np.radians(np.abs(p.req_lat[rows]).max()))
    rcell = np.floor(p.req_lat[rows] / size).astype(np.int64), np.floor(
        p.req_lon[rows] / lon_size).astype(np.int64)
    vcell = np.floor(p.vol_lat[vols] / size).astype(np.int64), np.floor(
        p.vol_lon[vols] / lon_size).astype(np.int64)
    for cy, cx in set(zip(rcell[0].tolist(), rcell[1].tolist(), strict=True)):
        r_in = rows[(rcell[0] == cy) & (rcell[1] == cx)]
        near = (np.abs(vcell[0] - cy) <= 1) & (np.abs(vcell[1] - cx) <= 1)
        yield r_in, vols[near]


def _cells(ctx: Context, rows: IntArr | None) -> Iterator[tuple[IntArr, IntArr]]:
    """(requests, volunteers) cells covering every feasible edge of ``rows`` (default all
    requests): one per (category, slot) group and grid cell."""
    for cat, slot, grp in groups(ctx.p, rows):
        yield from _grid_cells(ctx, grp, ctx.group_volunteers(cat, slot))


def _map_blocks(ctx: Context, rows: IntArr | None,
                fn: Callable[[IntArr, IntArr, BoolArr, SelArr], _T],
                narrow: Callable[[IntArr, IntArr], IntArr] | None = None) -> Iterator[_T]:
    """``fn(requests, volunteers, feasible, selection cost)`` for every block, in order;
    ``narrow(requests, volunteers)`` may first drop volunteers that cannot matter.

    (Two threads were tried: OpenBLAS's own threads then compete for the two cores and
    the build got slower, not faster.)
    """
    for r_in, vols in _cells(ctx, rows):
        if narrow is not None:
            vols = narrow(r_in, vols)
        ok, cost = ctx.block(r_in, vols)
        yield fn(r_in, vols, ok, cost)


def candidates(ctx: Context, k: int | None, rows: IntArr | None = None,
               progress: Callable[[int], None] | None = None) -> Candidates:
    """Feasible edges of ``rows`` (default all requests), keeping the k cheapest per request
    (see :func:`_select`), with a :class:`Reserve` of the next-cheapest ones."""
    p = ctx.p
    parts: list[tuple[IntArr, IntArr, FloatArr, FloatArr]] = []
    spare: list[tuple[IntArr, IntArr, FloatArr]] = []
    count = np.zeros(p.n_requests, dtype=np.int64)
    # Selection cost (chord <= arc) + request term + continuity bonus <= exact base cost.
    bound = np.full(p.n_requests, np.inf)
    far = np.full(p.n_requests, np.inf)
    shift = ctx.lower_shift

    def select(r_in: IntArr, vols: IntArr, ok: BoolArr,
               cost: SelArr) -> tuple[IntArr, IntArr, _Picked, IntArr]:
        return r_in, vols, _select(cost, ok, k), ok.sum(axis=1)

    done = 0
    for r_in, vols, pick, cnt in _map_blocks(ctx, rows, select):
        count[r_in] = cnt
        bound[r_in] = pick.nxt + shift[r_in]
        far[r_in] = pick.far + shift[r_in]
        req, vol = r_in[pick.row], vols[pick.col]
        parts.append((req, vol, *ctx.edge_costs(req, vol)))
        res_req = r_in[pick.res_row]
        spare.append((res_req, vols[pick.res_col], pick.res_cost + shift[res_req]))
        done += r_in.shape[0]
        if progress is not None:
            progress(done)
    out = _concat(parts, count, bound)
    if k is None:
        return out
    empty = np.zeros(0, dtype=np.int64)
    reserve = Reserve(np.concatenate([empty] + [x[0] for x in spare]),
                      np.concatenate([empty] + [x[1] for x in spare]),
                      np.concatenate([np.zeros(0)] + [x[2] for x in spare]), far)
    return replace(out, reserve=reserve)


def violations(ctx: Context, rows: IntArr, u: FloatArr, m_v: FloatArr, tol: float,
               bound: FloatArr) -> tuple[IntArr, IntArr, FloatArr, FloatArr]:
    """Edges of ``rows`` with reduced cost ``base + m_v - u < -tol`` (pricing, no pruning).

    Scans the same blocks as :func:`candidates` but keeps only the violating edges, so the
    full edge set of the rows is never materialised. The block test uses the lower bound on
    the base cost; survivors are re-checked with the exact cost. Returns (req, vol, dist,
    exact base cost) of the violating edges. ``bound`` (``Candidates.bound``) is a lower
    bound on the base cost of the edges not kept, so a volunteer is skipped in a block when
    ``m_v >= u - bound`` for all its requests (kept edges never violate).
    """
    shift = ctx.lower_shift

    def narrow(r_in: IntArr, vols: IntArr) -> IntArr:
        return vols[m_v[vols] < float(np.max(u[r_in] - bound[r_in])) + tol]

    def scan(r_in: IntArr, vols: IntArr, ok: BoolArr,
             cost: SelArr) -> tuple[IntArr, IntArr, FloatArr, FloatArr]:
        lower = cost + m_v[None, vols] + (shift[r_in] - u[r_in])[:, None]  # inf: infeasible
        lr, lc = np.nonzero(lower < -tol)
        req, vol = r_in[lr], vols[lc]
        dist, exact = ctx.edge_costs(req, vol)
        bad = exact + m_v[vol] - u[req] < -tol
        return req[bad], vol[bad], dist[bad], exact[bad]

    parts = list(_map_blocks(ctx, rows, scan, narrow))
    c = _concat(parts, np.zeros(0, dtype=np.int64), np.zeros(0))
    return c.req, c.vol, c.dist, c.cost


def _concat(parts: list[tuple[IntArr, IntArr, FloatArr, FloatArr]], count: IntArr,
            bound: FloatArr) -> Candidates:
    def cat(i: int, dtype: type) -> NDArray[np.generic]:
        return np.concatenate([x[i] for x in parts]) if parts else np.zeros(0, dtype=dtype)

    return Candidates(cat(0, np.int64), cat(1, np.int64), cat(2, np.float64),  # type: ignore[arg-type]
                      cat(3, np.float64), count, bound)  # type: ignore[arg-type]

"""A region in shards: split by area, solve the shards apart, a border pass, one bound.

For a regional meldpunt (several municipalities in one installation) one round can be
larger than one process should solve at once. :func:`solve_region`

1. **splits** the region into shards by area (:func:`split`: recursive cuts along latitude
   or longitude, each placed where few people live near it within a balanced range, so
   that a shard is a group of neighbouring towns);
2. **solves each shard** with the engine (:func:`run_block`, pure and picklable, so that a
   caller can run the shards in parallel: processes, or RQ jobs in
   :mod:`marketplace.rounds.region`), which also returns the shard's duals;
3. puts the shards' duals side by side and **prices the edges between shards**
   (:func:`matching.region_duals.region_gap`): this proves a bound on the whole region;
4. if the bound is above the tolerance, the **border pass**: the requests with a violating
   edge to another shard, the volunteers at the other end, and whoever they are matched to
   (closed under the matching, so the rest of each shard keeps an optimal matching of its
   own) form a border block, solved jointly with those volunteers' full capacity; the
   shards' duals outside it stay valid, the border block brings its own, and the region is
   priced again. Up to ``MAX_BORDER_ROUNDS`` growing border blocks;
5. if the bound still does not hold, a **fallback**: the whole region in one solve.

The answer's number of matched requests is maximal and its cost is proven within
``tolerance`` (default 0.1 %) of the region's optimum (``RegionResult.gap_bound``). See
docs/matching.md, "Regions".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from matching.engine import (
    DEFAULT_PRUNE_K,
    DEFAULT_TOLERANCE,
    _solve_certified,
    _State,
    solve_arrays,
)
from matching.feasibility import Context, candidates
from matching.model import CostWeights
from matching.region_duals import (
    block_duals,
    cross_edges,
    cross_violations,
    kd_tree,
    near_rows,
    reach_km,
    region_big,
    region_gap,
)
from matching.solver import DENSE_LIMIT

FloatArr = NDArray[np.float64]
IntArr = NDArray[np.int64]

#: Border blocks tried (each one grown by the requests that still violate) before the
#: fallback to one solve of the whole region.
MAX_BORDER_ROUNDS = 3
#: Share of the tolerance each block may use for itself; the rest is for the border.
BLOCK_SHARE = 0.5
#: A cut is placed within this share of its balanced position (e.g. 40-60 % of the people
#: on one side for two halves), where fewest people live within ``CUT_BAND_KM`` of it.
CUT_SPREAD = 0.1
CUT_BAND_KM = 1.5
#: The border block takes everyone within this distance of a violating request or
#: volunteer (so that its own edge lies where the shards' duals still hold).
BORDER_BUFFER_KM = 0.5


@dataclass(frozen=True)
class Shard:
    """A block of the region: global request and volunteer indices (sorted)."""

    requests: IntArr
    volunteers: IntArr


def _km(lat: FloatArr, lon: FloatArr, lat0: float) -> tuple[FloatArr, FloatArr]:
    return lat * 111.2, lon * 111.2 * float(np.cos(np.radians(lat0)))


def _best_cut(coord: FloatArr, share: float) -> float:
    """A position along ``coord`` leaving about ``share`` of the points below it, in the
    balanced range around it, where fewest points lie within ``CUT_BAND_KM``."""
    srt = np.sort(coord)
    lo, hi = share - CUT_SPREAD, share + CUT_SPREAD
    cands = np.quantile(srt, np.linspace(max(lo, 0.01), min(hi, 0.99), 41))
    crowd = (np.searchsorted(srt, cands + CUT_BAND_KM) - np.searchsorted(srt, cands - CUT_BAND_KM))
    return float(cands[int(np.argmin(crowd))])


def split(p: ProblemArrays, n_shards: int) -> list[Shard]:
    """Split the region into ``n_shards`` shards by area (deterministic).

    Recursive cuts: each cut runs along the longer side of the shard's extent, at a
    balanced share of its people (requests and volunteers together) where fewest of them
    live within ``CUT_BAND_KM`` of the line (between towns rather than through one).
    """
    lat0 = float(np.mean(np.concatenate([p.req_lat, p.vol_lat]))) if p.n_requests else 52.0
    ry, rx = _km(p.req_lat, p.req_lon, lat0)
    vy, vx = _km(p.vol_lat, p.vol_lon, lat0)

    def rec(req: IntArr, vol: IntArr, k: int) -> list[Shard]:
        if k <= 1 or req.size + vol.size < 2:
            return [Shard(req, vol)]
        xs = np.concatenate([rx[req], vx[vol]])
        ys = np.concatenate([ry[req], vy[vol]])
        along_x = np.ptp(xs) >= np.ptp(ys)
        coord_r, coord_v = (rx, vx) if along_x else (ry, vy)
        left = k // 2
        cut = _best_cut(xs if along_x else ys, left / k)
        return (rec(req[coord_r[req] < cut], vol[coord_v[vol] < cut], left)
                + rec(req[coord_r[req] >= cut], vol[coord_v[vol] >= cut], k - left))

    return rec(np.arange(p.n_requests, dtype=np.int64), np.arange(p.n_volunteers, dtype=np.int64),
               max(1, n_shards))


def _remap(pairs: IntArr, req: IntArr, vol: IntArr, n_r: int,
           n_v: int) -> tuple[IntArr, NDArray[np.bool_]]:
    loc_r = np.full(n_r, -1, dtype=np.int64)
    loc_v = np.full(n_v, -1, dtype=np.int64)
    loc_r[req] = np.arange(req.size)
    loc_v[vol] = np.arange(vol.size)
    a, b = loc_r[pairs[:, 0]], loc_v[pairs[:, 1]]
    keep = (a >= 0) & (b >= 0)
    return np.stack([a[keep], b[keep]], axis=1).astype(np.int64).reshape(-1, 2), keep


def subproblem(p: ProblemArrays, req: IntArr, vol: IntArr) -> ProblemArrays:
    """The part of ``p`` with the requests ``req`` and volunteers ``vol`` (local indices in
    their order); forbidden and history pairs inside it are kept."""
    forb, _ = _remap(p.forbidden, req, vol, p.n_requests, p.n_volunteers)
    hist, keep = _remap(p.history, req, vol, p.n_requests, p.n_volunteers)
    return ProblemArrays(
        req_lat=p.req_lat[req], req_lon=p.req_lon[req], req_cat=p.req_cat[req],
        req_slot=p.req_slot[req], req_vog=p.req_vog[req], req_training=p.req_training[req],
        req_urgency=p.req_urgency[req], req_waiting=p.req_waiting[req],
        vol_lat=p.vol_lat[vol], vol_lon=p.vol_lon[vol], vol_skills=p.vol_skills[vol],
        vol_avail=p.vol_avail[vol], vol_max_km=p.vol_max_km[vol], vol_vog=p.vol_vog[vol],
        vol_training=p.vol_training[vol], vol_capacity=p.vol_capacity[vol],
        vol_paused=p.vol_paused[vol], vol_recent=p.vol_recent[vol],
        forbidden=forb, history=hist, history_rating=p.history_rating[keep])


@dataclass(frozen=True)
class BlockTask:
    """One shard's job: its part of the problem and how to solve it (picklable)."""

    index: int
    problem: ProblemArrays
    requests: IntArr
    volunteers: IntArr
    weights: CostWeights
    tolerance: float
    big: float
    prune_k: int | None = DEFAULT_PRUNE_K
    #: Border blocks: per request, the cheapest ``cost + m_v`` outside the block.
    alt: FloatArr | None = None


@dataclass(frozen=True)
class BlockResult:
    """A solved block: pairs in *global* indices (``cost`` includes the extra-slot step)
    and the block's duals in its own order (``u`` per request of ``requests``, ``m_v`` and
    ``ysum`` per volunteer of ``volunteers``); ``duals_ok`` False when none were found."""

    index: int
    requests: IntArr
    volunteers: IntArr
    pair_req: IntArr
    pair_vol: IntArr
    pair_cost: FloatArr
    u: FloatArr
    m_v: FloatArr
    ysum: FloatArr
    duals_ok: bool
    seconds: float


def run_block(task: BlockTask) -> BlockResult:
    """Solve one block with the engine (cardinality certified, cost within the block's
    tolerance) and compute its duals with the region's BIG. Pure: runs in any process."""
    t0 = time.perf_counter()
    sub, w = task.problem, task.weights
    ctx = Context(sub, w)
    cand = candidates(ctx, task.prune_k, np.arange(sub.n_requests, dtype=np.int64))
    st = _State(cand, sub.active_capacity.copy(), np.zeros(sub.n_volunteers, dtype=np.int64))
    out = _solve_certified(ctx, st, DENSE_LIMIT, None, task.tolerance)
    x, chosen = out.x, out.chosen
    scost = out.solve_cost if out.solve_cost is not None else x.cost
    duals = block_duals(ctx, st.cand, x, chosen, st.free_cap, scost, task.big, task.alt)
    n_r, n_v = sub.n_requests, sub.n_volunteers
    nan_r, nan_v = np.full(n_r, np.nan), np.full(n_v, np.nan)
    return BlockResult(
        task.index, task.requests, task.volunteers, task.requests[x.req[chosen]],
        task.volunteers[x.vol[chosen]], x.cost[chosen].astype(np.float64),
        duals.u if duals else nan_r, duals.m_v if duals else nan_v,
        duals.ysum if duals else nan_v, duals is not None, time.perf_counter() - t0)


Runner = Callable[[Sequence[BlockTask]], list[BlockResult]]


def run_serially(tasks: Sequence[BlockTask]) -> list[BlockResult]:
    """The default runner: one block after the other in this process."""
    return [run_block(t) for t in tasks]


@dataclass(frozen=True)
class RegionResult:
    """The region's matching (global indices; ``cost`` includes the extra-slot step) and
    its proof: ``gap_bound`` >= total cost - the region's optimum (``inf``: unknown)."""

    req: IntArr
    vol: IntArr
    cost: FloatArr
    gap_bound: float
    n_shards: int
    border_rounds: int
    border_requests: int
    fallback: bool
    shard_seconds: tuple[float, ...]
    merge_seconds: float

    @property
    def total_cost(self) -> float:
        return float(self.cost.sum())

    @property
    def n_matched(self) -> int:
        return int(self.req.shape[0])


class _Merged:
    """The region's current matching and duals, block by block (global indices)."""

    def __init__(self, p: ProblemArrays) -> None:
        self.owner_r = np.full(p.n_requests, -1, dtype=np.int64)
        self.owner_v = np.full(p.n_volunteers, -1, dtype=np.int64)
        self.u = np.full(p.n_requests, np.inf)
        self.m_v = np.full(p.n_volunteers, np.inf)
        self.ysum = np.zeros(p.n_volunteers)
        self.match_vol = np.full(p.n_requests, -1, dtype=np.int64)
        self.match_cost = np.zeros(p.n_requests)

    def place(self, res: BlockResult, owner: int) -> None:
        """Take the block's requests and volunteers with their pairs and duals (the block
        is closed under the current matching, so no other pair touches them)."""
        self.owner_r[res.requests] = owner
        self.owner_v[res.volunteers] = owner
        self.u[res.requests] = res.u
        self.m_v[res.volunteers] = res.m_v
        self.ysum[res.volunteers] = res.ysum
        self.match_vol[res.requests] = -1
        self.match_vol[res.pair_req] = res.pair_vol
        self.match_cost[res.pair_req] = res.pair_cost

    def pairs(self) -> tuple[IntArr, IntArr, FloatArr]:
        req = np.flatnonzero(self.match_vol >= 0).astype(np.int64)
        return req, self.match_vol[req], self.match_cost[req]

    def close(self, rows: NDArray[np.bool_], vols: NDArray[np.bool_]) -> None:
        """Grow ``rows``/``vols`` (in place) until no pair links them to the outside."""
        req = np.flatnonzero(self.match_vol >= 0)
        vol = self.match_vol[req]
        while True:
            add_r = vols[vol] & ~rows[req]
            add_v = rows[req] & ~vols[vol]
            if not (add_r.any() or add_v.any()):
                return
            rows[req[add_r]] = True
            vols[vol[add_v]] = True


def make_tasks(p: ProblemArrays, shards: Sequence[Shard], weights: CostWeights,
               tolerance: float, prune_k: int | None = DEFAULT_PRUNE_K) -> list[BlockTask]:
    """One :class:`BlockTask` per shard (each block may use ``BLOCK_SHARE`` of the
    tolerance; the border keeps the rest)."""
    big = region_big(p, weights)
    return [BlockTask(i, subproblem(p, s.requests, s.volunteers), s.requests, s.volunteers,
                      weights, tolerance * BLOCK_SHARE, big, prune_k)
            for i, s in enumerate(shards)]


def solve_region(p: ProblemArrays, weights: CostWeights | None = None, n_shards: int = 2,
                 tolerance: float = DEFAULT_TOLERANCE, prune_k: int | None = DEFAULT_PRUNE_K,
                 runner: Runner = run_serially) -> RegionResult:
    """Solve a region in ``n_shards`` shards (``runner`` runs the shard jobs: serially by
    default, in worker processes or RQ jobs otherwise) and merge them (:func:`merge`)."""
    w = weights or CostWeights()
    tasks = make_tasks(p, split(p, n_shards), w, tolerance, prune_k)
    return merge(p, w, runner(tasks), tolerance, prune_k)


def merge(p: ProblemArrays, weights: CostWeights, results: Sequence[BlockResult],
          tolerance: float = DEFAULT_TOLERANCE,
          prune_k: int | None = DEFAULT_PRUNE_K) -> RegionResult:
    """Merge solved shards: region bound, border passes, fallback (module docstring).

    Contract: the pairs break no hard rule, the number matched is the region's maximum
    and ``total cost - gap_bound`` <= the region's optimum, with ``gap_bound <= tolerance
    * total cost`` (after the fallback: as :func:`matching.engine.solve_arrays` proves).
    """
    t0 = time.perf_counter()
    w, big = weights, region_big(p, weights)
    seconds = tuple(r.seconds for r in results)
    st = _Merged(p)
    for r in results:
        st.place(r, r.index)
    ok = all(r.duals_ok for r in results)
    ctx = Context(p, w)
    rows = np.zeros(p.n_requests, dtype=np.bool_)
    vols = np.zeros(p.n_volunteers, dtype=np.bool_)
    rounds = 0
    every = np.arange(p.n_requests, dtype=np.int64)
    viol = cross_violations(ctx, st.u, st.m_v, st.owner_r, st.owner_v, every)
    while ok:
        req, vol, cost = st.pairs()
        bound = region_gap(ctx, big, st.u, st.m_v, st.ysum, cost, *viol)
        if bound.gap <= tolerance * float(cost.sum()):
            return RegionResult(req, vol, cost, bound.gap, len(results), rounds,
                                int(rows.sum()), False, seconds, time.perf_counter() - t0)
        if rounds == MAX_BORDER_ROUNDS:
            break
        rounds += 1
        _grow(p, rows, vols, bound.viol_req, bound.viol_vol)
        st.close(rows, vols)
        br, bv = np.flatnonzero(rows).astype(np.int64), np.flatnonzero(vols).astype(np.int64)
        alt = _outside(ctx, br, vols, st)
        res = run_block(BlockTask(len(results), subproblem(p, br, bv), br, bv, w,
                                  tolerance * BLOCK_SHARE, big, prune_k, alt))
        ok = res.duals_ok
        st.place(res, len(results))
        viol = _reprice(ctx, st, viol, rows, vols, bv)
    full = solve_arrays(p, w, prune_k, tolerance=tolerance)
    return RegionResult(full.req, full.vol, full.cost, full.gap_bound, len(results), rounds,
                        int(rows.sum()), True, seconds, time.perf_counter() - t0)


def _outside(ctx: Context, rows: IntArr, inside: NDArray[np.bool_], st: _Merged) -> FloatArr:
    """Per request of ``rows``: min over its feasible volunteers outside the block of
    ``cost + m_v`` (``inf``: none near enough to matter; see ``reach_km``)."""
    owner_r = np.zeros(ctx.p.n_requests, dtype=np.int64)
    owner_v = np.where(inside, 0, 1).astype(np.int64)
    radius = reach_km(ctx, st.u, float(st.m_v.min(initial=np.inf)))
    req, vol, cost = cross_edges(ctx, rows, owner_r, owner_v, radius)
    loc = np.full(ctx.p.n_requests, -1, dtype=np.int64)
    loc[rows] = np.arange(rows.size)
    alt = np.full(rows.size, np.inf)
    np.minimum.at(alt, loc[req], cost + st.m_v[vol])
    return alt


def _unit_km(lat: FloatArr, lon: FloatArr) -> FloatArr:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], 1) * 6371.0


def _grow(p: ProblemArrays, rows: NDArray[np.bool_], vols: NDArray[np.bool_], req: IntArr,
          vol: IntArr) -> None:
    """Add (in place) the requests ``req``, volunteers ``vol`` and everyone within
    ``BORDER_BUFFER_KM`` of them to the border block."""
    rows[req] = True
    vols[vol] = True
    seeds = np.concatenate([_unit_km(p.req_lat[req], p.req_lon[req]),
                            _unit_km(p.vol_lat[vol], p.vol_lon[vol])])
    if seeds.shape[0] == 0:
        return
    tree = kd_tree(seeds)
    for pts, mask in ((_unit_km(p.req_lat, p.req_lon), rows),
                      (_unit_km(p.vol_lat, p.vol_lon), vols)):
        dist, _ = tree.query(pts, k=1, distance_upper_bound=BORDER_BUFFER_KM)
        mask[np.isfinite(dist)] = True


def _reprice(ctx: Context, st: _Merged, old: tuple[IntArr, IntArr, FloatArr],
             rows: NDArray[np.bool_], vols: NDArray[np.bool_],
             bv: IntArr) -> tuple[IntArr, IntArr, FloatArr]:
    """Every violating edge between blocks after a border block replaced part of the
    duals: the old ones that touch neither the block's requests nor its volunteers (their
    ``u``, ``m_v`` and owners did not change) and a new scan of the block's requests and
    of the requests within reach of the block's volunteers."""
    req, vol, cost = old
    keep = ~rows[req] & ~vols[vol]
    reach = reach_km(ctx, st.u, float(st.m_v.min(initial=np.inf)))
    scan = np.union1d(np.flatnonzero(rows), near_rows(ctx.p, bv, reach)).astype(np.int64)
    nr, nv, nc = cross_violations(ctx, st.u, st.m_v, st.owner_r, st.owner_v, scan)
    touch = rows[nr] | vols[nv]
    return (np.concatenate([req[keep], nr[touch]]), np.concatenate([vol[keep], nv[touch]]),
            np.concatenate([cost[keep], nc[touch]]))

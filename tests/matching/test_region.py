"""A region in shards (matching/region.py): the merged answer against one unsharded solve."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.arrays import ProblemArrays
from matching.engine import solve_arrays
from matching.feasibility import Context, candidates
from matching.model import CostWeights
from matching.province import generate_province, postcodes
from matching.region import RegionResult, solve_region, split, subproblem
from matching.synthetic import generate

W = CostWeights()


def _valid(p: ProblemArrays, res: RegionResult) -> None:
    """Every pair passes the hard rules; a request once; no volunteer over capacity;
    the stored costs are the pairs' costs (with the extra-slot step)."""
    assert np.unique(res.req).size == res.req.size
    load = np.bincount(res.vol, minlength=p.n_volunteers)
    assert (load <= p.active_capacity).all()
    full = candidates(Context(p, W), None, np.unique(res.req))
    feasible = set(zip(full.req.tolist(), full.vol.tolist(), strict=True))
    assert all((r, v) in feasible for r, v in zip(res.req.tolist(), res.vol.tolist(),
                                                  strict=True))
    base = dict(zip(zip(full.req.tolist(), full.vol.tolist(), strict=True),
                    full.cost.tolist(), strict=True))
    extra = res.cost - np.array([base[(r, v)] for r, v in zip(res.req.tolist(),
                                                               res.vol.tolist(), strict=True)])
    # The extra-slot step: 0, 0.5, 1.0, ... per volunteer, each slot used once.
    assert np.allclose(extra / W.extra_slot_step, np.round(extra / W.extra_slot_step))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(20, 300), ratio=st.floats(0.5, 1.5), shards=st.integers(2, 4),
       seed=st.integers(0, 10_000), prune=st.sampled_from([3, 8, 32]))
def test_sharded_equals_unsharded_within_the_bound(n: int, ratio: float, shards: int,
                                                    seed: int, prune: int) -> None:
    p = generate(n, max(1, int(n * ratio)), seed)
    res = solve_region(p, W, n_shards=shards, prune_k=prune)
    best = solve_arrays(p, W, prune_k=None, tolerance=0.0)
    opt = float(best.cost.sum())
    _valid(p, res)
    # The same number matched (the maximum), the bound is proven (cost - bound never
    # exceeds the optimum) and within 0.1 % of the cost.
    assert res.n_matched == best.req.shape[0]
    assert res.total_cost - res.gap_bound <= opt + 1e-6 * max(1.0, opt)
    assert res.gap_bound <= 1e-3 * res.total_cost + 1e-9
    assert res.total_cost <= opt * 1.001 + 1e-6


def test_the_border_pass_mends_a_cut_through_a_town_without_the_fallback() -> None:
    p = generate(600, 600, 3)
    res = solve_region(p, W, n_shards=2)
    best = solve_arrays(p, W, prune_k=None, tolerance=0.0)
    assert res.border_rounds >= 1
    assert not res.fallback
    assert res.n_matched == best.req.shape[0]
    assert res.total_cost - res.gap_bound <= float(best.cost.sum()) + 1e-6
    assert res.gap_bound <= 1e-3 * res.total_cost


def test_exact_tolerance_ends_at_the_optimum() -> None:
    p = generate(150, 150, 11)
    res = solve_region(p, W, n_shards=3, tolerance=0.0)
    best = solve_arrays(p, W, prune_k=None, tolerance=0.0)
    assert abs(res.total_cost - float(best.cost.sum())) <= 1e-6 * float(best.cost.sum())


def test_split_covers_everyone_once_and_balances() -> None:
    p = generate(2000, 1800, 5)
    shards = split(p, 4)
    req = np.concatenate([s.requests for s in shards])
    vol = np.concatenate([s.volunteers for s in shards])
    assert np.array_equal(np.sort(req), np.arange(p.n_requests))
    assert np.array_equal(np.sort(vol), np.arange(p.n_volunteers))
    sizes = [s.requests.size + s.volunteers.size for s in shards]
    assert max(sizes) <= 2.5 * min(sizes)
    # Deterministic.
    again = split(p, 4)
    assert all(np.array_equal(a.requests, b.requests) for a, b in zip(shards, again,
                                                                      strict=True))


def test_subproblem_keeps_the_pairs_inside() -> None:
    p = generate(300, 300, 9)
    req = np.arange(0, 300, 2, dtype=np.int64)
    vol = np.arange(0, 300, 3, dtype=np.int64)
    sub = subproblem(p, req, vol)
    inside = [(r, v) for r, v in p.forbidden.tolist() if r % 2 == 0 and v % 3 == 0]
    assert sorted((int(req[a]), int(vol[b])) for a, b in sub.forbidden.tolist()) == sorted(
        inside)
    assert sub.history.shape[0] == sub.history_rating.shape[0]


def test_the_province_is_read_from_the_repository_and_reproducible() -> None:
    lat, lon, weight, names = postcodes()
    assert len(set(names)) == 26
    assert abs(float(weight.sum()) - 1.0) < 1e-9
    assert float(lat.min()) > 51.8
    assert float(lat.max()) < 52.4
    a, b = generate_province(500, 400, 7), generate_province(500, 400, 7)
    assert np.array_equal(a.req_lat, b.req_lat)
    assert np.array_equal(a.vol_lon, b.vol_lon)
    assert a.n_requests == 500
    assert a.n_volunteers == 400

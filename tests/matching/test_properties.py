"""Property tests: random small instances vs an independent dense LSA reference."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching import solver
from matching.arrays import ProblemArrays
from matching.engine import solve_arrays
from matching.geo import haversine_km
from matching.model import CostWeights

W = CostWeights()


@st.composite
def instances(draw: st.DrawFn) -> ProblemArrays:
    n_r, n_v = draw(st.integers(0, 8)), draw(st.integers(0, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_f = draw(st.integers(0, 4)) if n_r and n_v else 0
    n_h = draw(st.integers(0, 4)) if n_r and n_v else 0
    return ProblemArrays(
        req_lat=52.2 + rng.random(n_r) * 0.05, req_lon=5.15 + rng.random(n_r) * 0.05,
        req_cat=rng.integers(0, 3, n_r), req_slot=rng.integers(-1, 4, n_r),
        req_vog=rng.random(n_r) < 0.2, req_training=rng.random(n_r) < 0.2,
        req_urgency=rng.integers(1, 4, n_r), req_waiting=rng.random(n_r) * 40,
        vol_lat=52.2 + rng.random(n_v) * 0.05, vol_lon=5.15 + rng.random(n_v) * 0.05,
        vol_skills=rng.random((n_v, 3)) < 0.6, vol_avail=(rng.random((n_v, 21)) < 0.15)
        | ((np.arange(21) < 4)[None, :] & (rng.random((n_v, 21)) < 0.6)),
        vol_max_km=rng.choice([0.5, 2.0, 4.0, 10.0], n_v), vol_vog=rng.random(n_v) < 0.6,
        vol_training=rng.random(n_v) < 0.6, vol_capacity=rng.integers(0, 4, n_v),
        vol_paused=rng.random(n_v) < 0.1, vol_recent=rng.integers(0, 5, n_v),
        forbidden=np.stack([rng.integers(0, max(n_r, 1), n_f),
                            rng.integers(0, max(n_v, 1), n_f)], axis=1).astype(np.int64),
        history=np.stack([rng.integers(0, max(n_r, 1), n_h),
                          rng.integers(0, max(n_v, 1), n_h)], axis=1).astype(np.int64),
        history_rating=rng.integers(1, 6, n_h).astype(np.float64),
        req_carer_burden=rng.integers(0, 3, n_r),
    )


def feasible(p: ProblemArrays, r: int, v: int) -> bool:
    """Independent, loop-based statement of the hard rules."""
    slot = p.req_slot[r]
    dist = haversine_km(p.req_lat[r], p.req_lon[r], p.vol_lat[v], p.vol_lon[v])
    return bool(p.vol_skills[v, p.req_cat[r]] and (slot < 0 or p.vol_avail[v, slot])
                and dist <= p.vol_max_km[v]
                and (not p.req_vog[r] or p.vol_vog[v])
                and (not p.req_training[r] or p.vol_training[v])
                and not p.vol_paused[v] and p.vol_capacity[v] > 0
                and not any((p.forbidden == (r, v)).all(axis=1)))


def pair_cost(p: ProblemArrays, r: int, v: int, j: int) -> float:
    """Independent statement of the cost formula (documented in CostWeights)."""
    dist = float(haversine_km(p.req_lat[r], p.req_lon[r], p.vol_lat[v], p.vol_lon[v]))
    ratings = [p.history_rating[i] for i in range(p.history.shape[0])
               if tuple(p.history[i]) == (r, v)]
    q = max([min(max((x - 3) / 2, 0.0), 1.0) for x in ratings], default=0.0)
    return (W.distance_per_km * dist + W.urgency_per_level * (3 - p.req_urgency[r])
            + W.waiting_per_day * (W.waiting_cap_days - min(p.req_waiting[r], W.waiting_cap_days))
            + W.continuity_bonus * (1 - q) + W.load_per_recent_match * min(p.vol_recent[v], 10)
            + W.extra_slot_step * j + W.carer_per_level * (2 - p.req_carer_burden[r]))


def reference(p: ProblemArrays) -> tuple[int, float]:
    """Max cardinality, then min cost, by dense LSA on the capacity-expanded matrix.

    Hard rules and costs come from the independent loop statements above, evaluated once per
    (request, volunteer) pair; the capacity columns only add ``extra_slot_step * j``.
    """
    cols = [(v, j) for v in range(p.n_volunteers) for j in range(int(p.vol_capacity[v]))]
    if p.n_requests == 0 or not cols:
        return 0, 0.0
    mat = np.full((p.n_requests, len(cols)), np.nan)
    for r in range(p.n_requests):
        for v in range(p.n_volunteers):
            if p.vol_capacity[v] > 0 and feasible(p, r, v):
                base = pair_cost(p, r, v, 0)
                for c, (vv, j) in enumerate(cols):
                    if vv == v:
                        mat[r, c] = base + W.extra_slot_step * j
    big = np.nansum(mat) + 1.0
    rows, cs = linear_sum_assignment(np.nan_to_num(mat, nan=big))
    real = ~np.isnan(mat[rows, cs])
    return int(real.sum()), float(mat[rows, cs][real].sum())


def check(p: ProblemArrays, res_req: np.ndarray, res_vol: np.ndarray, cost: float) -> None:
    n, ref_cost = reference(p)
    assert res_req.shape[0] == n
    assert abs(cost - ref_cost) < 1e-6
    assert len(set(res_req.tolist())) == res_req.shape[0]
    for r, v in zip(res_req.tolist(), res_vol.tolist(), strict=True):
        assert feasible(p, r, v)
    assert (np.bincount(res_vol, minlength=p.n_volunteers) <= p.vol_capacity).all()


@settings(max_examples=200, deadline=None)
@given(instances())
def test_engine_matches_reference(p: ProblemArrays) -> None:
    res = solve_arrays(p, prune_k=None)
    check(p, res.req, res.vol, float(res.cost.sum()))


@settings(max_examples=150, deadline=None)
@given(instances())
def test_sparse_solver_matches_reference(p: ProblemArrays) -> None:
    # dense_limit=0 forces min_weight_full_bipartite_matching on every component
    res = solve_arrays(p, prune_k=None, dense_limit=0)
    check(p, res.req, res.vol, float(res.cost.sum()))


@settings(max_examples=150, deadline=None)
@given(instances())
def test_pruned_keeps_maximum_cardinality(p: ProblemArrays) -> None:
    res = solve_arrays(p, prune_k=1, tolerance=None)
    n, ref_cost = reference(p)
    assert res.req.shape[0] == n
    assert float(res.cost.sum()) >= ref_cost - 1e-6
    for r, v in zip(res.req.tolist(), res.vol.tolist(), strict=True):
        assert feasible(p, r, v)


@settings(max_examples=300, deadline=None)
@given(instances(), st.integers(1, 3), st.booleans())
def test_certified_pruning_is_the_exact_optimum(p: ProblemArrays, k: int, sparse: bool) -> None:
    # Tiny prune_k drops most edges; the dual certificate must add back exactly what the
    # optimum needs (both with dense LSA and with the sparse solver on every component).
    res = solve_arrays(p, prune_k=k, dense_limit=0 if sparse else 250_000, tolerance=0.0)
    check(p, res.req, res.vol, float(res.cost.sum()))
    assert res.exact
    assert res.gap_bound == 0.0


@settings(max_examples=300, deadline=None)
@given(instances(), st.integers(1, 3))
def test_gap_bound_brackets_the_optimum(p: ProblemArrays, k: int) -> None:
    # A huge tolerance accepts the first certified solve: its cost minus the proven gap
    # bound must never exceed the true optimum (the bound is a real lower bound), and the
    # cost is never below it.
    res = solve_arrays(p, prune_k=k, tolerance=1e9)
    n, ref_cost = reference(p)
    assert res.req.shape[0] == n
    cost = float(res.cost.sum())
    assert cost >= ref_cost - 1e-6
    assert cost - res.gap_bound <= ref_cost + 1e-6
    # The default tolerance: certified, hence really, within 0.1 % of the optimum.
    default = solve_arrays(p, prune_k=k)
    assert default.req.shape[0] == n
    assert float(default.cost.sum()) <= ref_cost * (1 + 1e-3) + 1e-6
    assert default.gap_bound <= 1e-3 * float(default.cost.sum()) + 1e-9


@settings(max_examples=200, deadline=None)
@given(instances(), st.sampled_from([1, 2, 3, None]), st.booleans())
def test_rounded_costs_keep_the_bound_honest(p: ProblemArrays, k: int | None,
                                             sparse: bool) -> None:
    # Components of 1,000+ requests are solved on costs rounded to a step (ties make scipy's
    # LAPJVsp much faster); force that here. The matching stays maximum and feasible, cost
    # minus the bound never exceeds the optimum, and the default tolerance still holds.
    limit = 0 if sparse else 250_000
    with patch.object(solver, "QUANTIZE_MIN_ROWS", 1):
        loose = solve_arrays(p, prune_k=k, dense_limit=limit, tolerance=1e9)
        default = solve_arrays(p, prune_k=k, dense_limit=limit)
    n, ref_cost = reference(p)
    for res in (loose, default):
        assert res.req.shape[0] == n
        assert len(set(res.req.tolist())) == n
        for r, v in zip(res.req.tolist(), res.vol.tolist(), strict=True):
            assert feasible(p, r, v)
        assert (np.bincount(res.vol, minlength=p.n_volunteers) <= p.vol_capacity).all()
    cost = float(loose.cost.sum())
    assert cost >= ref_cost - 1e-6
    assert cost - loose.gap_bound <= ref_cost + 1e-6
    assert float(default.cost.sum()) <= ref_cost * (1 + 1e-3) + 1e-6
    assert default.gap_bound <= 1e-3 * float(default.cost.sum()) + 1e-9


@settings(max_examples=200, deadline=None)
@given(instances(), st.sampled_from([1, 2, 3, None]))
def test_rank_and_feasible_count_are_exact_under_pruning(p: ProblemArrays,
                                                         k: int | None) -> None:
    # Explanations count every feasible volunteer, also those pruning dropped (found in
    # the reserve of next-cheapest edges or by scanning again).
    res = solve_arrays(p, prune_k=k)
    for r, v, rank in zip(res.req.tolist(), res.vol.tolist(), res.rank.tolist(), strict=True):
        others = [w for w in range(p.n_volunteers) if feasible(p, r, w)]
        assert res.feasible_count[r] == len(others)
        base = pair_cost(p, r, v, 0)
        assert rank == 1 + sum(pair_cost(p, r, w, 0) < base - 1e-9 for w in others)

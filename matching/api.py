"""Object-level API: :func:`solve` (what the Flask app calls)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import numpy as np

from matching.arrays import (
    Encoded,
    RequestColumns,
    encode,
    encode_columns,
    request_columns,
    validate_objects,
    volunteer_columns,
)
from matching.cost import TERMS, carer_term, load_term, urgency_term, waiting_term
from matching.engine import DEFAULT_PRUNE_K, DEFAULT_TOLERANCE, ArrayResult, solve_arrays
from matching.explain import reasons, stages
from matching.feasibility import Context
from matching.model import (
    SLOTS,
    Assignment,
    CostWeights,
    Explanation,
    Id,
    MatchResult,
    RequestInput,
    Stats,
    Unmatched,
    VolunteerInput,
)


def solve(requests: Sequence[RequestInput], volunteers: Sequence[VolunteerInput],
          forbidden: Iterable[tuple[Id, Id]] = (), locked: Iterable[tuple[Id, Id]] = (),
          weights: CostWeights | None = None,
          progress: Callable[[int, int], None] | None = None,
          prune_k: int | None = DEFAULT_PRUNE_K,
          tolerance: float | None = DEFAULT_TOLERANCE) -> MatchResult:
    """Propose request -> volunteer pairs for one matching round.

    Contract: no proposed pair breaks a hard rule; the number of matched requests is the
    maximum possible (certified, also with pruning); among maximum matchings the total cost
    is minimal, or provably within ``tolerance`` (relative, default 0.1 %) of the minimum:
    ``stats.gap_bound`` is the proven bound (0.0 = exact; ``tolerance=0.0`` gives the exact
    optimum; with a tolerance, components of 1,000+ requests are solved on rounded costs,
    so even ``prune_k=None`` is then only proven within it; see docs/matching.md).
    ``locked`` (request id, volunteer id) pairs are kept as they are and consume capacity.
    ``forbidden`` pairs are never proposed. ``progress(done, total)`` reports progress.
    Raises ValueError on invalid input (unknown slot, duplicate id, unknown id in a pair,
    locked pair breaking a hard rule).
    """
    return solve_encoded(encode(requests, volunteers, forbidden), locked, weights, progress,
                         prune_k, tolerance)


def solve_encoded(enc: Encoded, locked: Iterable[tuple[Id, Id]] = (),
                  weights: CostWeights | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  prune_k: int | None = DEFAULT_PRUNE_K,
                  tolerance: float | None = DEFAULT_TOLERANCE) -> MatchResult:
    """:func:`solve` for an instance already in array form (``matching.arrays.encode``, or
    the CLI's array reader ``matching.io.parse_encoded``); the same contract."""
    w = weights or CostWeights()
    lk = [(enc.request_index.get(r), enc.volunteer_index.get(v)) for r, v in locked]
    if any(a is None or b is None for a, b in lk):
        raise ValueError("a locked pair refers to an unknown id")
    lk_arr = np.array(lk, dtype=np.int64).reshape(-1, 2)
    res = solve_arrays(enc.arrays, w, prune_k, lk_arr, progress=progress, tolerance=tolerance)
    return _decode(enc, res, w, prune_k)


def _terms(enc: Encoded, res: ArrayResult, w: CostWeights) -> dict[str, np.ndarray]:
    p, r, v = enc.arrays, res.req, res.vol
    ctx = Context(p, w)
    return {
        TERMS[0]: w.distance_per_km * res.dist,
        TERMS[1]: urgency_term(p, w)[r],
        TERMS[2]: waiting_term(p, w)[r],
        TERMS[3]: w.continuity_bonus - ctx.discount(r, v),
        TERMS[4]: load_term(p, w)[v] + w.extra_slot_step * res.j,
        TERMS[5]: carer_term(p, w)[r],
    }


def _assignments(enc: Encoded, res: ArrayResult, w: CostWeights) -> list[Assignment]:
    terms = {k: a.tolist() for k, a in _terms(enc, res, w).items()}
    slots = enc.arrays.req_slot
    out = []
    for i, (r, v) in enumerate(zip(res.req.tolist(), res.vol.tolist(), strict=True)):
        expl = Explanation(
            terms={k: terms[k][i] for k in TERMS}, distance_km=float(res.dist[i]),
            slot=SLOTS[slots[r]] if slots[r] >= 0 else None,
            feasible_count=int(res.feasible_count[r]), rank=int(res.rank[i]))
        out.append(Assignment(enc.request_ids[r], enc.volunteer_ids[v], float(res.dist[i]),
                              float(res.cost[i]), expl, bool(res.locked[i])))
    return out


def decode(enc: Encoded, res: ArrayResult, weights: CostWeights | None = None,
           prune_k: int | None = DEFAULT_PRUNE_K) -> MatchResult:
    """An engine result over ``enc`` (for example a region's, ``matching.region_decode``) as
    :func:`solve` returns it: assignments with explanations, unmatched with reasons, stats."""
    return _decode(enc, res, weights or CostWeights(), prune_k)


def _decode(enc: Encoded, res: ArrayResult, w: CostWeights,
            prune_k: int | None) -> MatchResult:
    p = enc.arrays
    matched = np.zeros(p.n_requests, dtype=np.bool_)
    matched[res.req] = True
    rows = np.flatnonzero(~matched).astype(np.int64)
    codes = reasons(Context(p, w), rows)
    unmatched = tuple(Unmatched(enc.request_ids[r], c, int(res.feasible_count[r]))
                      for r, c in zip(rows.tolist(), codes, strict=True))
    gap = res.gap_bound if np.isfinite(res.gap_bound) else None
    stats = Stats(p.n_requests, p.n_volunteers, int(res.req.shape[0]), float(res.cost.sum()),
                  res.n_edges, res.n_components, res.largest_component,
                  prune_k, res.repair_rounds, res.exact, gap,
                  res.build_seconds, res.solve_seconds, res.cost_step)
    return MatchResult(tuple(_assignments(enc, res, w)), unmatched, stats)



def feasible_requests(requests: Sequence[RequestInput], volunteer: VolunteerInput,
                      forbidden: Iterable[tuple[Id, Id]] = ()) -> set[Id]:
    """Ids of the ``requests`` this one volunteer may take by the hard rules (skill,
    screening, distance, time, not forbidden), whatever their capacity or pause: what a
    one-volunteer :func:`solve` counts as feasible, without solving anything (no costs, no
    assignment, no certificate). Raises ValueError on invalid input, as :func:`solve`."""
    if not requests:
        return set()
    validate_objects(requests, [volunteer])
    return feasible_columns(request_columns(requests), volunteer, forbidden)


def feasible_columns(requests: RequestColumns, volunteer: VolunteerInput,
                     forbidden: Iterable[tuple[Id, Id]] = ()) -> set[Id]:
    """:func:`feasible_requests` for requests already in columns (no object per request).
    Raises ValueError on invalid input."""
    if not len(requests.ids):
        return set()
    validate_objects([], [volunteer])
    volunteer = replace(volunteer, capacity=1, paused=False)
    enc = encode_columns(requests, volunteer_columns([volunteer]), forbidden)
    ctx = Context(enc.arrays, CostWeights())
    rows = np.arange(enc.arrays.n_requests, dtype=np.int64)
    ok = np.ones(rows.shape[0], dtype=np.bool_)
    for _code, mask in stages(ctx, rows, np.zeros(1, dtype=np.int64)):
        ok &= mask[:, 0]
    return {enc.request_ids[i] for i in np.flatnonzero(ok).tolist()}

"""The pair cost model (see :class:`matching.model.CostWeights` for the formulas)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from matching.model import CostWeights

FloatArr = NDArray[np.float64]

TERMS: tuple[str, ...] = ("distance", "urgency", "waiting", "continuity", "load", "carer")
#: The highest carer burden level (overloaded); see :func:`carer_term`.
MAX_CARER_BURDEN = 2


def urgency_term(p: ProblemArrays, w: CostWeights) -> FloatArr:
    """(n_r,) urgency term: 0 for urgency 3, 2 * weight for urgency 1."""
    return w.urgency_per_level * (3 - np.clip(p.req_urgency, 1, 3)).astype(np.float64)


def waiting_term(p: ProblemArrays, w: CostWeights) -> FloatArr:
    """(n_r,) waiting term: 0 once a request waited ``waiting_cap_days`` or longer."""
    cap = w.waiting_cap_days
    return w.waiting_per_day * (cap - np.clip(p.req_waiting, 0.0, cap))


def carer_term(p: ProblemArrays, w: CostWeights) -> FloatArr:
    """(n_r,) carer term: 0 for the help an overloaded informal carer asks (burden 2),
    2 * weight for requests of nobody burdened (burden 0, and every non-carer request).
    Arrays built without burdens (``req_carer_burden`` None) leave the term out (all 0)."""
    if p.req_carer_burden is None:
        return np.zeros(p.n_requests, dtype=np.float64)
    level = np.clip(p.req_carer_burden, 0, MAX_CARER_BURDEN)
    return w.carer_per_level * (MAX_CARER_BURDEN - level).astype(np.float64)


def request_term(p: ProblemArrays, w: CostWeights) -> FloatArr:
    """(n_r,) part of the cost that depends only on the request (priority)."""
    return urgency_term(p, w) + waiting_term(p, w) + carer_term(p, w)


def load_term(p: ProblemArrays, w: CostWeights) -> FloatArr:
    """(n_v,) load term for the volunteer's first request of the round."""
    recent = np.clip(p.vol_recent, 0, w.load_cap).astype(np.float64)
    return w.load_per_recent_match * recent


def continuity_discount(rating: FloatArr, w: CostWeights) -> FloatArr:
    """Discount (>= 0, <= continuity_bonus) for a previous helper with the given rating."""
    q = np.clip((np.asarray(rating, dtype=np.float64) - 3.0) / 2.0, 0.0, 1.0)
    return w.continuity_bonus * q


def best_history(p: ProblemArrays, w: CostWeights) -> tuple[NDArray[np.int64], FloatArr]:
    """Unique pair keys r * n_v + v (sorted) and the largest continuity discount per pair."""
    keys = p.history[:, 0] * p.n_volunteers + p.history[:, 1]
    disc = continuity_discount(p.history_rating, w)
    order = np.lexsort((-disc, keys))
    keys, disc = keys[order], disc[order]
    first = np.ones(keys.shape[0], dtype=np.bool_)
    first[1:] = keys[1:] != keys[:-1]
    return keys[first], disc[first]

"""Reason codes for unmatched requests and validation of locked pairs.

Hard rules are checked in a fixed order - skill, screening (VOG, then training), distance,
time, forbidden, paused - and an unmatched request gets the code of the first rule that
leaves it without any volunteer. A request that still had feasible volunteers lost them to
other requests: ``volunteers_taken``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from matching.feasibility import Context, _gather
from matching.model import REASONS

IntArr = NDArray[np.int64]
BoolArr = NDArray[np.bool_]

#: Requests per chunk when computing reasons (bounds memory to chunk x n_v booleans).
_CHUNK = 256


def _not_forbidden(ctx: Context, rows: IntArr, vols: IntArr) -> BoolArr:
    ok = np.ones((rows.shape[0], vols.shape[0]), dtype=np.bool_)
    loc, idx = _gather(ctx.pairs.f_ptr, rows)
    if idx.size:
        vpos = np.full(ctx.p.n_volunteers, -1, dtype=np.int64)
        vpos[vols] = np.arange(vols.shape[0])
        col = vpos[ctx.pairs.f_vol[idx]]
        ok[loc[col >= 0], col[col >= 0]] = False
    return ok


def stages(ctx: Context, rows: IntArr, vols: IntArr) -> Iterator[tuple[str, BoolArr]]:
    """Yield (reason code, rows x vols mask of pairs passing that rule) in check order."""
    p = ctx.p
    yield REASONS[0], p.vol_skills[vols][:, p.req_cat[rows]].T
    yield REASONS[1], ~p.req_vog[rows, None] | p.vol_vog[None, vols]
    yield REASONS[2], ~p.req_training[rows, None] | p.vol_training[None, vols]
    yield REASONS[3], ctx.in_range(rows, vols)[0]
    slot = p.req_slot[rows]
    at_time = p.vol_avail[vols][:, np.maximum(slot, 0)].T
    yield REASONS[4], at_time | (slot < 0)[:, None]
    yield REASONS[5], _not_forbidden(ctx, rows, vols)
    yield REASONS[6], np.broadcast_to(ctx.active[None, vols], (rows.shape[0], vols.shape[0]))


def first_failure(ctx: Context, rows: IntArr, vols: IntArr) -> list[str]:
    """Per row: code of the first rule leaving no volunteer in ``vols``, else taken."""
    alive = np.ones((rows.shape[0], vols.shape[0]), dtype=np.bool_)
    out = np.full(rows.shape[0], REASONS[-1], dtype=object)
    decided = np.zeros(rows.shape[0], dtype=np.bool_)
    for code, mask in stages(ctx, rows, vols):
        alive &= mask
        dead = ~alive.any(axis=1) & ~decided
        out[dead] = code
        decided |= dead
        if decided.all():
            break  # later rules cannot change a code (and distances are the dearest test)
    return [str(c) for c in out]


def reasons(ctx: Context, rows: IntArr) -> list[str]:
    """Reason codes for the given (unmatched) requests, checked against all volunteers."""
    vols = np.arange(ctx.p.n_volunteers, dtype=np.int64)
    out: list[str] = []
    for start in range(0, rows.shape[0], _CHUNK):
        out.extend(first_failure(ctx, rows[start:start + _CHUNK], vols))
    return out


def check_locked(ctx: Context, locked: IntArr) -> None:
    """Raise ValueError unless every locked pair obeys the hard rules and capacities."""
    if np.unique(locked[:, 0]).shape[0] != locked.shape[0]:
        raise ValueError("a request appears in more than one locked pair")
    for r, v in locked.tolist():
        code = first_failure(ctx, np.array([r]), np.array([v]))[0]
        if code != REASONS[-1]:
            raise ValueError(f"locked pair (request #{r}, volunteer #{v}) breaks rule {code}")
    count = np.bincount(locked[:, 1], minlength=ctx.p.n_volunteers)
    over = np.flatnonzero(count > ctx.p.active_capacity)
    if over.size:
        raise ValueError(f"volunteer #{int(over[0])} has more locked pairs than capacity")

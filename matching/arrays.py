"""Array form of a matching problem (the engine core works on this, never on objects)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.model import SLOT_INDEX, SLOTS, Id, RequestInput, VolunteerInput

FloatArr = NDArray[np.float64]
IntArr = NDArray[np.int64]
BoolArr = NDArray[np.bool_]


@dataclass(frozen=True)
class ProblemArrays:
    """A matching instance with n_r requests, n_v volunteers and n_c categories.

    Requests: ``req_lat``/``req_lon`` (n_r,) degrees; ``req_cat`` (n_r,) in [0, n_c);
    ``req_slot`` (n_r,) in [-1, 21), -1 = no slot; ``req_vog``/``req_training`` (n_r,) bool;
    ``req_urgency`` (n_r,) in 1..3; ``req_waiting`` (n_r,) days.
    Volunteers: ``vol_lat``/``vol_lon`` (n_v,); ``vol_skills`` (n_v, n_c) bool;
    ``vol_avail`` (n_v, 21) bool; ``vol_max_km`` (n_v,); ``vol_vog``/``vol_training`` bool;
    ``vol_capacity`` (n_v,) >= 0; ``vol_paused`` (n_v,) bool; ``vol_recent`` (n_v,) >= 0.
    Pairs: ``forbidden`` (f, 2) [request index, volunteer index]; ``history`` (h, 2) pairs
    with ``history_rating`` (h,) 1..5. ``req_carer_burden`` (n_r,) in 0..2, the burden of
    the carer asking (None: the carer term is left out).
    """

    req_lat: FloatArr
    req_lon: FloatArr
    req_cat: IntArr
    req_slot: IntArr
    req_vog: BoolArr
    req_training: BoolArr
    req_urgency: IntArr
    req_waiting: FloatArr
    vol_lat: FloatArr
    vol_lon: FloatArr
    vol_skills: BoolArr
    vol_avail: BoolArr
    vol_max_km: FloatArr
    vol_vog: BoolArr
    vol_training: BoolArr
    vol_capacity: IntArr
    vol_paused: BoolArr
    vol_recent: IntArr
    forbidden: IntArr
    history: IntArr
    history_rating: FloatArr
    req_carer_burden: IntArr | None = None

    @property
    def n_requests(self) -> int:
        return int(self.req_lat.shape[0])

    @property
    def n_volunteers(self) -> int:
        return int(self.vol_lat.shape[0])

    @property
    def active_capacity(self) -> IntArr:
        """Capacity with paused volunteers set to 0."""
        return np.where(self.vol_paused, 0, self.vol_capacity).astype(np.int64)


@dataclass(frozen=True)
class Encoded:
    """ProblemArrays plus the id/category lookups needed to decode results."""

    arrays: ProblemArrays
    request_ids: tuple[Id, ...]
    volunteer_ids: tuple[Id, ...]
    categories: tuple[str, ...]
    request_index: dict[Id, int]
    volunteer_index: dict[Id, int]


def _index(ids: Sequence[Id], kind: str) -> dict[Id, int]:
    out: dict[Id, int] = {}
    for i, x in enumerate(ids):
        if x in out:
            raise ValueError(f"duplicate {kind} id {x!r}")
        out[x] = i
    return out


def _pairs(pairs: Iterable[tuple[Id, Id]], enc_r: dict[Id, int], enc_v: dict[Id, int],
           what: str) -> IntArr:
    rows: list[tuple[int, int]] = []
    for r, v in pairs:
        if r not in enc_r or v not in enc_v:
            raise ValueError(f"{what} pair ({r!r}, {v!r}) refers to an unknown id")
        rows.append((enc_r[r], enc_v[v]))
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def _request_arrays(requests: Sequence[RequestInput], cat_of: dict[str, int]) -> dict[str, object]:
    return {
        "req_lat": np.array([r.lat for r in requests], dtype=np.float64),
        "req_lon": np.array([r.lon for r in requests], dtype=np.float64),
        "req_cat": np.array([cat_of[r.category] for r in requests], dtype=np.int64),
        "req_slot": np.array([-1 if r.slot is None else SLOT_INDEX[r.slot] for r in requests],
                             dtype=np.int64),
        "req_vog": np.array([r.requires_vog for r in requests], dtype=np.bool_),
        "req_training": np.array([r.requires_training for r in requests], dtype=np.bool_),
        "req_urgency": np.array([r.urgency for r in requests], dtype=np.int64),
        "req_waiting": np.array([r.waiting_days for r in requests], dtype=np.float64),
        "req_carer_burden": np.array([r.carer_burden for r in requests], dtype=np.int64),
    }


def _volunteer_arrays(volunteers: Sequence[VolunteerInput],
                      cat_of: dict[str, int]) -> dict[str, object]:
    skills = np.zeros((len(volunteers), len(cat_of)), dtype=np.bool_)
    avail = np.zeros((len(volunteers), len(SLOTS)), dtype=np.bool_)
    for i, v in enumerate(volunteers):
        skills[i, [cat_of[s] for s in v.skills]] = True
        avail[i, [SLOT_INDEX[s] for s in v.availability]] = True
    return {
        "vol_lat": np.array([v.lat for v in volunteers], dtype=np.float64),
        "vol_lon": np.array([v.lon for v in volunteers], dtype=np.float64),
        "vol_skills": skills,
        "vol_avail": avail,
        "vol_max_km": np.array([v.max_km for v in volunteers], dtype=np.float64),
        "vol_vog": np.array([v.has_vog for v in volunteers], dtype=np.bool_),
        "vol_training": np.array([v.has_training for v in volunteers], dtype=np.bool_),
        "vol_capacity": np.array([v.capacity for v in volunteers], dtype=np.int64),
        "vol_paused": np.array([v.paused for v in volunteers], dtype=np.bool_),
        "vol_recent": np.array([v.recent_matches for v in volunteers], dtype=np.int64),
    }


def _history(requests: Sequence[RequestInput], enc_v: dict[Id, int]) -> tuple[IntArr, FloatArr]:
    # Helpers unknown to this round (not in `volunteers`) are simply irrelevant: skip them.
    rows = [(i, enc_v[v], float(rating)) for i, r in enumerate(requests)
            for v, rating in r.previous_helpers.items() if v in enc_v]
    pairs = np.array([(a, b) for a, b, _ in rows], dtype=np.int64).reshape(-1, 2)
    return pairs, np.array([c for _, _, c in rows], dtype=np.float64)


def _validate_priority(r: RequestInput) -> None:
    if r.urgency not in (1, 2, 3):
        raise ValueError(f"request {r.id!r}: urgency must be 1..3")
    if not r.waiting_days >= 0:
        raise ValueError(f"request {r.id!r}: waiting_days must be >= 0")
    if r.carer_burden not in (0, 1, 2):
        raise ValueError(f"request {r.id!r}: carer_burden must be 0..2")


def validate_objects(requests: Sequence[RequestInput],
                     volunteers: Sequence[VolunteerInput]) -> None:
    """Raise ValueError naming the first record that breaks a value contract."""
    for r in requests:
        if r.slot is not None and r.slot not in SLOT_INDEX:
            raise ValueError(f"request {r.id!r}: unknown slot {r.slot!r}")
        if not (-90 <= r.lat <= 90 and -180 <= r.lon <= 180):
            raise ValueError(f"request {r.id!r}: coordinates out of range")
        _validate_priority(r)
    for v in volunteers:
        bad = sorted(s for s in v.availability if s not in SLOT_INDEX)
        if bad:
            raise ValueError(f"volunteer {v.id!r}: unknown slot {bad[0]!r}")
        if not (-90 <= v.lat <= 90 and -180 <= v.lon <= 180):
            raise ValueError(f"volunteer {v.id!r}: coordinates out of range")
        if not v.max_km >= 0 or v.capacity < 0 or v.recent_matches < 0:
            raise ValueError(f"volunteer {v.id!r}: max_km, capacity, recent_matches must be >= 0")


def encode(requests: Sequence[RequestInput], volunteers: Sequence[VolunteerInput],
           forbidden: Iterable[tuple[Id, Id]] = ()) -> Encoded:
    """Validate and convert object inputs to :class:`ProblemArrays` (raises ValueError)."""
    validate_objects(requests, volunteers)
    enc_r = _index([r.id for r in requests], "request")
    enc_v = _index([v.id for v in volunteers], "volunteer")
    cats = sorted({r.category for r in requests} | {s for v in volunteers for s in v.skills})
    cat_of = {c: i for i, c in enumerate(cats)}
    hist, rating = _history(requests, enc_v)
    arrays = ProblemArrays(
        **_request_arrays(requests, cat_of),  # type: ignore[arg-type]
        **_volunteer_arrays(volunteers, cat_of),  # type: ignore[arg-type]
        forbidden=_pairs(forbidden, enc_r, enc_v, "forbidden"),
        history=hist,
        history_rating=rating,
    )
    return Encoded(arrays, tuple(r.id for r in requests), tuple(v.id for v in volunteers),
                   tuple(cats), enc_r, enc_v)

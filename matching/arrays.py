"""Array form of a matching problem (the engine core works on this, never on objects)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import MappingProxyType

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


@dataclass(frozen=True)
class RequestColumns:
    """n_r requests in columns, as :func:`encode_columns` takes them: ``ids`` distinct;
    ``lat``/``lon`` (n_r,) degrees; ``category`` n_r names; ``slot`` (n_r,) in [-1, 21),
    -1 = no slot; ``vog``/``training`` (n_r,) bool; ``urgency`` (n_r,) in 1..3; ``waiting``
    (n_r,) days >= 0; ``carer_burden`` (n_r,) in 0..2; ``helpers`` (request row, volunteer id,
    best rating 1..5) of earlier help."""

    ids: Sequence[Id]
    lat: FloatArr
    lon: FloatArr
    category: Sequence[str]
    slot: IntArr
    vog: BoolArr
    training: BoolArr
    urgency: IntArr
    waiting: FloatArr
    carer_burden: IntArr
    helpers: Sequence[tuple[int, Id, float]]


@dataclass(frozen=True)
class VolunteerColumns:
    """n_v volunteers in columns: ``ids`` distinct; ``lat``/``lon`` (n_v,) degrees; skills as
    pairs, volunteer row ``skill_rows`` (k,) has category ``skill_names`` (k names);
    ``avail`` (n_v, 21) bool; ``max_km`` (n_v,) >= 0; ``vog``/``training``/``paused`` (n_v,)
    bool; ``capacity`` and ``recent`` (n_v,) >= 0."""

    ids: Sequence[Id]
    lat: FloatArr
    lon: FloatArr
    skill_rows: IntArr
    skill_names: Sequence[str]
    avail: BoolArr
    max_km: FloatArr
    vog: BoolArr
    training: BoolArr
    capacity: IntArr
    paused: BoolArr
    recent: IntArr


def join_volunteers(first: VolunteerColumns, second: VolunteerColumns) -> VolunteerColumns:
    """``first``'s volunteers followed by ``second``'s."""
    def both(name: str) -> np.ndarray:
        return np.concatenate([getattr(first, name), getattr(second, name)])
    return VolunteerColumns(
        ids=(*first.ids, *second.ids), lat=both("lat"), lon=both("lon"),
        skill_rows=np.concatenate([first.skill_rows, second.skill_rows + len(first.ids)]),
        skill_names=(*first.skill_names, *second.skill_names),
        avail=np.concatenate([first.avail, second.avail]).reshape(-1, len(SLOTS)),
        max_km=both("max_km"), vog=both("vog"), training=both("training"),
        capacity=both("capacity"), paused=both("paused"), recent=both("recent"),
    )


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


def _outside(lat: FloatArr, lon: FloatArr) -> BoolArr:
    return ~((lat >= -90) & (lat <= 90) & (lon >= -180) & (lon <= 180))


def _first_failure(ids: Sequence[Id], kind: str, checks: list[tuple[BoolArr, str]]) -> None:
    """Raise ValueError for the first record failing any check (masks of bad records, in
    the order :func:`validate_objects` checks one record)."""
    bad = [np.flatnonzero(mask) for mask, _ in checks]
    first = min((int(rows[0]) for rows in bad if rows.size), default=None)
    if first is None:
        return
    message = next(text for (mask, text) in checks if mask[first])
    raise ValueError(f"{kind} {ids[first]!r}: {message}")


def validate_columns(requests: RequestColumns, volunteers: VolunteerColumns) -> None:
    """:func:`validate_objects` for columns (raises ValueError naming the first offending
    record), plus consistent column lengths."""
    n_r, n_v = len(requests.ids), len(volunteers.ids)
    if {len(requests.category), *(a.shape[0] for a in (
            requests.lat, requests.lon, requests.slot, requests.vog, requests.training,
            requests.urgency, requests.waiting, requests.carer_burden))} != {n_r}:
        raise ValueError("request columns differ in length")
    if {volunteers.avail.shape[0], *(a.shape[0] for a in (
            volunteers.lat, volunteers.lon, volunteers.max_km, volunteers.vog,
            volunteers.training, volunteers.capacity, volunteers.paused,
            volunteers.recent))} != {n_v} or volunteers.avail.shape[1:] != (len(SLOTS),) \
            or len(volunteers.skill_names) != volunteers.skill_rows.shape[0]:
        raise ValueError("volunteer columns differ in length")
    _first_failure(requests.ids, "request", [
        ((requests.slot < -1) | (requests.slot >= len(SLOTS)), "unknown slot"),
        (_outside(requests.lat, requests.lon), "coordinates out of range"),
        (~np.isin(requests.urgency, (1, 2, 3)), "urgency must be 1..3"),
        (~(requests.waiting >= 0), "waiting_days must be >= 0"),
        (~np.isin(requests.carer_burden, (0, 1, 2)), "carer_burden must be 0..2"),
    ])
    _first_failure(volunteers.ids, "volunteer", [
        (_outside(volunteers.lat, volunteers.lon), "coordinates out of range"),
        (~(volunteers.max_km >= 0) | (volunteers.capacity < 0) | (volunteers.recent < 0),
         "max_km, capacity, recent_matches must be >= 0"),
    ])


def request_input(enc: Encoded, row: int) -> RequestInput:
    """Request ``row`` of ``enc`` as an object (the inverse of :func:`encode`; its earlier
    helpers are those among ``enc``'s volunteers)."""
    p = enc.arrays
    helped = np.flatnonzero(p.history[:, 0] == row)
    return RequestInput(
        id=enc.request_ids[row], lat=float(p.req_lat[row]), lon=float(p.req_lon[row]),
        category=enc.categories[int(p.req_cat[row])],
        slot=SLOTS[int(p.req_slot[row])] if p.req_slot[row] >= 0 else None,
        requires_vog=bool(p.req_vog[row]), requires_training=bool(p.req_training[row]),
        urgency=int(p.req_urgency[row]), waiting_days=float(p.req_waiting[row]),
        previous_helpers=MappingProxyType({
            enc.volunteer_ids[int(p.history[h, 1])]: float(p.history_rating[h]) for h in helped
        }),
        carer_burden=0 if p.req_carer_burden is None else int(p.req_carer_burden[row]),
    )


def volunteer_input(enc: Encoded, row: int) -> VolunteerInput:
    """Volunteer ``row`` of ``enc`` as an object (the inverse of :func:`encode`)."""
    p = enc.arrays
    return VolunteerInput(
        id=enc.volunteer_ids[row], lat=float(p.vol_lat[row]), lon=float(p.vol_lon[row]),
        skills=frozenset(enc.categories[c] for c in np.flatnonzero(p.vol_skills[row])),
        availability=frozenset(SLOTS[s] for s in np.flatnonzero(p.vol_avail[row])),
        max_km=float(p.vol_max_km[row]), has_vog=bool(p.vol_vog[row]),
        has_training=bool(p.vol_training[row]), capacity=int(p.vol_capacity[row]),
        paused=bool(p.vol_paused[row]), recent_matches=int(p.vol_recent[row]),
    )


def request_columns(requests: Sequence[RequestInput]) -> RequestColumns:
    """Validated request objects as columns (slots numbered)."""
    return RequestColumns(
        ids=tuple(r.id for r in requests),
        lat=np.array([r.lat for r in requests], dtype=np.float64),
        lon=np.array([r.lon for r in requests], dtype=np.float64),
        category=tuple(r.category for r in requests),
        slot=np.array([-1 if r.slot is None else SLOT_INDEX[r.slot] for r in requests],
                      dtype=np.int64),
        vog=np.array([r.requires_vog for r in requests], dtype=np.bool_),
        training=np.array([r.requires_training for r in requests], dtype=np.bool_),
        urgency=np.array([r.urgency for r in requests], dtype=np.int64),
        waiting=np.array([r.waiting_days for r in requests], dtype=np.float64),
        carer_burden=np.array([r.carer_burden for r in requests], dtype=np.int64),
        helpers=tuple((i, v, float(rating)) for i, r in enumerate(requests)
                      for v, rating in r.previous_helpers.items()),
    )


def volunteer_columns(volunteers: Sequence[VolunteerInput]) -> VolunteerColumns:
    """Validated volunteer objects as columns."""
    avail = np.zeros((len(volunteers), len(SLOTS)), dtype=np.bool_)
    skills = [(i, s) for i, v in enumerate(volunteers) for s in v.skills]
    for i, v in enumerate(volunteers):
        avail[i, [SLOT_INDEX[s] for s in v.availability]] = True
    return VolunteerColumns(
        ids=tuple(v.id for v in volunteers),
        lat=np.array([v.lat for v in volunteers], dtype=np.float64),
        lon=np.array([v.lon for v in volunteers], dtype=np.float64),
        skill_rows=np.array([i for i, _ in skills], dtype=np.int64),
        skill_names=tuple(s for _, s in skills),
        avail=avail,
        max_km=np.array([v.max_km for v in volunteers], dtype=np.float64),
        vog=np.array([v.has_vog for v in volunteers], dtype=np.bool_),
        training=np.array([v.has_training for v in volunteers], dtype=np.bool_),
        capacity=np.array([v.capacity for v in volunteers], dtype=np.int64),
        paused=np.array([v.paused for v in volunteers], dtype=np.bool_),
        recent=np.array([v.recent_matches for v in volunteers], dtype=np.int64),
    )


def encode(requests: Sequence[RequestInput], volunteers: Sequence[VolunteerInput],
           forbidden: Iterable[tuple[Id, Id]] = ()) -> Encoded:
    """Validate and convert object inputs to :class:`ProblemArrays` (raises ValueError)."""
    validate_objects(requests, volunteers)
    return encode_columns(request_columns(requests), volunteer_columns(volunteers), forbidden)


def encode_columns(requests: RequestColumns, volunteers: VolunteerColumns,
                   forbidden: Iterable[tuple[Id, Id]] = ()) -> Encoded:
    """:func:`encode` for inputs already in columns: the same checks (whole columns at once,
    the first offending record named) and the same arrays. Earlier helpers unknown to this
    round are skipped. Raises ValueError."""
    validate_columns(requests, volunteers)
    enc_r = _index(requests.ids, "request")
    enc_v = _index(volunteers.ids, "volunteer")
    cats = sorted(set(requests.category) | set(volunteers.skill_names))
    cat_of = {c: i for i, c in enumerate(cats)}
    skills = np.zeros((len(volunteers.ids), len(cats)), dtype=np.bool_)
    skills[volunteers.skill_rows, [cat_of[s] for s in volunteers.skill_names]] = True
    known = [(i, enc_v[v], rating) for i, v, rating in requests.helpers if v in enc_v]
    arrays = ProblemArrays(
        req_lat=requests.lat, req_lon=requests.lon,
        req_cat=np.array([cat_of[c] for c in requests.category], dtype=np.int64),
        req_slot=requests.slot, req_vog=requests.vog, req_training=requests.training,
        req_urgency=requests.urgency, req_waiting=requests.waiting,
        vol_lat=volunteers.lat, vol_lon=volunteers.lon, vol_skills=skills,
        vol_avail=volunteers.avail, vol_max_km=volunteers.max_km, vol_vog=volunteers.vog,
        vol_training=volunteers.training, vol_capacity=volunteers.capacity,
        vol_paused=volunteers.paused, vol_recent=volunteers.recent,
        forbidden=_pairs(forbidden, enc_r, enc_v, "forbidden"),
        history=np.array([(i, v) for i, v, _ in known], dtype=np.int64).reshape(-1, 2),
        history_rating=np.array([rating for _, _, rating in known], dtype=np.float64),
        req_carer_burden=requests.carer_burden,
    )
    return Encoded(arrays, tuple(requests.ids), tuple(volunteers.ids), tuple(cats), enc_r,
                   enc_v)

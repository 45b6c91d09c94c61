"""Reproducible synthetic instances around Hilversum (for benchmarks, tests and demo seeding).

Geography: half of all people live in Hilversum (centre 52.2235 N, 5.1752 E, ~2 km standard
deviation, i.e. most within ~4 km), the rest in the surrounding towns of 't Gooi and
Utrechtse Heuvelrug. Categories are Zipf-popular, volunteers have 2-4 skills and 4-10 weekly
slots (weekday daytime more likely), travel limits 2-10 km, capacity mostly 1 (some 2-3).
Same (sizes, seed) always gives the same instance.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from matching.model import SLOTS, RequestInput, VolunteerInput

CATEGORIES: tuple[str, ...] = (
    "groceries", "transport", "odd_jobs", "garden", "company", "computer_help",
    "paperwork", "cooking", "walking", "pet_care", "shopping_trip", "respite_care",
)

#: (name, lat, lon, share of population, spread std in km)
TOWNS: tuple[tuple[str, float, float, float, float], ...] = (
    ("Hilversum", 52.2235, 5.1752, 0.50, 2.0),
    ("Bussum", 52.2733, 5.1611, 0.10, 1.2),
    ("Huizen", 52.2995, 5.2415, 0.09, 1.2),
    ("Laren", 52.2567, 5.2272, 0.04, 0.8),
    ("Blaricum", 52.2725, 5.2417, 0.03, 0.8),
    ("Baarn", 52.2117, 5.2875, 0.08, 1.0),
    ("Loosdrecht", 52.2005, 5.0706, 0.04, 1.0),
    ("Maartensdijk", 52.1556, 5.1717, 0.03, 0.8),
    ("Soest", 52.1739, 5.2914, 0.09, 1.3),
)


def _points(rng: np.random.Generator, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    share = np.array([t[3] for t in TOWNS])
    town = rng.choice(len(TOWNS), size=n, p=share / share.sum())
    lat0 = np.array([t[1] for t in TOWNS])[town]
    lon0 = np.array([t[2] for t in TOWNS])[town]
    sd_km = np.array([t[4] for t in TOWNS])[town]
    lat = lat0 + rng.normal(size=n) * sd_km / 111.2
    lon = lon0 + rng.normal(size=n) * sd_km / (111.2 * np.cos(np.radians(lat0)))
    return lat, lon


def _slot_weights() -> NDArray[np.float64]:
    # Weekday mornings/afternoons are the most common, evenings and Sundays rarer.
    day = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.7, 0.4])
    part = np.array([1.0, 1.0, 0.5])
    w: NDArray[np.float64] = (day[:, None] * part[None, :]).ravel()
    return w / float(w.sum())


def _choose_sets(rng: np.random.Generator, n: int, k: int, lo: int, hi: int,
                 weights: NDArray[np.float64]) -> NDArray[np.bool_]:
    """(n, k) bool: each row has lo..hi True entries drawn without replacement by weight."""
    sizes = rng.integers(lo, hi + 1, size=n)
    # Gumbel top-k trick: weighted sampling without replacement, vectorised.
    keys = np.log(weights)[None, :] - np.log(-np.log(rng.random((n, k))))
    order = np.argsort(-keys, axis=1)
    out = np.zeros((n, k), dtype=np.bool_)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(k)[None, :].repeat(n, 0), axis=1)
    out[:] = ranks < sizes[:, None]
    return out


def generate(n_requests: int, n_volunteers: int, seed: int = 42) -> ProblemArrays:
    """A Hilversum-like instance with 12 categories and 21 weekly slots (deterministic)."""
    rng = np.random.default_rng(seed)
    n_c = len(CATEGORIES)
    popularity: NDArray[np.float64] = 1.0 / np.arange(1, n_c + 1, dtype=np.float64) ** 0.7
    popularity /= float(popularity.sum())
    r_lat, r_lon = _points(rng, n_requests)
    v_lat, v_lon = _points(rng, n_volunteers)
    has_slot = rng.random(n_requests) < 0.8
    slot = np.where(has_slot, rng.choice(len(SLOTS), size=n_requests, p=_slot_weights()), -1)
    n_hist = n_requests // 20
    hist = np.stack([rng.integers(0, n_requests, n_hist),
                     rng.integers(0, max(n_volunteers, 1), n_hist)], axis=1)
    n_forb = n_requests // 200
    forb = np.stack([rng.integers(0, n_requests, n_forb),
                     rng.integers(0, max(n_volunteers, 1), n_forb)], axis=1)
    if n_volunteers == 0:
        hist, forb = hist[:0], forb[:0]
    return ProblemArrays(
        req_lat=r_lat, req_lon=r_lon,
        req_cat=rng.choice(n_c, size=n_requests, p=popularity).astype(np.int64),
        req_slot=slot.astype(np.int64),
        req_vog=rng.random(n_requests) < 0.10,
        req_training=rng.random(n_requests) < 0.05,
        req_urgency=rng.choice([1, 2, 3], size=n_requests, p=[0.6, 0.3, 0.1]).astype(np.int64),
        req_waiting=np.round(rng.exponential(5.0, size=n_requests), 1),
        vol_lat=v_lat, vol_lon=v_lon,
        vol_skills=_choose_sets(rng, n_volunteers, n_c, 2, 4, popularity),
        vol_avail=_choose_sets(rng, n_volunteers, len(SLOTS), 4, 10, _slot_weights()),
        vol_max_km=rng.choice([2.0, 3.0, 5.0, 7.5, 10.0], size=n_volunteers,
                              p=[0.15, 0.25, 0.3, 0.15, 0.15]),
        vol_vog=rng.random(n_volunteers) < 0.4,
        vol_training=rng.random(n_volunteers) < 0.3,
        vol_capacity=rng.choice([1, 2, 3], size=n_volunteers, p=[0.8, 0.15, 0.05]).astype(
            np.int64),
        vol_paused=rng.random(n_volunteers) < 0.03,
        vol_recent=rng.poisson(1.5, size=n_volunteers).astype(np.int64),
        forbidden=forb.astype(np.int64), history=hist.astype(np.int64),
        history_rating=np.asarray(rng.integers(1, 6, size=hist.shape[0]), dtype=np.float64),
    )


def to_inputs(p: ProblemArrays) -> tuple[list[RequestInput], list[VolunteerInput],
                                           list[tuple[str, str]]]:
    """Object form of an instance (ids "r0", "v0", ...), e.g. for seeding the app's database.

    Returns (requests, volunteers, forbidden pairs).
    """
    helpers: dict[int, dict[str | int, float]] = {}
    for (r, v), rating in zip(p.history.tolist(), p.history_rating.tolist(), strict=True):
        helpers.setdefault(r, {})[f"v{v}"] = max(rating, helpers.get(r, {}).get(f"v{v}", 0.0))
    reqs = [RequestInput(
        id=f"r{i}", lat=float(p.req_lat[i]), lon=float(p.req_lon[i]),
        category=CATEGORIES[p.req_cat[i]],
        slot=None if p.req_slot[i] < 0 else SLOTS[p.req_slot[i]],
        requires_vog=bool(p.req_vog[i]), requires_training=bool(p.req_training[i]),
        urgency=int(p.req_urgency[i]), waiting_days=float(p.req_waiting[i]),
        previous_helpers=helpers.get(i, {})) for i in range(p.n_requests)]
    vols = [VolunteerInput(
        id=f"v{j}", lat=float(p.vol_lat[j]), lon=float(p.vol_lon[j]),
        skills=frozenset(CATEGORIES[c] for c in np.flatnonzero(p.vol_skills[j])),
        availability=frozenset(SLOTS[s] for s in np.flatnonzero(p.vol_avail[j])),
        max_km=float(p.vol_max_km[j]), has_vog=bool(p.vol_vog[j]),
        has_training=bool(p.vol_training[j]), capacity=int(p.vol_capacity[j]),
        paused=bool(p.vol_paused[j]), recent_matches=int(p.vol_recent[j]))
        for j in range(p.n_volunteers)]
    forb = [(f"r{r}", f"v{v}") for r, v in p.forbidden.tolist()]
    return reqs, vols, forb

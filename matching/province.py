"""A reproducible regional instance: the province of Utrecht (for ``bench --region``).

Places people on the postcode centroids of the province's 26 municipalities, read from the
repository's copy of the GeoNames postcode table (``marketplace/data/postcodes_nl.csv``,
CC BY 4.0, GeoNames), weighted by each municipality's residents (rounded CBS figures of
2024, 1.4 million in all; GeoNames still names Vijfheerenlanden by its Utrecht part,
Vianen), spread evenly over its postcodes with a jitter of about 0.6 km. Everything else
(categories, slots, travel limits 2-10 km, capacities, screening, history) is drawn as in
:func:`matching.synthetic.generate`. Same (sizes, seed): the same instance.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from matching.synthetic import generate

POSTCODES = Path(__file__).resolve().parent.parent / "marketplace" / "data" / "postcodes_nl.csv"

#: Residents per municipality of the province of Utrecht (thousands, rounded, 2024).
RESIDENTS: dict[str, float] = {
    "Utrecht": 367, "Amersfoort": 161, "Veenendaal": 68, "Zeist": 66, "Stichtse Vecht": 66,
    "Nieuwegein": 65, "Woerden": 53, "Houten": 51, "Utrechtse Heuvelrug": 50, "Soest": 47,
    "De Ronde Venen": 45, "De Bilt": 44, "IJsselstein": 34, "Leusden": 30, "Baarn": 25,
    "Wijk bij Duurstede": 24, "Bunschoten": 22, "Vianen": 20, "Rhenen": 20, "Bunnik": 15,
    "Lopik": 14, "Montfoort": 14, "Woudenberg": 14, "Oudewater": 10, "Eemnes": 9,
    "Renswoude": 6,
}
JITTER_KM = 0.6


def postcodes(path: Path = POSTCODES) -> tuple[NDArray[np.float64], NDArray[np.float64],
                                               NDArray[np.float64], list[str]]:
    """(lat, lon, weight, municipality) of the province's postcodes: weight = the
    municipality's residents shared evenly over its postcodes."""
    rows: list[tuple[float, float, str]] = []
    with path.open(encoding="utf-8") as fh:
        for rec in csv.reader(line for line in fh if not line.startswith("#")):
            if len(rec) == 5 and rec[2] in RESIDENTS:
                rows.append((float(rec[3]), float(rec[4]), rec[2]))
    names = [r[2] for r in rows]
    per = {m: names.count(m) for m in RESIDENTS}
    weight = np.array([RESIDENTS[m] / per[m] for m in names])
    lat = np.array([r[0] for r in rows])
    lon = np.array([r[1] for r in rows])
    return lat, lon, weight / weight.sum(), names


def _people(rng: np.random.Generator, n: int, lat: NDArray[np.float64], lon: NDArray[np.float64],
            weight: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    pick = rng.choice(lat.shape[0], size=n, p=weight)
    jitter = rng.normal(size=(2, n)) * JITTER_KM / 111.2
    return (lat[pick] + jitter[0],
            lon[pick] + jitter[1] / np.cos(np.radians(lat[pick])))


def generate_province(n_requests: int = 50_000, n_volunteers: int = 50_000,
                      seed: int = 42) -> ProblemArrays:
    """The province instance (deterministic for the same sizes and seed)."""
    base = generate(n_requests, n_volunteers, seed)
    lat, lon, weight, _ = postcodes()
    rng = np.random.default_rng(seed + 1)
    r_lat, r_lon = _people(rng, n_requests, lat, lon, weight)
    v_lat, v_lon = _people(rng, n_volunteers, lat, lon, weight)
    return replace(base, req_lat=r_lat, req_lon=r_lon, vol_lat=v_lat, vol_lon=v_lon)

"""Great-circle distances (vectorised haversine)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Mean earth radius in km, the value geopy's ``great_circle`` uses.
EARTH_RADIUS_KM = 6371.009


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike,
                 lon2: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distance in km between points given in degrees; numpy broadcasting rules.

    Haversine is numerically stable for the short distances we care about (metres to tens of
    km), unlike the spherical law of cosines.
    """
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    l1 = np.radians(np.asarray(lon1, dtype=np.float64))
    l2 = np.radians(np.asarray(lon2, dtype=np.float64))
    return haversine_rad(p1, l1, np.cos(p1), p2, l2, np.cos(p2))


def haversine_rad(lat1: NDArray[np.float64], lon1: NDArray[np.float64],
                  cos1: NDArray[np.float64], lat2: NDArray[np.float64],
                  lon2: NDArray[np.float64], cos2: NDArray[np.float64]) -> NDArray[np.float64]:
    """:func:`haversine_km` on radians with the cosines of the latitudes precomputed."""
    a = np.sin((lat2 - lat1) * 0.5) ** 2 + cos1 * cos2 * np.sin((lon2 - lon1) * 0.5) ** 2
    out: NDArray[np.float64] = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return out

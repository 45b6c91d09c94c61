"""Hulppunt matching engine: pure numpy/scipy, no Flask or database imports.

Typical use::

    from matching import RequestInput, VolunteerInput, CostWeights, solve
    result = solve(requests, volunteers, forbidden=[("r1", "v9")])
    for a in result.assignments:
        print(a.request_id, a.volunteer_id, a.distance_km, a.explanation.rank)

See docs/matching.md for the model, the guarantees and the CLI.
"""

from matching.api import solve
from matching.arrays import ProblemArrays
from matching.engine import ArrayResult, solve_arrays
from matching.geo import EARTH_RADIUS_KM, haversine_km
from matching.model import (
    REASONS,
    SLOTS,
    Assignment,
    CostWeights,
    Explanation,
    MatchResult,
    RequestInput,
    Stats,
    Unmatched,
    VolunteerInput,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "REASONS",
    "SLOTS",
    "ArrayResult",
    "Assignment",
    "CostWeights",
    "Explanation",
    "MatchResult",
    "ProblemArrays",
    "RequestInput",
    "Stats",
    "Unmatched",
    "VolunteerInput",
    "haversine_km",
    "solve",
    "solve_arrays",
]

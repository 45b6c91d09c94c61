"""Immutable value types of the matching engine's Python API.

Everything here is a frozen dataclass so that inputs and results can be shared between
threads/jobs and hashed. No numpy in the public types: the app passes plain Python values
and receives plain Python values (``to_dict()`` gives JSON-ready dicts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

#: Ids may be strings or ints (database primary keys); they are passed through untouched.
Id = str | int

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS: tuple[str, ...] = ("morning", "afternoon", "evening")
#: The 21 weekly time slots, "mon-morning" .. "sun-evening"; index = day * 3 + part.
SLOTS: tuple[str, ...] = tuple(f"{d}-{p}" for d in DAYS for p in PARTS)
SLOT_INDEX: Mapping[str, int] = MappingProxyType({s: i for i, s in enumerate(SLOTS)})

#: Reason codes for unmatched requests, in the order they are checked.
REASONS: tuple[str, ...] = (
    "no_volunteer_with_skill",
    "requires_vog",
    "requires_training",
    "no_volunteer_in_range",
    "no_volunteer_available_at_time",
    "all_forbidden",
    "paused",
    "volunteers_taken",
)


@dataclass(frozen=True)
class RequestInput:
    """A help request.

    ``lat``/``lon`` in decimal degrees (WGS84). ``slot`` is one of :data:`SLOTS` or ``None``
    (any time). ``urgency`` is 1 (normal) .. 3 (urgent). ``waiting_days`` >= 0 is how long
    the request has been open. ``previous_helpers`` maps volunteer id -> rating 1..5 the
    requester gave that volunteer before (continuity). ``carer_burden`` is 0 .. 2: the
    burden of the informal carer asking for this (respite) help, from their latest overload
    check (0: no carer or lightly burdened, 1: raised, 2: overloaded).
    """

    id: Id
    lat: float
    lon: float
    category: str
    slot: str | None = None
    requires_vog: bool = False
    requires_training: bool = False
    urgency: int = 1
    waiting_days: float = 0.0
    previous_helpers: Mapping[Id, float] = field(default_factory=lambda: MappingProxyType({}))
    carer_burden: int = 0


@dataclass(frozen=True)
class VolunteerInput:
    """A volunteer.

    ``skills`` are category names, ``availability`` slot names from :data:`SLOTS`.
    ``max_km`` >= 0 is the maximum great-circle travel distance. ``capacity`` >= 0 is the
    maximum number of requests per matching round; ``paused`` (or capacity 0) means none.
    ``recent_matches`` >= 0 counts recent matches (fair spread of load).
    """

    id: Id
    lat: float
    lon: float
    skills: frozenset[str]
    availability: frozenset[str]
    max_km: float
    has_vog: bool = False
    has_training: bool = False
    capacity: int = 1
    paused: bool = False
    recent_matches: int = 0


@dataclass(frozen=True)
class CostWeights:
    """Weights of the pair cost; every term is >= 0 and expressed in "km-equivalents".

    cost(r, v) = distance + urgency + waiting + continuity + load + carer, with

    * distance   = ``distance_per_km`` * great-circle km.
    * urgency    = ``urgency_per_level`` * (3 - urgency): urgent requests are cheaper, so when
      volunteers are scarce the optimiser prefers to match them (default 2.0: urgency 3 beats
      urgency 1 by 4 km).
    * waiting    = ``waiting_per_day`` * (cap - min(waiting_days, cap)),
      cap = ``waiting_cap_days``: older requests are cheaper (default 0.25/day up to 28 days,
      i.e. up to 7 km advantage; the cap stops ancient requests from pulling volunteers
      from across the region).
    * continuity = ``continuity_bonus`` * (1 - q), q = clip((rating - 3) / 2, 0, 1) for a
      previous helper of this requester, q = 0 otherwise: a helper rated 5 gets the full
      3 km discount, rated <= 3 none.
    * load       = ``load_per_recent_match`` * min(recent_matches, ``load_cap``)
      + ``extra_slot_step`` * j for the j-th (0-based) request this volunteer gets in the
      round: spreads work over volunteers.
    * carer      = ``carer_per_level`` * (2 - carer_burden): the respite of an overloaded
      informal carer is cheaper, so it wins a scarce volunteer (default 2.5: overloaded
      beats no or light burden by 5 km, "raised" by 2.5 km).

    Terms are shifted to be non-negative; a constant shift per matched request does not
    change the optimum because the number of matched requests is maximised first.
    """

    distance_per_km: float = 1.0
    urgency_per_level: float = 2.0
    waiting_per_day: float = 0.25
    waiting_cap_days: float = 28.0
    continuity_bonus: float = 3.0
    load_per_recent_match: float = 0.5
    load_cap: int = 10
    extra_slot_step: float = 0.5
    carer_per_level: float = 2.5

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if float(getattr(self, name)) < 0:
                raise ValueError(f"CostWeights.{name} must be >= 0")


@dataclass(frozen=True)
class Explanation:
    """Why a pair was proposed.

    ``terms``: cost per term (keys distance, urgency, waiting, continuity, load, carer; they sum to
    the cost). ``slot``: the request's slot (``None`` = any time). ``feasible_count``:
    volunteers passing all hard rules for this request; ``rank``: 1 = cheapest of them.
    """

    terms: Mapping[str, float]
    distance_km: float
    slot: str | None
    feasible_count: int
    rank: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "terms": dict(self.terms),
            "distance_km": self.distance_km,
            "slot": self.slot,
            "feasible_count": self.feasible_count,
            "rank": self.rank,
        }


@dataclass(frozen=True)
class Assignment:
    """A proposed (or coordinator-locked) request -> volunteer pair."""

    request_id: Id
    volunteer_id: Id
    distance_km: float
    cost: float
    explanation: Explanation
    locked: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request_id,
            "volunteer": self.volunteer_id,
            "distance_km": self.distance_km,
            "cost": self.cost,
            "locked": self.locked,
            "explanation": self.explanation.to_dict(),
        }


@dataclass(frozen=True)
class Unmatched:
    """A request without volunteer; ``reason`` is one of :data:`REASONS`."""

    request_id: Id
    reason: str
    feasible_count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request_id,
            "reason": self.reason,
            "feasible_count": self.feasible_count,
        }


@dataclass(frozen=True)
class Stats:
    """Run statistics. Times in seconds; ``exact``: the cost is certified optimal;
    ``gap_bound``: proven upper bound on (total cost - optimum), ``None`` if unknown;
    ``cost_step``: the step the costs of big components were rounded to in the final
    solve (0.0: exact costs; the bound covers the rounding)."""

    n_requests: int
    n_volunteers: int
    n_matched: int
    total_cost: float
    n_candidate_edges: int
    n_components: int
    largest_component: int
    prune_k: int | None
    repair_rounds: int
    exact: bool
    gap_bound: float | None
    build_seconds: float
    solve_seconds: float
    cost_step: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class MatchResult:
    """Result of :func:`matching.solve`."""

    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    stats: Stats

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in the CLI output format."""
        return {
            "assignments": [a.to_dict() for a in self.assignments],
            "unmatched": [u.request_id for u in self.unmatched],
            "unmatched_reasons": {str(u.request_id): u.reason for u in self.unmatched},
            "stats": self.stats.to_dict(),
        }

"""Rows -> ``matching`` inputs: one request or volunteer as the engine sees it.

Browsing and picking convert ORM rows here; a round reads bare columns in bulk
(:mod:`marketplace.matches.round_reads`) and builds its requests with
:func:`request_from_values`, so both follow one rule.

Ids given to the engine are database ids: ``HelpRequest.id`` for requests and ``User.id`` of
the volunteer (not the profile id) for volunteers, so results map straight back to rows.
Which pairs are allowed at all is :mod:`marketplace.matches.pair_rules`' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import numpy as np
import sqlalchemy as sa

from marketplace.access import vog_valid_on
from marketplace.carers.burden import burden_levels
from marketplace.carers.respite import RESPITE_SLUG
from marketplace.models import HelpRequest, VolunteerProfile, utcnow
from marketplace.models.requests import weekly_slot
from marketplace.vocabulary import local_today
from matching import SLOTS, RequestInput, VolunteerInput
from matching.arrays import RequestColumns
from matching.model import SLOT_INDEX

Pair = tuple[int, int]
#: Read-only, so every request without earlier helpers can share it.
NO_HELPERS: MappingProxyType[int | str, float] = MappingProxyType({})


def volunteer_input(
    profile: VolunteerProfile, active: int = 0, recent: int = 0, today: date | None = None
) -> VolunteerInput:
    """One volunteer as the engine sees it; capacity is what is left after active matches,
    and a VOG counts only while it is valid on ``today`` (default: today in the Netherlands)."""
    return VolunteerInput(
        id=profile.user_id,
        lat=profile.latitude,
        lon=profile.longitude,
        skills=frozenset(category.slug for category in profile.skills),
        availability=frozenset(s for s in profile.availability or () if s in SLOTS),
        max_km=max(float(profile.max_travel_km), 0.0),
        has_vog=vog_valid_on(profile, today or local_today()),
        has_training=profile.training_verified,
        capacity=max(profile.capacity - active, 0),
        paused=profile.paused,
        recent_matches=recent,
    )


def request_input(
    help_request: HelpRequest, helpers: dict[int, float] | None = None, carer_burden: int = 0
) -> RequestInput:
    """One request as the engine sees it; ``carer_burden`` (0..2) is the requesting carer's
    latest burden level for a respite request (see :func:`carer_burdens`)."""
    category = help_request.category
    return request_from_values(
        help_request.id, help_request.latitude, help_request.longitude,
        category.slug, category.requires_vog, category.requires_training,
        help_request.slot, help_request.urgency,
        help_request.opened_at or help_request.created_at, helpers, carer_burden=carer_burden,
    )


def carer_burdens(rows: Sequence[HelpRequest]) -> dict[int, int]:
    """request id -> burden level (0..2) of the carer asking, for respite requests whose
    requester took an overload check (the cost model's ``carer`` term); others are absent."""
    respite = [row for row in rows if row.category.slug == RESPITE_SLUG]
    levels = burden_levels(row.requester_id for row in respite)
    return {row.id: levels[row.requester_id] for row in respite if row.requester_id in levels}


def candidate_columns(rows: Sequence[sa.Row[Any]]) -> RequestColumns:
    """Rows of :func:`~marketplace.matches.queries.nearby_open_candidates` straight into the
    engine's columns (no object per row), by the same rules as :func:`request_from_values`;
    none has earlier helpers or a carer's burden."""
    now = utcnow()
    columns = dict(zip(rows[0]._fields, zip(*rows, strict=True), strict=True)) if rows else {}

    def column(name: str) -> tuple[Any, ...]:
        return columns.get(name, ())

    slots = map(weekly_slot, column("timing"), column("weekday"), column("part_of_day"),
                column("date_start"))
    return RequestColumns(
        ids=column("id"),
        lat=np.array(column("latitude"), dtype=np.float64),
        lon=np.array(column("longitude"), dtype=np.float64),
        category=column("slug"),
        slot=np.array([SLOT_INDEX.get(slot or "", -1) for slot in slots], dtype=np.int64),
        vog=np.array(column("requires_vog"), dtype=np.bool_),
        training=np.array(column("requires_training"), dtype=np.bool_),
        urgency=np.array([urgency_level(urgency) for urgency in column("urgency")],
                         dtype=np.int64),
        waiting=np.array([waiting_days(opened or created, now) for opened, created in zip(
            column("opened_at"), column("created_at"), strict=True)], dtype=np.float64),
        carer_burden=np.zeros(len(rows), dtype=np.int64),
        helpers=(),
    )


def request_from_values(
    request_id: int, lat: float, lon: float, category: str, requires_vog: bool,
    requires_training: bool, slot: str | None, urgency: int | None,
    started: datetime | None, helpers: dict[int, float] | None, now: datetime | None = None,
    carer_burden: int = 0,
) -> RequestInput:
    return RequestInput(
        id=request_id,
        lat=lat,
        lon=lon,
        category=category,
        slot=slot if slot in SLOTS else None,
        requires_vog=requires_vog,
        requires_training=requires_training,
        urgency=urgency_level(urgency),
        waiting_days=waiting_days(started, now or utcnow()),
        previous_helpers=(MappingProxyType({key: value for key, value in helpers.items()})
                          if helpers else NO_HELPERS),
        carer_burden=min(max(carer_burden, 0), 2),
    )


def urgency_level(urgency: int | None) -> int:
    """The engine's urgency 1..3 of a stored one (unknown: 1)."""
    return min(max(urgency or 1, 1), 3)


def waiting_days(started: datetime | None, now: datetime) -> float:
    """Days from ``started`` (the request opened) to ``now``, at least 0 (unknown: 0)."""
    waiting = (now - started).total_seconds() / 86400 if started else 0.0
    return max(waiting, 0.0)

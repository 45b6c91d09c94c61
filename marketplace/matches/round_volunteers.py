"""The round's volunteers read in bulk, straight into the engine's columns (part of
:mod:`marketplace.matches.round_reads`): no ORM object and no :class:`matching.VolunteerInput`
per volunteer, by the rules of :func:`marketplace.matches.conversion.volunteer_input`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import sqlalchemy as sa

from marketplace.access import vog_expires_on
from marketplace.extensions import db
from marketplace.matches import queries
from marketplace.matches.pair_rules import Household, household_key
from marketplace.models import Category, User, VogStatus, VolunteerProfile, volunteer_skills
from matching import SLOTS
from matching.arrays import BoolArr, IntArr, VolunteerColumns
from matching.model import SLOT_INDEX


def transposed(rows: Sequence[sa.Row[Any]], *names: str) -> list[tuple[Any, ...]]:
    """The named columns of ``rows``, each a tuple (the rows transposed once)."""
    if not rows:
        return [()] * len(names)
    by_name = dict(zip(rows[0]._fields, zip(*rows, strict=True), strict=True))
    return [by_name[name] for name in names]


def _skills() -> tuple[IntArr, list[str]]:
    """(profile id of each volunteer's skill, that skill's category slug), by profile id."""
    slugs = dict(db.session.connection().execute(sa.select(Category.id, Category.slug)).all())
    pairs = db.session.connection().execute(
        sa.select(volunteer_skills.c.volunteer_id, volunteer_skills.c.category_id)
        .order_by(volunteer_skills.c.volunteer_id)
    ).all()
    profiles, categories = zip(*pairs, strict=True) if pairs else ((), ())
    return np.array(profiles, dtype=np.int64), [slugs[c] for c in categories]


def _eligible_rows() -> list[sa.Row[Any]]:
    """Volunteers as :func:`queries.eligible_profiles` selects them (skills aside), by user
    id; ``vog_status_valid`` is the status half of the VOG rule (:func:`_vog_valid`)."""
    query = (
        sa.select(
            VolunteerProfile.id, VolunteerProfile.user_id, VolunteerProfile.latitude,
            VolunteerProfile.longitude, VolunteerProfile.availability,
            VolunteerProfile.max_travel_km,
            (VolunteerProfile.vog_status == VogStatus.VALID).label("vog_status_valid"),
            VolunteerProfile.vog_date, VolunteerProfile.training_verified.label("has_training"),
            VolunteerProfile.capacity, VolunteerProfile.paused, User.address, User.postcode,
        )
        .join(User, VolunteerProfile.user_id == User.id)
        .where(
            VolunteerProfile.paused.is_(False),
            User.active.is_(True),
            User.anonymised_at.is_(None),
        )
        .order_by(VolunteerProfile.user_id)
    )
    rows: list[Any] = list(db.session.connection().execute(query).all())
    return rows


def volunteers(today: date) -> tuple[VolunteerColumns, dict[int, Household | None]]:
    """Eligible volunteers (as :func:`queries.eligible_profiles`: active, unpaused, not
    anonymised, with a skill) as engine columns, by user id (the rules of
    :func:`conversion.volunteer_input`), and each one's home."""
    skill_profiles, skill_names = _skills()
    rows = _eligible_rows()
    has_skill = np.isin(np.array([row.id for row in rows], dtype=np.int64), skill_profiles)
    rows = [row for row, keep in zip(rows, has_skill.tolist(), strict=True) if keep]
    (user_ids, lat, lon, availability, max_km, vog_status_valid, vog_date, training, capacity,
     paused, address, postcode) = transposed(
        rows, "user_id", "latitude", "longitude", "availability", "max_travel_km",
        "vog_status_valid", "vog_date", "has_training", "capacity", "paused", "address",
        "postcode")
    skill_rows, skill_slugs = _skill_rows(rows, skill_profiles, skill_names)
    active, recent = queries.active_match_counts(), queries.recent_match_counts()
    columns = VolunteerColumns(
        ids=user_ids, lat=np.array(lat, dtype=np.float64), lon=np.array(lon, dtype=np.float64),
        skill_rows=skill_rows, skill_names=skill_slugs, avail=_availability(availability),
        max_km=np.maximum(np.array(max_km, dtype=np.float64), 0.0),
        vog=np.array([_vog_valid(bool(status_valid), day, today)
                      for status_valid, day in zip(vog_status_valid, vog_date, strict=True)],
                     dtype=np.bool_),
        training=np.array(training, dtype=np.bool_),
        capacity=np.maximum(np.array(capacity, dtype=np.int64)
                            - np.array([active.get(u, 0) for u in user_ids], dtype=np.int64), 0),
        paused=np.array(paused, dtype=np.bool_),
        recent=np.array([recent.get(u, 0) for u in user_ids], dtype=np.int64),
    )
    return columns, dict(zip(user_ids, map(household_key, address, postcode), strict=True))


def _skill_rows(
    rows: list[sa.Row[Any]], profiles: IntArr, names: list[str]
) -> tuple[IntArr, tuple[str, ...]]:
    """The skills (profile id, slug) of :func:`_skills` that belong to ``rows``, as (row
    number, slug)."""
    row_of = {row.id: number for number, row in enumerate(rows)}
    numbers = [row_of.get(profile_id, -1) for profile_id in profiles.tolist()]
    kept = [(number, name) for number, name in zip(numbers, names, strict=True) if number >= 0]
    return (np.array([number for number, _ in kept], dtype=np.int64),
            tuple(name for _, name in kept))


def _availability(availability: Sequence[list[str] | None]) -> BoolArr:
    """(n, 21) bool: the known slots of each stored availability list (others are ignored)."""
    pairs = [(number, SLOT_INDEX[slot]) for number, slots in enumerate(availability)
             for slot in slots or () if slot in SLOTS]
    avail = np.zeros((len(availability), len(SLOTS)), dtype=np.bool_)
    avail[[number for number, _ in pairs], [slot for _, slot in pairs]] = True
    return avail


def _vog_valid(status_valid: bool, vog_date: date | None, today: date) -> bool:
    """:func:`marketplace.access.vog_valid_on` on bare columns (``status_valid``: the status
    is valid)."""
    return status_valid and vog_date is not None and today < vog_expires_on(vog_date)

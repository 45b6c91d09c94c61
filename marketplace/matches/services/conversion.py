"""ORM rows -> ``matching`` inputs. The only code that builds engine inputs from the database.

Ids given to the engine are database ids: ``HelpRequest.id`` for requests and ``User.id`` of
the volunteer (not the profile id) for volunteers, so results map straight back to rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Category,
    Feedback,
    ForbiddenPair,
    HelpRequest,
    Match,
    MatchStatus,
    RequestStatus,
    Timing,
    User,
    VolunteerProfile,
    utcnow,
)
from marketplace.models.requests import WEEKDAYS, weekly_slot
from matching import SLOTS, RequestInput, VolunteerInput, solve

ACTIVE_MATCH = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)
RECENT_DAYS = 90
Pair = tuple[int, int]


@dataclass(frozen=True)
class RoundInputs:
    """Everything one solve needs; ``request_rows`` keeps the ORM rows by request id."""

    requests: list[RequestInput]
    volunteers: list[VolunteerInput]
    forbidden: list[Pair]
    locked: list[Pair]
    request_rows: dict[int, HelpRequest]


def open_requests(neighbourhood_id: int | None = None) -> list[HelpRequest]:
    """Open requests that volunteers may take (never a category that escalates), oldest first."""
    query = (
        sa.select(HelpRequest)
        .join(Category, HelpRequest.category_id == Category.id)
        .where(HelpRequest.status == RequestStatus.OPEN, Category.escalate.is_(False))
        .order_by(HelpRequest.id)
    )
    if neighbourhood_id is not None:
        query = query.where(HelpRequest.neighbourhood_id == neighbourhood_id)
    return list(db.session.scalars(query).unique())


def nearby_open_candidates(profile: VolunteerProfile) -> list[sa.Row[Any]]:
    """Open requests one volunteer might take, as bare rows (no ORM objects), oldest first.

    A cheap database prefilter: only requests in the volunteer's skills and inside a bounding
    box of their travel distance (the engine applies the exact great-circle rule afterwards).
    Each row has the columns :func:`candidate_input` and :func:`candidate_forbidden` need,
    including ``forbidden_id`` (a stored forbidden pair with this volunteer, or None).
    """
    query = (
        sa.select(
            HelpRequest.id, HelpRequest.latitude, HelpRequest.longitude, HelpRequest.timing,
            HelpRequest.weekday, HelpRequest.part_of_day, HelpRequest.date_start,
            HelpRequest.urgency, HelpRequest.opened_at, HelpRequest.created_at,
            HelpRequest.requester_id, HelpRequest.address, HelpRequest.postcode,
            Category.slug, Category.requires_vog, Category.requires_training,
            User.address.label("requester_address"),
            User.postcode.label("requester_postcode"),
            ForbiddenPair.id.label("forbidden_id"),
        )
        .join(Category, HelpRequest.category_id == Category.id)
        .join(User, HelpRequest.requester_id == User.id)
        .outerjoin(ForbiddenPair, sa.and_(
            ForbiddenPair.help_request_id == HelpRequest.id,
            ForbiddenPair.volunteer_id == profile.user_id,
        ))
        .where(
            HelpRequest.status == RequestStatus.OPEN,
            Category.escalate.is_(False),
            *_near_conditions(profile),
        )
        .order_by(HelpRequest.id)
    )
    return list(db.session.execute(query))


def _near_conditions(profile: VolunteerProfile) -> list[sa.ColumnElement[bool]]:
    # One degree of latitude is at least 110.5 km; add 1% so the box always contains the disc.
    lat_span = profile.max_travel_km / 110.5 * 1.01
    cos_lat = max(math.cos(math.radians(min(abs(profile.latitude) + lat_span, 89.0))), 0.01)
    lon_span = profile.max_travel_km / (111.32 * cos_lat) * 1.01
    return [
        HelpRequest.category_id.in_([category.id for category in profile.skills]),
        HelpRequest.latitude.between(profile.latitude - lat_span, profile.latitude + lat_span),
        HelpRequest.longitude.between(
            profile.longitude - lon_span, profile.longitude + lon_span
        ),
        _fits_availability(profile),
    ]


def _fits_availability(profile: VolunteerProfile) -> sa.ColumnElement[bool]:
    """False only for a request whose weekly slot (as ``weekly_slot`` computes it) is a valid
    slot outside the volunteer's availability; requests without a slot always pass."""
    available = set(profile.availability or ())
    missing: dict[str, list[str]] = {}
    for slot in SLOTS:
        if slot not in available:
            day, part = slot.split("-", 1)
            missing.setdefault(day, []).append(part)
    if not missing:
        return sa.true()
    # Day of the week as SQL counts it (0 = Sunday on PostgreSQL and SQLite alike).
    sql_day = {day: (index + 1) % 7 for index, day in enumerate(WEEKDAYS)}
    weekly = sa.and_(
        HelpRequest.timing == Timing.WEEKLY,
        HelpRequest.weekday.is_not(None),
        sa.or_(*(
            sa.and_(HelpRequest.weekday == day, HelpRequest.part_of_day.in_(parts))
            for day, parts in missing.items()
        )),
    )
    once = sa.and_(
        HelpRequest.timing == Timing.ONCE,
        HelpRequest.date_start.is_not(None),
        sa.or_(*(
            sa.and_(
                sa.extract("dow", HelpRequest.date_start) == sql_day[day],
                HelpRequest.part_of_day.in_(parts),
            )
            for day, parts in missing.items()
        )),
    )
    # Each branch is TRUE or FALSE, never NULL (NULL columns are ruled out first), so NOT
    # keeps every request the engine might still accept.
    return sa.not_(sa.and_(HelpRequest.part_of_day.is_not(None), sa.or_(weekly, once)))


def eligible_profiles() -> list[VolunteerProfile]:
    """Profiles of active, unpaused volunteers with at least one skill."""
    query = (
        sa.select(VolunteerProfile)
        .join(User, VolunteerProfile.user_id == User.id)
        .where(
            VolunteerProfile.paused.is_(False),
            User.active.is_(True),
            User.anonymised_at.is_(None),
        )
        .order_by(VolunteerProfile.user_id)
    )
    return [profile for profile in db.session.scalars(query).unique() if profile.skills]


def _count_by_volunteer(*conditions: sa.ColumnElement[bool]) -> dict[int, int]:
    query = sa.select(Match.volunteer_id, sa.func.count()).where(*conditions)
    return dict(db.session.execute(query.group_by(Match.volunteer_id)).all())


def active_match_counts() -> dict[int, int]:
    """Proposed or accepted matches per volunteer user id (they use up capacity)."""
    return _count_by_volunteer(Match.status.in_(ACTIVE_MATCH))


def recent_match_counts() -> dict[int, int]:
    """Matches per volunteer made in the last 90 days (proposed, accepted or completed)."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    return _count_by_volunteer(
        Match.created_at >= since,
        Match.status.in_((*ACTIVE_MATCH, MatchStatus.COMPLETED)),
    )


def volunteer_input(
    profile: VolunteerProfile, active: int = 0, recent: int = 0
) -> VolunteerInput:
    """One volunteer as the engine sees it; capacity is what is left after active matches."""
    return VolunteerInput(
        id=profile.user_id,
        lat=profile.latitude,
        lon=profile.longitude,
        skills=frozenset(category.slug for category in profile.skills),
        availability=frozenset(s for s in profile.availability or () if s in SLOTS),
        max_km=max(float(profile.max_travel_km), 0.0),
        has_vog=profile.has_vog,
        has_training=profile.training_verified,
        capacity=max(profile.capacity - active, 0),
        paused=profile.paused,
        recent_matches=recent,
    )


def previous_helpers(requests: Sequence[HelpRequest]) -> dict[int, dict[int, float]]:
    """requester id -> {volunteer id: best rating the requester gave} from completed matches."""
    requester_ids = {help_request.requester_id for help_request in requests}
    if not requester_ids:
        return {}
    query = (
        sa.select(HelpRequest.requester_id, Match.volunteer_id, sa.func.max(Feedback.rating))
        .join(Match, Match.help_request_id == HelpRequest.id)
        .join(Feedback, Feedback.match_id == Match.id)
        .where(
            HelpRequest.requester_id.in_(requester_ids),
            Match.status == MatchStatus.COMPLETED,
            Feedback.author_id == HelpRequest.requester_id,
        )
        .group_by(HelpRequest.requester_id, Match.volunteer_id)
    )
    history: dict[int, dict[int, float]] = {}
    for requester_id, volunteer_id, rating in db.session.execute(query):
        history.setdefault(requester_id, {})[volunteer_id] = float(rating)
    return history


def request_input(
    help_request: HelpRequest, helpers: dict[int, float] | None = None
) -> RequestInput:
    """One request as the engine sees it."""
    category = help_request.category
    return _request_input(
        help_request.id, help_request.latitude, help_request.longitude,
        category.slug, category.requires_vog, category.requires_training,
        help_request.slot, help_request.urgency,
        help_request.opened_at or help_request.created_at, helpers,
    )


def candidate_inputs(rows: Sequence[sa.Row[Any]]) -> list[RequestInput]:
    """Rows of :func:`nearby_open_candidates` as the engine sees them (as ``request_input``)."""
    now = utcnow()
    return [
        _request_input(
            row.id, row.latitude, row.longitude, row.slug, row.requires_vog,
            row.requires_training,
            weekly_slot(row.timing, row.weekday, row.part_of_day, row.date_start),
            row.urgency, row.opened_at or row.created_at, None, now,
        )
        for row in rows
    ]


def _request_input(
    request_id: int, lat: float, lon: float, category: str, requires_vog: bool,
    requires_training: bool, slot: str | None, urgency: int | None,
    started: datetime | None, helpers: dict[int, float] | None, now: datetime | None = None,
) -> RequestInput:
    waiting = ((now or utcnow()) - started).total_seconds() / 86400 if started else 0.0
    return RequestInput(
        id=request_id,
        lat=lat,
        lon=lon,
        category=category,
        slot=slot if slot in SLOTS else None,
        requires_vog=requires_vog,
        requires_training=requires_training,
        urgency=min(max(urgency or 1, 1), 3),
        waiting_days=max(waiting, 0.0),
        previous_helpers=MappingProxyType({key: value for key, value in (helpers or {}).items()}),
    )


def household_key(address: str | None, postcode: str | None) -> tuple[str, str] | None:
    if not address or not postcode:
        return None
    return " ".join(address.lower().split()), postcode.replace(" ", "").upper()


def forbidden_pairs(
    requests: Sequence[HelpRequest], profiles: Sequence[VolunteerProfile]
) -> list[Pair]:
    """Stored forbidden pairs plus one-household pairs (same account, or same address)."""
    request_ids = [help_request.id for help_request in requests]
    pairs: set[Pair] = set()
    if request_ids:
        query = sa.select(ForbiddenPair.help_request_id, ForbiddenPair.volunteer_id).where(
            ForbiddenPair.help_request_id.in_(request_ids)
        )
        pairs.update(db.session.execute(query))
    homes: dict[tuple[str, str], set[int]] = {}
    for profile in profiles:
        key = household_key(profile.user.address, profile.user.postcode)
        if key is not None:
            homes.setdefault(key, set()).add(profile.user_id)
    volunteer_ids = {profile.user_id for profile in profiles}
    for help_request in requests:
        if help_request.requester_id in volunteer_ids:
            pairs.add((help_request.id, help_request.requester_id))
        for address, postcode in (
            (help_request.address, help_request.postcode),
            (help_request.requester.address, help_request.requester.postcode),
        ):
            key = household_key(address, postcode)
            if key is not None:
                pairs.update((help_request.id, vid) for vid in homes.get(key, ()))
    # The engine refuses pairs naming a volunteer it was not given.
    return sorted(pair for pair in pairs if pair[1] in volunteer_ids)


def candidate_forbidden(rows: Sequence[sa.Row[Any]], volunteer: User) -> list[Pair]:
    """Forbidden (request id, volunteer id) pairs among rows of :func:`nearby_open_candidates`,
    by the same rules as :func:`forbidden_pairs`: a stored pair, the volunteer's own request,
    or one household (the request's address or its requester's address is the volunteer's)."""
    volunteer_id = volunteer.id
    home = household_key(volunteer.address, volunteer.postcode)
    pairs = []
    for row in rows:
        if (
            row.forbidden_id is not None
            or row.requester_id == volunteer_id
            or (home is not None and home in (
                household_key(row.address, row.postcode),
                household_key(row.requester_address, row.requester_postcode),
            ))
        ):
            pairs.append((row.id, volunteer_id))
    return pairs


def locked_pairs(request_ids: Iterable[int]) -> list[Match]:
    """Locked suggestions (carried from round to round) for the given requests."""
    ids = list(request_ids)
    if not ids:
        return []
    query = sa.select(Match).where(
        Match.help_request_id.in_(ids),
        Match.locked.is_(True),
        Match.status == MatchStatus.SUGGESTED,
    )
    return list(db.session.scalars(query).unique())


def collect_inputs(neighbourhood_id: int | None) -> RoundInputs:
    """Open requests (optionally of one neighbourhood) and all eligible volunteers."""
    rows = open_requests(neighbourhood_id)
    profiles = eligible_profiles()
    active, recent = active_match_counts(), recent_match_counts()
    history = previous_helpers(rows)
    requests = [request_input(row, history.get(row.requester_id)) for row in rows]
    volunteers = [
        volunteer_input(p, active.get(p.user_id, 0), recent.get(p.user_id, 0)) for p in profiles
    ]
    forbidden = forbidden_pairs(rows, profiles)
    locked = valid_locks(requests, volunteers, forbidden, locked_pairs(row.id for row in rows))
    return RoundInputs(requests, volunteers, forbidden, locked, {row.id: row for row in rows})


def pair_reason(
    request: RequestInput, volunteer: VolunteerInput, forbidden: bool = False
) -> str | None:
    """None when the pair obeys every hard rule, else the engine's reason code.

    Capacity is not part of this check (the caller decides about load).
    """
    volunteer = replace(volunteer, capacity=1, paused=False)
    pairs = [(request.id, volunteer.id)] if forbidden else []
    result = solve([request], [volunteer], forbidden=pairs)
    if result.assignments:
        return None
    return result.unmatched[0].reason


def feasible_request_ids(
    requests: Sequence[RequestInput], volunteer: VolunteerInput, forbidden: Sequence[Pair]
) -> set[int]:
    """Ids of the requests this one volunteer could take by the hard rules (capacity aside)."""
    if not requests:
        return set()
    volunteer = replace(volunteer, capacity=1, paused=False)
    result = solve(list(requests), [volunteer], forbidden=list(forbidden))
    taken = {int(a.request_id) for a in result.assignments}
    return taken | {int(u.request_id) for u in result.unmatched if u.feasible_count > 0}


def valid_locks(
    requests: Sequence[RequestInput],
    volunteers: Sequence[VolunteerInput],
    forbidden: Sequence[Pair],
    locks: Sequence[Match],
) -> list[Pair]:
    """Locked pairs that still obey the hard rules and capacities; the others are dropped."""
    by_request = {request.id: request for request in requests}
    by_volunteer = {volunteer.id: volunteer for volunteer in volunteers}
    banned = set(forbidden)
    used: dict[int, int] = {}
    kept: list[Pair] = []
    for match in sorted(locks, key=lambda m: m.id):
        pair = (match.help_request_id, match.volunteer_id)
        request, volunteer = by_request.get(pair[0]), by_volunteer.get(pair[1])
        if request is None or volunteer is None or pair in banned:
            continue
        if any(existing[0] == pair[0] for existing in kept):
            continue
        if used.get(pair[1], 0) >= volunteer.capacity or pair_reason(request, volunteer):
            continue
        used[pair[1]] = used.get(pair[1], 0) + 1
        kept.append(pair)
    return kept

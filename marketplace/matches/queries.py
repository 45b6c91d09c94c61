"""Read queries behind matching: what rounds, browsing and picking load from the database.

Only reads; rows are turned into engine inputs by :mod:`marketplace.matches.conversion`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.matches.lifecycle import HOLDS_CAPACITY
from marketplace.models import (
    Category,
    Feedback,
    ForbiddenPair,
    HelpRequest,
    Match,
    MatchStatus,
    OrganisationReferral,
    RequestStatus,
    Timing,
    User,
    VolunteerProfile,
    utcnow,
)
from marketplace.vocabulary import DAYS, SLOTS, ReferralStatus, local_today
from matching.geo import EARTH_RADIUS_KM

#: Matches made this recently count towards a volunteer's load (spread the work).
RECENT_DAYS = 90


def date_still_ahead(today: Any) -> sa.ColumnElement[bool]:
    """The SQL of ``not requests.rules.date_passed(...)``: weekly help, a request without
    dates, or one whose last day (a one-off's date, a period's end) is ``today`` or later.
    ``today`` is a date or a bind parameter."""
    last_day = sa.func.coalesce(HelpRequest.date_end, HelpRequest.date_start)
    return sa.or_(HelpRequest.timing == Timing.WEEKLY, last_day.is_(None), last_day >= today)


def open_requests(neighbourhood_id: int | None = None) -> list[HelpRequest]:
    """Open requests that volunteers may take (never a category that escalates, never one
    whose date has passed), oldest first."""
    query = (
        sa.select(HelpRequest)
        .join(Category, HelpRequest.category_id == Category.id)
        .where(HelpRequest.status == RequestStatus.OPEN, Category.escalate.is_(False),
               date_still_ahead(local_today()))
        .order_by(HelpRequest.id)
    )
    if neighbourhood_id is not None:
        query = query.where(HelpRequest.neighbourhood_id == neighbourhood_id)
    return list(db.session.scalars(query).unique())


def nearby_open_candidates(
    profile: VolunteerProfile, limit: int | None = None
) -> list[sa.Row[Any]]:
    """Open requests one volunteer might take, as bare rows (no ORM objects), nearest first
    (at most ``limit``).

    A cheap database prefilter: only requests in the volunteer's skills and within a little
    more than their travel distance (the engine applies the exact great-circle rule
    afterwards). "Nearest" is measured on a flat map around the volunteer, which differs from
    the great-circle distance by well under 1 % at a region's scale; at equal distance (one
    postcode), the oldest first.
    Each row has the columns :func:`~marketplace.matches.conversion.candidate_columns` and
    :func:`~marketplace.matches.pair_rules.candidate_forbidden` need, including
    ``forbidden_id`` (a stored forbidden pair with this volunteer, or None).
    """
    lat_span, lon_span = _box_spans(profile)
    radius = profile.max_travel_km / KM_PER_DEGREE * 1.02
    available = set(profile.availability or ())
    parameters = {
        "volunteer_id": profile.user_id,
        "skills": [category.id for category in profile.skills],
        "latitude": profile.latitude, "longitude": profile.longitude,
        "cos_latitude": math.cos(math.radians(profile.latitude)),
        "lat_low": profile.latitude - lat_span, "lat_high": profile.latitude + lat_span,
        "lon_low": profile.longitude - lon_span, "lon_high": profile.longitude + lon_span,
        "radius_squared": radius * radius,
        "missing_slots": [slot for slot in SLOTS if slot not in available],
        "row_limit": limit if limit is not None else 2**31 - 1,
        "today": local_today(),
    }
    # Bare rows straight from the connection: the session's execute would pass ~480 rows
    # through the ORM's result machinery for nothing. It does not autoflush as the session
    # does, so pending changes are flushed first (as in round_reads).
    db.session.flush()
    rows: list[Any] = list(db.session.connection().execute(_candidates(), parameters).all())
    return rows


@functools.cache
def _candidates() -> sa.Executable:
    """The statement behind :func:`nearby_open_candidates`, built once: every volunteer's
    values are parameters, so SQLAlchemy neither rebuilds nor re-keys it per page and
    PostgreSQL plans it once per connection (one text per number of skills and slots)."""
    north = HelpRequest.latitude - sa.bindparam("latitude")
    east = (HelpRequest.longitude - sa.bindparam("longitude")) * sa.bindparam("cos_latitude")
    flat_distance = north * north + east * east  # squared degrees on a flat map
    # The nearest first, from the requests alone; only those few are then joined to their
    # requester and to a forbidden pair (neither leaves a row out), instead of every request
    # within reach: a fifth of the statement's time in PostgreSQL.
    near = (
        sa.select(
            HelpRequest.id, HelpRequest.latitude, HelpRequest.longitude, HelpRequest.timing,
            HelpRequest.weekday, HelpRequest.part_of_day, HelpRequest.date_start,
            HelpRequest.urgency, HelpRequest.opened_at, HelpRequest.created_at,
            HelpRequest.requester_id, HelpRequest.address, HelpRequest.postcode,
            Category.slug, Category.requires_vog, Category.requires_training,
            flat_distance.label("flat_distance"),
        )
        .join(Category, HelpRequest.category_id == Category.id)
        .where(
            HelpRequest.status == RequestStatus.OPEN,
            Category.escalate.is_(False),
            date_still_ahead(sa.bindparam("today")),
            ~_waiting_for_organisation(),
            HelpRequest.category_id.in_(sa.bindparam("skills", expanding=True)),
            # A box around the travel distance (the indexes' part), then the disc itself on
            # the flat map with a 2 % margin for its error: never leaves out a request the
            # engine would accept.
            HelpRequest.latitude.between(sa.bindparam("lat_low"), sa.bindparam("lat_high")),
            HelpRequest.longitude.between(sa.bindparam("lon_low"), sa.bindparam("lon_high")),
            flat_distance <= sa.bindparam("radius_squared"),
            # Not a weekly slot outside the volunteer's free moments (none: always passes).
            sa.or_(_slot().is_(None),
                   _slot().not_in(sa.bindparam("missing_slots", expanding=True))),
        )
        .order_by(flat_distance, HelpRequest.id)
        .limit(sa.bindparam("row_limit"))
        .subquery("near")
    )
    return (
        sa.select(
            *(column for column in near.c if column.name != "flat_distance"),
            User.address.label("requester_address"),
            User.postcode.label("requester_postcode"),
            ForbiddenPair.id.label("forbidden_id"),
        )
        .select_from(near)
        .join(User, near.c.requester_id == User.id)
        .outerjoin(ForbiddenPair, sa.and_(
            ForbiddenPair.help_request_id == near.c.id,
            ForbiddenPair.volunteer_id == sa.bindparam("volunteer_id"),
        ))
        .order_by(near.c.flat_distance, near.c.id)
    )


def _slot() -> sa.ColumnElement[str | None]:
    """The request's weekly slot code ("mon-morning") in SQL, as ``weekly_slot`` computes
    it in Python; NULL when it has none."""
    # Day of the week as SQL counts it (0 = Sunday on PostgreSQL and SQLite alike).
    day_of_date = sa.case(
        {(index + 1) % 7: day for index, day in enumerate(DAYS)},
        value=sa.cast(sa.extract("dow", HelpRequest.date_start), sa.Integer),
    )
    return sa.case(
        (sa.and_(HelpRequest.timing == Timing.WEEKLY, HelpRequest.weekday.is_not(None)),
         HelpRequest.weekday + "-" + HelpRequest.part_of_day),
        (sa.and_(HelpRequest.timing == Timing.ONCE, HelpRequest.date_start.is_not(None)),
         day_of_date + "-" + HelpRequest.part_of_day),
        else_=sa.null(),
    )


def _waiting_for_organisation() -> sa.Exists:
    """The request waits for a partner organisation's answer (not for volunteers meanwhile)."""
    return sa.exists().where(
        OrganisationReferral.help_request_id == HelpRequest.id,
        OrganisationReferral.status == ReferralStatus.ROUTED,
    )


def waits_for_organisation(help_request_id: int) -> bool:
    """True while the request waits for a partner organisation's answer."""
    return bool(db.session.scalar(
        sa.select(OrganisationReferral.id).where(
            OrganisationReferral.help_request_id == help_request_id,
            OrganisationReferral.status == ReferralStatus.ROUTED,
        ).limit(1)
    ))


def _box_spans(profile: VolunteerProfile) -> tuple[float, float]:
    """Half the height and width, in degrees, of a box that always contains the disc of the
    volunteer's travel distance."""
    # One degree of latitude is at least 110.5 km; add 1% so the box always contains the disc.
    lat_span = profile.max_travel_km / 110.5 * 1.01
    cos_lat = max(math.cos(math.radians(min(abs(profile.latitude) + lat_span, 89.0))), 0.01)
    lon_span = profile.max_travel_km / (111.32 * cos_lat) * 1.01
    return lat_span, lon_span


#: Kilometres per degree of a great circle (the engine's earth radius).
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


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
    return _count_by_volunteer(Match.status.in_(HOLDS_CAPACITY))


def active_match_count(volunteer_id: int) -> int:
    """Proposed or accepted matches of one volunteer."""
    return _count_by_volunteer(
        Match.volunteer_id == volunteer_id, Match.status.in_(HOLDS_CAPACITY)
    ).get(volunteer_id, 0)


def recent_match_counts() -> dict[int, int]:
    """Matches per volunteer made in the last 90 days (proposed, accepted or completed)."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    return _count_by_volunteer(
        Match.created_at >= since,
        Match.status.in_((*HOLDS_CAPACITY, MatchStatus.COMPLETED)),
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


def stored_forbidden_pairs(request_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(request id, volunteer id) pairs a coordinator or a decline forbade."""
    if not request_ids:
        return set()
    query = sa.select(ForbiddenPair.help_request_id, ForbiddenPair.volunteer_id).where(
        ForbiddenPair.help_request_id.in_(list(request_ids))
    )
    return {(int(r), int(v)) for r, v in db.session.execute(query)}


def is_stored_forbidden(help_request_id: int, volunteer_id: int) -> bool:
    found = db.session.scalar(
        sa.select(ForbiddenPair.id).where(
            ForbiddenPair.help_request_id == help_request_id,
            ForbiddenPair.volunteer_id == volunteer_id,
        )
    )
    return found is not None


def suggestions_for(request_ids: Iterable[int], locked_only: bool = False) -> list[Match]:
    """Suggestions (not yet sent) for the given requests; only the locked ones if asked."""
    ids = list(request_ids)
    if not ids:
        return []
    query = sa.select(Match).where(
        Match.help_request_id.in_(ids), Match.status == MatchStatus.SUGGESTED
    )
    if locked_only:
        query = query.where(Match.locked.is_(True))
    return list(db.session.scalars(query.order_by(Match.id)).unique())

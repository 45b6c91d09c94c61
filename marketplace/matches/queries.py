"""Read queries behind matching: what rounds, browsing and picking load from the database.

Only reads; rows are turned into engine inputs by :mod:`marketplace.matches.conversion`.
"""

from __future__ import annotations

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
from marketplace.vocabulary import DAYS, SLOTS, ReferralStatus

#: Matches made this recently count towards a volunteer's load (spread the work).
RECENT_DAYS = 90


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
    Each row has the columns :func:`~marketplace.matches.conversion.candidate_columns` and
    :func:`~marketplace.matches.pair_rules.candidate_forbidden` need, including
    ``forbidden_id`` (a stored forbidden pair with this volunteer, or None).
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
            ~_waiting_for_organisation(),
            *_near_conditions(profile),
        )
        .order_by(HelpRequest.id)
    )
    # Bare rows straight from the connection: the session's execute would pass ~480 rows
    # through the ORM's result machinery for nothing. It does not autoflush as the session
    # does, so pending changes are flushed first (as in round_reads).
    db.session.flush()
    rows: list[Any] = list(db.session.connection().execute(query).all())
    return rows


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
    sql_day = {day: (index + 1) % 7 for index, day in enumerate(DAYS)}
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

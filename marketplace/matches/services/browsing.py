"""What a volunteer sees: their own matches and the open requests they could take."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.geo import distance_km
from marketplace.matches.services.conversion import (
    feasible_request_ids,
    forbidden_pairs,
    open_requests,
    request_input,
    volunteer_input,
)
from marketplace.models import HelpRequest, Match, MatchStatus, User


@dataclass(frozen=True)
class OpenRequest:
    """An open request as a volunteer may see it before helping: no address, no phone."""

    help_request: HelpRequest
    rough_km: float  # rounded to half a kilometre


@dataclass(frozen=True)
class VolunteerMatches:
    proposed: list[Match]
    accepted: list[Match]
    completed: list[Match]


def my_matches(volunteer: User) -> VolunteerMatches:
    """The volunteer's proposals (to answer), accepted matches and completed ones."""
    query = (
        sa.select(Match)
        .where(
            Match.volunteer_id == volunteer.id,
            Match.status.in_(
                (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.COMPLETED)
            ),
        )
        .order_by(Match.id.desc())
    )
    matches = list(db.session.scalars(query).unique())
    return VolunteerMatches(
        proposed=[m for m in matches if m.status == MatchStatus.PROPOSED],
        accepted=[m for m in matches if m.status == MatchStatus.ACCEPTED],
        completed=[m for m in matches if m.status == MatchStatus.COMPLETED],
    )


def open_requests_for(volunteer: User, limit: int = 50) -> list[OpenRequest]:
    """Open requests this volunteer could take by the hard rules, nearest first."""
    profile = volunteer.volunteer_profile
    if profile is None:
        return []
    rows = open_requests(near=profile)
    inputs = [request_input(row) for row in rows]
    forbidden = forbidden_pairs(rows, [profile])
    feasible = feasible_request_ids(inputs, volunteer_input(profile), forbidden)
    here = (profile.latitude, profile.longitude)
    found = [
        OpenRequest(row, round(distance_km((row.latitude, row.longitude), here) * 2) / 2)
        for row in rows
        if row.id in feasible
    ]
    found.sort(key=lambda item: (item.rough_km, item.help_request.id))
    return found[:limit]

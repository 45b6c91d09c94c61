"""What a volunteer sees: their own matches and the open requests they could take."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.matches.conversion import candidate_columns, volunteer_input
from marketplace.matches.lifecycle import SHOWN_TO_PARTIES
from marketplace.matches.pair_rules import candidate_forbidden, feasible_candidate_ids
from marketplace.matches.queries import nearby_open_candidates
from marketplace.models import (
    HelpRequest,
    Match,
    MatchStatus,
    RequestStatus,
    User,
    VolunteerProfile,
)
from matching.geo import haversine_km


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
    matches = list(db.session.scalars(_matches_of_volunteer(),
                                      {"volunteer_id": volunteer.id}).unique())
    return VolunteerMatches(
        proposed=[m for m in matches if m.status == MatchStatus.PROPOSED],
        accepted=[m for m in matches if m.status == MatchStatus.ACCEPTED],
        completed=[m for m in matches if m.status == MatchStatus.COMPLETED],
    )


@cache
def _matches_of_volunteer() -> sa.Select[Match]:
    """A volunteer's matches, newest first, built once (a volunteer's most asked page). The
    volunteer is the viewer, already loaded: not joined again per match; nor the resident's
    neighbourhood (the card names the request's)."""
    return (
        sa.select(Match)
        .where(Match.volunteer_id == sa.bindparam("volunteer_id"),
               Match.status.in_(SHOWN_TO_PARTIES))
        .order_by(Match.id.desc())
        .options(sa.orm.lazyload(Match.volunteer),
                 sa.orm.joinedload(Match.help_request).joinedload(HelpRequest.requester)
                 .lazyload(User.neighbourhood))
    )


#: Cards on the open-requests page at first and per "show more" (a phone shows about two
#: cards per screen; rendering fifty cost a third of the page's time under load).
PAGE_SIZE = 20
#: At most this many cards on one page, however often "show more" was pressed.
MAX_SHOWN = 200


@dataclass(frozen=True)
class OpenPage:
    """The ``len(items)`` nearest open requests this volunteer could take, and how many
    there are in all (``total``; None when more were left unread than shown)."""

    items: list[OpenRequest]
    total: int | None

    @property
    def more(self) -> bool:
        limit = MAX_SHOWN if self.total is None else min(self.total, MAX_SHOWN)
        return len(self.items) < limit


def open_requests_for(volunteer: User, limit: int = 50) -> list[OpenRequest]:
    """Open requests this volunteer could take by the hard rules, nearest first (at most
    ``limit``)."""
    return open_page(volunteer, limit).items


def open_page(volunteer: User, shown: int = PAGE_SIZE) -> OpenPage:
    """The ``shown`` nearest open requests this volunteer could take by the hard rules, and
    how many there are in all when that is known without reading them all.

    The database hands the candidates over nearest first (the oldest first at equal
    distance), a few more than are shown; the engine checks those (bare rows, cheap), and
    four times as many are read when its rules left too few. The cards are the same as when
    every candidate is read, but a volunteer with hundreds of requests around them costs a
    page of 50 rows. Only the requests shown
    are loaded as ORM objects; one taken by someone else in between is left out (picking it
    would be refused anyway).
    """
    profile = _profile_with_skills(volunteer)
    if profile is None:
        return OpenPage([], 0)
    shown = max(shown, 0)
    read = 2 * shown + 10
    while True:
        rows = nearby_open_candidates(profile, limit=read)
        ranked = _ranked(rows, profile, volunteer)
        everything = len(rows) < read
        if everything or len(ranked) > shown:
            break
        read *= 4
    nearest = ranked[:shown]
    cards = _open_by_id([request_id for _km, request_id in nearest])
    items = [OpenRequest(cards[request_id], round(km * 2) / 2)
             for km, request_id in nearest if request_id in cards]
    total = len(ranked) - (len(nearest) - len(items)) if everything else None
    return OpenPage(items, total)


def _profile_with_skills(volunteer: User) -> VolunteerProfile | None:
    """The volunteer's profile and skills in one statement (as the relationship loads them:
    two), kept on the account for the rest of the page."""
    state: sa.orm.InstanceState[User] = sa.inspect(volunteer)
    if "volunteer_profile" in state.dict or state.session is None:
        return volunteer.volunteer_profile
    profile = db.session.scalars(_profile_of_volunteer(), {"user_id": volunteer.id}
                                 ).unique().one_or_none()
    sa.orm.attributes.set_committed_value(volunteer, "volunteer_profile", profile)
    return profile


@cache
def _profile_of_volunteer() -> sa.Select[VolunteerProfile]:
    return (
        sa.select(VolunteerProfile)
        .where(VolunteerProfile.user_id == sa.bindparam("user_id"))
        .options(sa.orm.joinedload(VolunteerProfile.skills),
                 sa.orm.lazyload(VolunteerProfile.user))  # the volunteer, loaded
    )


def _ranked(
    rows: list[Any], profile: VolunteerProfile, volunteer: User
) -> list[tuple[float, int]]:
    """(km, request id) of the candidate ``rows`` the volunteer could take by the engine's
    hard rules, in the rows' order (nearest first, as the database sorts them)."""
    feasible = feasible_candidate_ids(
        candidate_columns(rows), volunteer_input(profile), candidate_forbidden(rows, volunteer)
    )
    kept = [row for row in rows if row.id in feasible]
    km = haversine_km([row.latitude for row in kept], [row.longitude for row in kept],
                      profile.latitude, profile.longitude)  # one array, not a call per row
    return [(float(distance), row.id) for distance, row in zip(km, kept, strict=True)]


def _open_by_id(request_ids: list[int]) -> dict[int, HelpRequest]:
    if not request_ids:
        return {}
    return {row.id: row
            for row in db.session.scalars(_open_requests_by_id(), {"ids": request_ids}).unique()}


@cache
def _open_requests_by_id() -> sa.Select[HelpRequest]:
    # The card shows the request, never who asked: do not join the requester (and, through
    # the account, its roles) for each of the fifty.
    return (
        sa.select(HelpRequest)
        .options(sa.orm.lazyload(HelpRequest.requester))
        .where(HelpRequest.id.in_(sa.bindparam("ids", expanding=True)),
               HelpRequest.status == RequestStatus.OPEN)
    )

"""What a volunteer sees: their own matches and the open requests they could take."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.matches.conversion import candidate_columns, volunteer_input
from marketplace.matches.lifecycle import SHOWN_TO_PARTIES
from marketplace.matches.pair_rules import candidate_forbidden, feasible_candidate_ids
from marketplace.matches.queries import nearby_open_candidates
from marketplace.models import HelpRequest, Match, MatchStatus, RequestStatus, User
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
    query = (
        sa.select(Match)
        .where(
            Match.volunteer_id == volunteer.id,
            Match.status.in_(SHOWN_TO_PARTIES),
        )
        .order_by(Match.id.desc())
    )
    matches = list(db.session.scalars(query).unique())
    return VolunteerMatches(
        proposed=[m for m in matches if m.status == MatchStatus.PROPOSED],
        accepted=[m for m in matches if m.status == MatchStatus.ACCEPTED],
        completed=[m for m in matches if m.status == MatchStatus.COMPLETED],
    )


#: Cards on the open-requests page at first and per "show more" (a phone shows about two
#: cards per screen; rendering fifty cost a third of the page's time under load).
PAGE_SIZE = 20
#: At most this many cards on one page, however often "show more" was pressed.
MAX_SHOWN = 200


@dataclass(frozen=True)
class OpenPage:
    """The first ``len(items)`` of the ``total`` open requests this volunteer could take."""

    items: list[OpenRequest]
    total: int

    @property
    def more(self) -> bool:
        return len(self.items) < min(self.total, MAX_SHOWN)


def open_requests_for(volunteer: User, limit: int = 50) -> list[OpenRequest]:
    """Open requests this volunteer could take by the hard rules, nearest first (at most
    ``limit``)."""
    return open_page(volunteer, limit).items


def open_page(volunteer: User, shown: int = PAGE_SIZE) -> OpenPage:
    """The ``shown`` nearest open requests this volunteer could take by the hard rules, and
    how many there are in all.

    The engine checks every candidate the database prefilter returns (bare rows, cheap);
    only the requests shown are loaded as ORM objects. A request taken by someone else in
    between is left out (picking it would be refused anyway).
    """
    ranked = _ranked(volunteer)
    nearest = ranked[:max(shown, 0)]
    cards = _open_by_id([request_id for _km, request_id in nearest])
    items = [OpenRequest(cards[request_id], rough_km)
             for rough_km, request_id in nearest if request_id in cards]
    return OpenPage(items, len(ranked) - (len(nearest) - len(items)))


def _ranked(volunteer: User) -> list[tuple[float, int]]:
    """(rough km, request id) of every open request the volunteer could take, nearest
    first."""
    profile = volunteer.volunteer_profile
    if profile is None:
        return []
    rows = nearby_open_candidates(profile)
    feasible = feasible_candidate_ids(
        candidate_columns(rows), volunteer_input(profile), candidate_forbidden(rows, volunteer)
    )
    kept = [row for row in rows if row.id in feasible]
    km = haversine_km([row.latitude for row in kept], [row.longitude for row in kept],
                      profile.latitude, profile.longitude)  # one array, not a call per row
    return sorted(
        (float(rough), row.id) for rough, row in zip(np.round(km * 2) / 2, kept, strict=True)
    )


def _open_by_id(request_ids: list[int]) -> dict[int, HelpRequest]:
    if not request_ids:
        return {}
    # The card shows the request, never who asked: do not join the requester (and, through
    # the account, its roles) for each of the fifty.
    query = (
        sa.select(HelpRequest)
        .options(sa.orm.lazyload(HelpRequest.requester))
        .where(HelpRequest.id.in_(request_ids), HelpRequest.status == RequestStatus.OPEN)
    )
    return {row.id: row for row in db.session.scalars(query).unique()}

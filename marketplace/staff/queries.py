"""Read-only lists and counts for the back office, filtered by neighbourhood (wijk)."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import HelpRequest, Neighbourhood, RequestStatus, VolunteerProfile

MODERATION = (RequestStatus.SUBMITTED, RequestStatus.NEEDS_INFO)


def neighbourhoods() -> list[Neighbourhood]:
    return list(db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)))


def moderation_queue(neighbourhood_id: int | None) -> list[HelpRequest]:
    """Submitted and needs-info requests, oldest first; all wijken when the id is None."""
    return requests_list(neighbourhood_id, MODERATION, oldest_first=True)


def requests_list(
    neighbourhood_id: int | None,
    statuses: tuple[RequestStatus, ...] | None = None,
    oldest_first: bool = False,
    limit: int = 500,
) -> list[HelpRequest]:
    """Requests filtered by wijk and status (``None`` means no filter)."""
    query = sa.select(HelpRequest)
    if neighbourhood_id is not None:
        query = query.where(HelpRequest.neighbourhood_id == neighbourhood_id)
    if statuses:
        query = query.where(HelpRequest.status.in_(statuses))
    order = HelpRequest.created_at.asc() if oldest_first else HelpRequest.created_at.desc()
    return list(db.session.scalars(query.order_by(order, HelpRequest.id).limit(limit)))


def status_counts(neighbourhood_id: int | None = None) -> dict[RequestStatus, int]:
    """How many requests are in each status (every status present, zero when none)."""
    query = sa.select(HelpRequest.status, sa.func.count()).group_by(HelpRequest.status)
    if neighbourhood_id is not None:
        query = query.where(HelpRequest.neighbourhood_id == neighbourhood_id)
    found = Counter({RequestStatus(status): count for status, count in db.session.execute(query)})
    return {status: found.get(status, 0) for status in RequestStatus}


def counts_per_neighbourhood() -> list[tuple[Neighbourhood | None, int, int]]:
    """``(wijk, requests waiting for moderation, open requests)`` per wijk, plus "no wijk"."""
    query = sa.select(
        HelpRequest.neighbourhood_id, HelpRequest.status, sa.func.count()
    ).group_by(HelpRequest.neighbourhood_id, HelpRequest.status)
    waiting: Counter[int | None] = Counter()
    open_: Counter[int | None] = Counter()
    for neighbourhood_id, status, count in db.session.execute(query):
        if status in MODERATION:
            waiting[neighbourhood_id] += count
        elif status == RequestStatus.OPEN:
            open_[neighbourhood_id] += count
    rows: list[tuple[Neighbourhood | None, int, int]] = [
        (wijk, waiting[wijk.id], open_[wijk.id]) for wijk in neighbourhoods()
    ]
    if waiting[None] or open_[None]:
        rows.append((None, waiting[None], open_[None]))
    return rows


def volunteers_list(neighbourhood_id: int | None, pending_only: bool) -> list[VolunteerProfile]:
    """Volunteer profiles, unverified first and oldest first."""
    query = sa.select(VolunteerProfile)
    if neighbourhood_id is not None:
        query = query.where(VolunteerProfile.neighbourhood_id == neighbourhood_id)
    if pending_only:
        query = query.where(VolunteerProfile.verified_at.is_(None))
    query = query.order_by(VolunteerProfile.verified_at.is_not(None),
                           VolunteerProfile.created_at, VolunteerProfile.id)
    return list(db.session.scalars(query))

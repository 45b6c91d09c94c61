"""Read-only lists and counts for the back office, filtered by neighbourhood."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import HelpRequest, Neighbourhood, RequestStatus, VolunteerProfile

MODERATION = (RequestStatus.SUBMITTED, RequestStatus.NEEDS_INFO)
PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, its number (from 1), how many pages and rows in all."""

    items: list[HelpRequest]
    number: int
    pages: int
    total: int


def neighbourhoods() -> list[Neighbourhood]:
    return list(db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)))


def moderation_queue(neighbourhood_id: int | None, page: int = 1) -> Page:
    """Submitted and needs-info requests, oldest first; every neighbourhood when the id is
    None."""
    return requests_list(neighbourhood_id, MODERATION, oldest_first=True, page=page)


def requests_list(
    neighbourhood_id: int | None,
    statuses: tuple[RequestStatus, ...] | None = None,
    oldest_first: bool = False,
    page: int = 1,
) -> Page:
    """One page of requests filtered by neighbourhood and status (``None``: no filter).

    A page number past the end gives the last page.
    """
    conditions = []
    if neighbourhood_id is not None:
        conditions.append(HelpRequest.neighbourhood_id == neighbourhood_id)
    if statuses:
        conditions.append(HelpRequest.status.in_(statuses))
    total = db.session.scalar(sa.select(sa.func.count(HelpRequest.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(page, 1), pages)
    order = HelpRequest.created_at.asc() if oldest_first else HelpRequest.created_at.desc()
    query = (
        sa.select(HelpRequest).where(*conditions).order_by(order, HelpRequest.id)
        .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )
    return Page(list(db.session.scalars(query)), number, pages, total)


def status_counts(neighbourhood_id: int | None = None) -> dict[RequestStatus, int]:
    """How many requests are in each status (every status present, zero when none)."""
    query = sa.select(HelpRequest.status, sa.func.count()).group_by(HelpRequest.status)
    if neighbourhood_id is not None:
        query = query.where(HelpRequest.neighbourhood_id == neighbourhood_id)
    found = Counter({RequestStatus(status): count for status, count in db.session.execute(query)})
    return {status: found.get(status, 0) for status in RequestStatus}


def counts_per_neighbourhood() -> list[tuple[Neighbourhood | None, int, int]]:
    """``(neighbourhood, requests waiting for moderation, open requests)`` per neighbourhood,
    plus a row ``None`` for requests outside every neighbourhood."""
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
        (item, waiting[item.id], open_[item.id]) for item in neighbourhoods()
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

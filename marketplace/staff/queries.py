"""Read-only lists and counts for the back office, filtered by neighbourhood."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Category,
    HelpRequest,
    Neighbourhood,
    RequestStatus,
    User,
    VolunteerProfile,
)
from marketplace.models.volunteers import volunteer_skills
from marketplace.staff import search

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


#: (neighbourhood id, status) -> requests
Grouped = dict[tuple[int | None, RequestStatus], int]


def grouped_counts() -> Grouped:
    """Requests per neighbourhood and status, in one statement (the dashboard's figures)."""
    query = sa.select(
        HelpRequest.neighbourhood_id, HelpRequest.status, sa.func.count()
    ).group_by(HelpRequest.neighbourhood_id, HelpRequest.status)
    return {(neighbourhood_id, RequestStatus(status)): count
            for neighbourhood_id, status, count in db.session.execute(query)}


def status_totals(grouped: Grouped) -> dict[RequestStatus, int]:
    """How many requests are in each status (every status present, zero when none), from
    :func:`grouped_counts`."""
    found: Counter[RequestStatus] = Counter()
    for (_neighbourhood_id, status), count in grouped.items():
        found[status] += count
    return {status: found.get(status, 0) for status in RequestStatus}


def counts_per_neighbourhood(
    grouped: Grouped | None = None,
) -> list[tuple[Neighbourhood | None, int, int]]:
    """``(neighbourhood, requests waiting for moderation, open requests)`` per neighbourhood,
    plus a row ``None`` for requests outside every neighbourhood."""
    waiting: Counter[int | None] = Counter()
    open_: Counter[int | None] = Counter()
    for (neighbourhood_id, status), count in (grouped_counts() if grouped is None
                                              else grouped).items():
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


def request_count(statuses: tuple[RequestStatus, ...] | None = None) -> int:
    """How many requests there are in ``statuses`` (``None``: every status), in every
    neighbourhood: the total a filtered list is "shown of"."""
    query = sa.select(sa.func.count(HelpRequest.id))
    if statuses:
        query = query.where(HelpRequest.status.in_(statuses))
    return db.session.scalar(query) or 0


def volunteer_count() -> int:
    """How many volunteer profiles there are, in every neighbourhood."""
    return db.session.scalar(sa.select(sa.func.count(VolunteerProfile.id))) or 0


def _volunteer_matches(word: str) -> sa.ColumnElement[bool]:
    """A volunteer whose name, neighbourhood or one of whose skills contains ``word``
    (folded: lower case, no accents)."""
    skill = sa.exists().where(
        volunteer_skills.c.volunteer_id == VolunteerProfile.id,
        volunteer_skills.c.category_id == Category.id,
        sa.or_(search.folded(Category.name_nl).contains(word, autoescape=True),
               search.folded(Category.name_en).contains(word, autoescape=True)),
    )
    neighbourhood = sa.exists().where(
        Neighbourhood.id == VolunteerProfile.neighbourhood_id,
        search.folded(Neighbourhood.name).contains(word, autoescape=True),
    )
    name = sa.exists().where(
        User.id == VolunteerProfile.user_id,
        search.folded(User.name).contains(word, autoescape=True),
    )
    return sa.or_(name, skill, neighbourhood)


def volunteers_list(
    neighbourhood_id: int | None, pending_only: bool, text: str = ""
) -> list[VolunteerProfile]:
    """Volunteer profiles, unverified first and oldest first; with ``text``, only those whose
    name, skills or neighbourhood hold every word of it."""
    query = sa.select(VolunteerProfile)
    if neighbourhood_id is not None:
        query = query.where(VolunteerProfile.neighbourhood_id == neighbourhood_id)
    if pending_only:
        query = query.where(VolunteerProfile.verified_at.is_(None))
    for word in search.fold(text).split():
        query = query.where(_volunteer_matches(word))
    query = query.order_by(VolunteerProfile.verified_at.is_not(None),
                           VolunteerProfile.created_at, VolunteerProfile.id)
    return list(db.session.scalars(query))


def requests_of(person: User) -> dict[str, list[HelpRequest]]:
    """A person's own requests (``own``) and those they filed for someone else (``filed``),
    newest first."""
    newest = (HelpRequest.created_at.desc(), HelpRequest.id.desc())
    own = db.session.scalars(
        sa.select(HelpRequest).where(HelpRequest.requester_id == person.id).order_by(*newest)
    ).unique()
    filed = db.session.scalars(
        sa.select(HelpRequest)
        .where(HelpRequest.created_by_id == person.id, HelpRequest.requester_id != person.id)
        .order_by(*newest)
    ).unique()
    return {"own_requests": list(own), "filed_requests": list(filed)}

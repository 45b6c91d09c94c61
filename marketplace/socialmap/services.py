"""The public side of the sociale kaart: finding services, and suggesting a correction.

Only services that are active (or temporarily closed) of an active organisation are public;
the HSDS API lists inactive ones too.
Maintenance by the organisations is in :mod:`marketplace.socialmap.maintenance`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import audit
from marketplace.errors import FieldError, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import (
    Neighbourhood,
    Organisation,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Suggestion,
    TaxonomyTerm,
)
from marketplace.models.socialmap import fold, service_taxonomy_terms

PUBLIC_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
#: The HSDS API also lists inactive services (with that status), so a site that copied one
#: can take it down; defunct ones are gone.
PUBLISHED_STATUSES = (*PUBLIC_STATUSES, ServiceStatus.INACTIVE)
PER_PAGE = 10
MAX_WORDS = 100
MAX_SUGGESTION = 2000


@dataclass(frozen=True)
class Page:
    """One page of services: its rows, its number (from 1), how many pages and rows in all."""

    items: list[Service]
    number: int
    pages: int
    total: int


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def public_services(statuses: tuple[ServiceStatus, ...] = PUBLIC_STATUSES) -> sa.Select[Service]:
    """Every service a visitor may see (of ``statuses``, of an active organisation), by
    name."""
    return (
        sa.select(Service)
        .join(Service.organisation)
        .where(Service.status.in_(statuses), Organisation.active.is_(True))
        .order_by(Service.name, Service.id)
    )


def published_services() -> sa.Select[Service]:
    """Every service the HSDS API lists: the public ones and the inactive ones."""
    return public_services(PUBLISHED_STATUSES)


def filtered(
    query: sa.Select[Service],
    words: str = "",
    term_id: int | None = None,
    neighbourhood_id: int | None = None,
) -> sa.Select[Service]:
    """``query`` narrowed to services whose name, description or organisation hold every
    word (case and accents ignored), that carry the term, and that serve the neighbourhood
    (a service without areas serves the whole municipality)."""
    for word in fold(words[:MAX_WORDS]).split():
        query = query.where(Service.search_text.like(_like(word), escape="\\"))
    if term_id is not None:
        query = query.where(Service.id.in_(
            sa.select(service_taxonomy_terms.c.service_id)
            .where(service_taxonomy_terms.c.taxonomy_term_id == term_id)
        ))
    if neighbourhood_id is not None:
        has_areas = sa.exists().where(ServiceArea.service_id == Service.id)
        serves = sa.exists().where(ServiceArea.service_id == Service.id,
                                   ServiceArea.neighbourhood_id == neighbourhood_id)
        query = query.where(sa.or_(serves, ~has_areas))
    return query


def search(
    words: str = "",
    term_id: int | None = None,
    neighbourhood_id: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """A page of public services matching the filters (see :func:`filtered`); a page past the
    last gives the last page."""
    query = filtered(public_services(), words, term_id, neighbourhood_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    number = min(max(page, 1), pages)
    items = list(db.session.scalars(
        query.options(selectinload(Service.organisation), selectinload(Service.terms),
                      selectinload(Service.areas))
        .limit(per_page).offset((number - 1) * per_page)
    ))
    return Page(items, number, pages, total)


def public_service(service_uuid: str) -> Service:
    """The public service with this HSDS id; raises :class:`NotFound` otherwise."""
    service = db.session.scalar(
        public_services().where(Service.uuid == service_uuid).options(
            selectinload(Service.at_locations).selectinload(ServiceAtLocation.location),
            selectinload(Service.schedules),
        )
    )
    if service is None:
        raise NotFound(_l("Deze dienst staat niet (meer) op de sociale kaart."))
    return service


def filter_choices() -> tuple[list[TaxonomyTerm], list[Neighbourhood]]:
    """The kinds of help and the neighbourhoods a visitor can filter on."""
    terms = list(db.session.scalars(
        sa.select(TaxonomyTerm).order_by(TaxonomyTerm.taxonomy_id, TaxonomyTerm.position,
                                         TaxonomyTerm.name)
    ))
    neighbourhoods = list(db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)))
    return terms, neighbourhoods


def suggest_correction(service_uuid: str, message: str, email: str = "") -> Suggestion:
    """Store a correction anyone suggested for a public service, for its organisation's
    coordinators (or the administrator when it has none). Flushes; raises
    :class:`FieldError` on an empty or too long message, :class:`NotFound` for an unknown
    service."""
    service = public_service(service_uuid)
    message = message.strip()
    if not message:
        raise FieldError("message", _l("Schrijf op wat er niet klopt."))
    if len(message) > MAX_SUGGESTION:
        raise FieldError("message", _l("Uw bericht is te lang (hoogstens 2000 tekens)."))
    suggestion = Suggestion(service_id=service.id, message=message, email=email.strip())
    db.session.add(suggestion)
    db.session.flush()
    audit.record(None, "socialmap.suggested", suggestion)
    return suggestion

"""Each organisation maintains its own entries on the sociale kaart: its coordinators (and the
meldpunt's coordinators and administrator, for every organisation) edit services, places and
opening hours, mark an entry as checked, and decide the corrections visitors suggested.

Every function takes the acting user, checks :func:`marketplace.access.can_maintain_organisation`
(raising :class:`~marketplace.errors.NotAllowed`), flushes and audits; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import access, audit
from marketplace.errors import FieldError, NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import (
    Address,
    Location,
    MemberRole,
    Neighbourhood,
    Organisation,
    OrganisationMember,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Suggestion,
    SuggestionStatus,
    TaxonomyTerm,
    User,
)
from marketplace.socialmap import lifecycle

#: The fields of a service its owner edits on the form, as HSDS names them.
SERVICE_FIELDS = ("name", "description", "eligibility_description", "fees_description",
                  "application_process", "url", "email")
LOCATION_FIELDS = ("name", "transportation", "accessibility")
ADDRESS_FIELDS = ("address_1", "postal_code", "city")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Overview:
    """What a maintainer sees: their organisations' services, those not checked for too
    long, and the suggested corrections waiting for them."""

    services: list[Service]
    stale: list[Service]
    suggestions: list[Suggestion]


def _check(actor: User, organisation_id: int) -> None:
    if not access.can_maintain_organisation(actor, organisation_id):
        raise NotAllowed(_l("U beheert de gegevens van deze organisatie niet."))


def service_for(actor: User, service_uuid: str) -> Service:
    """The service with this id when ``actor`` maintains it; raises NotFound / NotAllowed."""
    service = db.session.scalar(sa.select(Service).where(Service.uuid == service_uuid))
    if service is None:
        raise NotFound(_l("Deze dienst bestaat niet (meer)."))
    _check(actor, service.organisation_id)
    return service


def _organisations_without_coordinator() -> sa.Select[int]:
    coordinated = sa.select(OrganisationMember.organisation_id).where(
        OrganisationMember.role == MemberRole.COORDINATOR
    )
    return sa.select(Organisation.id).where(Organisation.id.not_in(coordinated))


def stale_before(today: date, stale_days: int) -> date:
    """Entries last checked before this day (or never) are stale."""
    return today - timedelta(days=stale_days)


def is_stale(service: Service, today: date, stale_days: int) -> bool:
    return (service.last_checked_on is None
            or service.last_checked_on < stale_before(today, stale_days))


def overview(actor: User, today: date, stale_days: int) -> Overview:
    """The maintainer's page. The administrator sees every service, and the suggestions for
    organisations without a coordinator (the others go to those coordinators)."""
    maintained = access.maintained_organisation_ids(actor)
    query = (sa.select(Service).options(selectinload(Service.organisation))
             .join(Service.organisation).order_by(Organisation.name, Service.name))
    waiting = (sa.select(Suggestion).join(Suggestion.service)
               .where(Suggestion.status == SuggestionStatus.OPEN)
               .options(selectinload(Suggestion.service)).order_by(Suggestion.created_at))
    if maintained is None:
        waiting = waiting.where(Service.organisation_id.in_(_organisations_without_coordinator()))
    else:
        query = query.where(Service.organisation_id.in_(maintained))
        waiting = waiting.where(Service.organisation_id.in_(maintained))
    services = list(db.session.scalars(query))
    stale = [service for service in services if is_stale(service, today, stale_days)]
    return Overview(services, stale, list(db.session.scalars(waiting)))


def update_service(
    actor: User, service_uuid: str, fields: Mapping[str, Any],
    term_ids: Sequence[int], neighbourhood_ids: Sequence[int], today: date,
) -> Service:
    """Save the service's words, kinds of help and neighbourhoods (no neighbourhood: the
    whole municipality). Saving counts as checking it today."""
    service = service_for(actor, service_uuid)
    if not str(fields.get("name") or "").strip():
        raise FieldError("name", _l("Geef de dienst een naam."))
    set_words(service, fields, term_ids, neighbourhood_ids)
    service.last_checked_on = today
    db.session.flush()
    audit.record(actor, "socialmap.service_updated", service)
    return service


def set_words(service: Service, fields: Mapping[str, Any], term_ids: Sequence[int],
              neighbourhood_ids: Sequence[int]) -> None:
    """Copy the form's words (:data:`SERVICE_FIELDS`), kinds of help and neighbourhoods onto
    ``service`` (for a new service and an edited one alike)."""
    for name in SERVICE_FIELDS:
        if name in fields:
            setattr(service, name, str(fields[name] or "").strip())
    service.terms = list(db.session.scalars(
        sa.select(TaxonomyTerm).where(TaxonomyTerm.id.in_(term_ids))
    ))
    _set_areas(service, neighbourhood_ids)


def set_status(actor: User, service_uuid: str, status: ServiceStatus) -> Service:
    """Deactivate, reactivate, close temporarily or stop a service (see
    :mod:`marketplace.socialmap.lifecycle`); raises InvalidTransition for a move that is
    not allowed."""
    service = service_for(actor, service_uuid)
    lifecycle.transition(service, status, actor)
    db.session.flush()
    return service


def _set_areas(service: Service, neighbourhood_ids: Sequence[int]) -> None:
    wanted = {item.id: item for item in db.session.scalars(
        sa.select(Neighbourhood).where(Neighbourhood.id.in_(neighbourhood_ids)))}
    service.areas = [area for area in service.areas
                     if area.neighbourhood_id is None or area.neighbourhood_id in wanted]
    present = {area.neighbourhood_id for area in service.areas}
    for neighbourhood_id, neighbourhood in wanted.items():
        if neighbourhood_id not in present:
            service.areas.append(ServiceArea(neighbourhood_id=neighbourhood_id,
                                             name=neighbourhood.name))


def mark_checked(actor: User, service_uuid: str, today: date) -> Service:
    """The owner confirms the entry is still right (HSDS ``assured_date``)."""
    service = service_for(actor, service_uuid)
    service.last_checked_on = today
    audit.record(actor, "socialmap.service_checked", service)
    db.session.flush()
    return service


def main_location(service: Service) -> ServiceAtLocation | None:
    return service.at_locations[0] if service.at_locations else None


def update_location(actor: User, service_uuid: str, fields: Mapping[str, str]) -> Service:
    """Save where the service is offered (its first place; made when it has none): the
    address, how to get there and the accessibility of the building."""
    service = service_for(actor, service_uuid)
    set_location(service, fields)
    db.session.flush()
    audit.record(actor, "socialmap.service_updated", service)
    return service


def set_location(service: Service, fields: Mapping[str, str]) -> None:
    """Write the service's first place from ``fields`` (made when it has none). Raises
    :class:`FieldError` when the address, postcode or place is missing."""
    if not all(str(fields.get(name) or "").strip() for name in ADDRESS_FIELDS):
        raise FieldError("address_1", _l("Vul het adres, de postcode en de plaats in."))
    at_location = main_location(service)
    if at_location is None:
        location = Location(organisation_id=service.organisation_id)
        at_location = ServiceAtLocation(location=location)
        service.at_locations.append(at_location)
    location = at_location.location
    for name in LOCATION_FIELDS:
        setattr(location, name, str(fields.get(name) or "").strip())
    address = location.addresses[0] if location.addresses else None
    if address is None:
        address = Address(address_1="", city="", postal_code="")
        location.addresses.append(address)
    for name in ADDRESS_FIELDS:
        setattr(address, name, str(fields.get(name) or "").strip())


def add_opening_hours(
    actor: User, service_uuid: str, days: Sequence[str], opens_at: time, closes_at: time,
    notes: str = "",
) -> Schedule:
    """Add a weekly opening-hours line on ``days`` (HSDS codes MO..SU)."""
    service = service_for(actor, service_uuid)
    schedule = opening_hours(service, days, opens_at, closes_at, notes)
    db.session.add(schedule)
    db.session.flush()
    audit.record(actor, "socialmap.service_updated", service)
    return schedule


def opening_hours(service: Service, days: Sequence[str], opens_at: time, closes_at: time,
                  notes: str = "") -> Schedule:
    """A weekly opening-hours line added to ``service`` (at its first place, if any).
    Raises :class:`FieldError` without a day or when it closes before it opens."""
    chosen = [day for day in WEEKDAYS if day in days]
    if not chosen:
        raise FieldError("days", _l("Kies minstens één dag."))
    if closes_at <= opens_at:
        raise FieldError("closes_at", _l("De sluitingstijd moet na de openingstijd liggen."))
    schedule = Schedule(freq="WEEKLY", interval=1, byday=",".join(chosen), opens_at=opens_at,
                        closes_at=closes_at, notes=notes.strip())
    service.schedules.append(schedule)
    at_location = main_location(service)
    if at_location is not None:
        at_location.schedules.append(schedule)
    return schedule


def remove_opening_hours(actor: User, service_uuid: str, schedule_id: int) -> Service:
    service = service_for(actor, service_uuid)
    schedule = db.session.get(Schedule, schedule_id)
    if schedule is None or schedule.service_id != service.id:
        raise NotFound(_l("Deze openingstijd bestaat niet (meer)."))
    db.session.delete(schedule)
    db.session.flush()
    audit.record(actor, "socialmap.service_updated", service)
    return service


def suggestion_for(actor: User, suggestion_id: int) -> Suggestion:
    """The open suggestion when ``actor`` maintains its service; raises NotFound (unknown or
    decided already) / NotAllowed."""
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None or suggestion.status != SuggestionStatus.OPEN:
        raise NotFound(_l("Deze suggestie is al afgehandeld of bestaat niet."))
    _check(actor, suggestion.service.organisation_id)
    return suggestion


def decide_suggestion(actor: User, suggestion_id: int, approve: bool) -> Suggestion:
    """Approve (the owner took the correction over, or will) or reject a suggestion. The
    sender's e-mail address is forgotten; the decision is audited."""
    suggestion = suggestion_for(actor, suggestion_id)
    lifecycle.decide_suggestion(suggestion, approve, actor)
    db.session.flush()
    return suggestion

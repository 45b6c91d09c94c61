"""A maintainer puts a new service on the sociale kaart: an organisation's coordinator for
their own organisation, the meldpunt's coordinators and administrator for any.

The new service gets every HSDS ``core`` field it has words for (name, description, who it
is for, cost, status, the organisation), its kinds of help, neighbourhoods, and optionally a
place, one line of opening hours, a contact and a phone number. It is checked today.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time

import sqlalchemy as sa

from marketplace import access
from marketplace.errors import FieldError, NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Organisation, Service, User
from marketplace.params import MAX_DATABASE_ID
from marketplace.socialmap import contacts, lifecycle, maintenance


@dataclass(frozen=True)
class OpeningHours:
    """One weekly line: ``days`` as HSDS codes (MO..SU)."""

    days: Sequence[str]
    opens_at: time
    closes_at: time
    notes: str = ""


@dataclass(frozen=True)
class NewService:
    """What the maintainer typed. ``fields`` holds :data:`maintenance.SERVICE_FIELDS`; a part
    left out entirely (None) is not made."""

    organisation_id: int
    fields: Mapping[str, str]
    term_ids: Sequence[int] = ()
    neighbourhood_ids: Sequence[int] = ()
    location: Mapping[str, str] | None = None
    hours: OpeningHours | None = None
    contact: Mapping[str, str] | None = None
    phone: Mapping[str, str] | None = None


def organisations_for(actor: User) -> list[Organisation]:
    """The active organisations ``actor`` may add services for, by name."""
    query = sa.select(Organisation).where(Organisation.active.is_(True)).order_by(
        Organisation.name)
    maintained = access.maintained_organisation_ids(actor)
    if maintained is not None:
        query = query.where(Organisation.id.in_(maintained))
    return list(db.session.scalars(query))


def organisation_for(actor: User, organisation_id: int) -> Organisation:
    """The active organisation with this id when ``actor`` maintains it; raises
    :class:`NotFound` (unknown or inactive) or :class:`NotAllowed`."""
    organisation = (db.session.get(Organisation, organisation_id)
                    if 1 <= organisation_id <= MAX_DATABASE_ID else None)  # no row has it
    if organisation is None or not organisation.active:
        raise NotFound(_l("Deze organisatie bestaat niet (meer)."))
    if not access.can_maintain_organisation(actor, organisation_id):
        raise NotAllowed(_l("U beheert de gegevens van deze organisatie niet."))
    return organisation


def create_service(actor: User, new: NewService, today: date) -> Service:
    """Add the service (active, checked ``today``) with its parts; flushes and audits, the
    caller commits. Raises NotFound / NotAllowed for the organisation, :class:`FieldError`
    on the first field that is wrong (nothing is kept then: the caller rolls back)."""
    organisation = organisation_for(actor, new.organisation_id)
    if not str(new.fields.get("name") or "").strip():
        raise FieldError("name", _l("Geef de dienst een naam."))
    service = Service(organisation=organisation, last_checked_on=today)
    db.session.add(service)
    maintenance.set_words(service, new.fields, new.term_ids, new.neighbourhood_ids)
    if new.location is not None:
        maintenance.set_location(service, new.location)
    if new.hours is not None:
        maintenance.opening_hours(service, new.hours.days, new.hours.opens_at,
                                  new.hours.closes_at, new.hours.notes)
    if new.contact is not None:
        service.contacts.append(contacts.filled_contact(new.contact))
    if new.phone is not None:
        service.phones.append(contacts.filled_phone(new.phone))
    db.session.flush()
    lifecycle.create_service(service, actor)
    return service

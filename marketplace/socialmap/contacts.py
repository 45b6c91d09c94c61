"""How people reach a service: its contacts (HSDS ``contact``: a desk or a role, never a
private person) and phone numbers (HSDS ``phone``, stored in E.164). A maintainer adds,
changes and removes them; same access rules as the rest of the maintenance
(:func:`marketplace.socialmap.maintenance.service_for`). Each function flushes and audits;
the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel.speaklater import LazyString

from marketplace import audit
from marketplace.errors import FieldError, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Contact, Phone, Service, User
from marketplace.phones import checked_phone
from marketplace.socialmap.maintenance import service_for

CONTACT_FIELDS = ("name", "title", "department", "email")
#: HSDS phone types (RFC 6350) a maintainer can choose.
PHONE_TYPES = ("voice", "cell", "text", "textphone", "fax")


def _words(fields: Mapping[str, str], name: str) -> str:
    return str(fields.get(name) or "").strip()


def fill_contact(contact: Contact, fields: Mapping[str, str]) -> Contact:
    """Copy ``fields`` onto ``contact``; raises :class:`FieldError` when nothing names it."""
    if not any(_words(fields, name) for name in ("name", "title", "department")):
        raise FieldError("name", _l("Vul een naam, functie of afdeling in."))
    for name in CONTACT_FIELDS:
        setattr(contact, name, _words(fields, name))
    return contact


def filled_contact(fields: Mapping[str, str]) -> Contact:
    return fill_contact(Contact(), fields)


def fill_phone(phone: Phone, fields: Mapping[str, str]) -> Phone:
    """Copy ``fields`` onto ``phone``; raises :class:`FieldError` on a missing or wrong
    number or an unknown type."""
    number = checked_phone(_words(fields, "number"), field="number")
    if number is None:
        raise FieldError("number", _l("Vul een telefoonnummer in."))
    kind = _words(fields, "type") or "voice"
    if kind not in PHONE_TYPES:
        raise FieldError("type", _l("Kies een soort nummer uit de lijst."))
    phone.number, phone.type = number, kind
    phone.description = _words(fields, "description")
    return phone


def filled_phone(fields: Mapping[str, str]) -> Phone:
    return fill_phone(Phone(), fields)


@dataclass(frozen=True)
class Kind:
    """Contacts or phone numbers: where a service keeps them, how one is filled in, and
    what is said when one is not the service's."""

    rows: Callable[[Service], list[Any]]
    new: Callable[[], Contact | Phone]
    fill: Callable[[Any, Mapping[str, str]], Contact | Phone]
    gone: LazyString


CONTACTS = Kind(lambda service: service.contacts, Contact, fill_contact,
                _l("Dit contact bestaat niet (meer)."))
PHONES = Kind(lambda service: service.phones, Phone, fill_phone,
              _l("Dit telefoonnummer bestaat niet (meer)."))


def row_of(kind: Kind, service: Service, row_id: int) -> Contact | Phone:
    """The service's contact or phone with this id; raises :class:`NotFound` otherwise (also
    for another service's row)."""
    row = next((row for row in kind.rows(service) if row.id == row_id), None)
    if row is None:
        raise NotFound(kind.gone)
    return row


def _changed(actor: User, service: Service) -> None:
    db.session.flush()
    audit.record(actor, "socialmap.service_updated", service)


def add(actor: User, service_uuid: str, kind: Kind, fields: Mapping[str, str]) -> Contact | Phone:
    """Add a contact or phone to the service ``actor`` maintains (see ``service_for``)."""
    service = service_for(actor, service_uuid)
    row = kind.fill(kind.new(), fields)
    kind.rows(service).append(row)
    _changed(actor, service)
    return row


def update(actor: User, service_uuid: str, kind: Kind, row_id: int,
           fields: Mapping[str, str]) -> Contact | Phone:
    """Change one of the service's contacts or phones; raises NotFound for another's."""
    service = service_for(actor, service_uuid)
    row = kind.fill(row_of(kind, service, row_id), fields)
    _changed(actor, service)
    return row


def remove(actor: User, service_uuid: str, kind: Kind, row_id: int) -> Service:
    service = service_for(actor, service_uuid)
    kind.rows(service).remove(row_of(kind, service, row_id))
    _changed(actor, service)
    return service

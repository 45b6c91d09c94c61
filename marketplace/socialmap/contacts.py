"""How people reach a service: its contacts (HSDS ``contact``: a desk or a role, never a
private person) and phone numbers (HSDS ``phone``, stored in E.164). A maintainer adds,
changes and removes them; same access rules as the rest of the maintenance
(:func:`marketplace.socialmap.maintenance.service_for`). Each function flushes and audits;
the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from marketplace import audit
from marketplace.errors import FieldError, NotFound
from marketplace.extensions import db
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


def _changed(actor: User, service: Service) -> None:
    db.session.flush()
    audit.record(actor, "socialmap.service_updated", service)


def _contact_of(service: Service, contact_id: int) -> Contact:
    contact = next((row for row in service.contacts if row.id == contact_id), None)
    if contact is None:
        raise NotFound(_l("Dit contact bestaat niet (meer)."))
    return contact


def _phone_of(service: Service, phone_id: int) -> Phone:
    phone = next((row for row in service.phones if row.id == phone_id), None)
    if phone is None:
        raise NotFound(_l("Dit telefoonnummer bestaat niet (meer)."))
    return phone


def add_contact(actor: User, service_uuid: str, fields: Mapping[str, str]) -> Contact:
    service = service_for(actor, service_uuid)
    contact = filled_contact(fields)
    service.contacts.append(contact)
    _changed(actor, service)
    return contact


def update_contact(actor: User, service_uuid: str, contact_id: int,
                   fields: Mapping[str, str]) -> Contact:
    """Raises NotFound when the contact is not the service's."""
    service = service_for(actor, service_uuid)
    contact = fill_contact(_contact_of(service, contact_id), fields)
    _changed(actor, service)
    return contact


def remove_contact(actor: User, service_uuid: str, contact_id: int) -> Service:
    service = service_for(actor, service_uuid)
    service.contacts.remove(_contact_of(service, contact_id))
    _changed(actor, service)
    return service


def add_phone(actor: User, service_uuid: str, fields: Mapping[str, str]) -> Phone:
    service = service_for(actor, service_uuid)
    phone = filled_phone(fields)
    service.phones.append(phone)
    _changed(actor, service)
    return phone


def update_phone(actor: User, service_uuid: str, phone_id: int,
                 fields: Mapping[str, str]) -> Phone:
    """Raises NotFound when the number is not the service's."""
    service = service_for(actor, service_uuid)
    phone = fill_phone(_phone_of(service, phone_id), fields)
    _changed(actor, service)
    return phone


def remove_phone(actor: User, service_uuid: str, phone_id: int) -> Service:
    service = service_for(actor, service_uuid)
    service.phones.remove(_phone_of(service, phone_id))
    _changed(actor, service)
    return service

"""Load another publisher's HSDS 3.0 data (``flask socialmap import <file-or-dir>``).

Accepted JSON: one object, a list of objects, or an API page (``{"contents": [...]}``); each
object an ``organization`` (optionally with a ``services`` list) or a ``service`` (with its
``organization`` nested, or an ``organization_id`` known already). Every object is checked
against the HSDS schema first; any error stops the whole import (nothing is written) and is
reported with the file, the object and the field. Rows are matched by HSDS id, so importing
the same data twice changes nothing the second time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hsds import schemas
from marketplace.models import (
    Address,
    Location,
    Neighbourhood,
    Organisation,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from marketplace.socialmap import lifecycle

Json = dict[str, Any]


class InvalidImport(DomainError):
    """The data is not valid HSDS; ``problems`` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Report:
    organisations: int = 0
    services: int = 0
    seen: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return f"{self.organisations} organisation(s), {self.services} service(s) imported"


def _objects(data: Any) -> list[Json]:
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    items = data if isinstance(data, list) else [data]
    return [item if isinstance(item, dict) else {"__not_an_object__": item} for item in items]


def _kind(item: Json) -> str:
    return "service" if "status" in item or "organization_id" in item else "organization"


def read(path: Path) -> list[tuple[str, Json]]:
    """(where, object) for every object in ``path`` (a .json file or a folder of them)."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise InvalidImport([f"{path}: no .json files"])
    found: list[tuple[str, Json]] = []
    problems: list[str] = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(f"{file}: not readable JSON ({error})")
            continue
        found += [(f"{file.name} #{number}", item)
                  for number, item in enumerate(_objects(data), start=1)]
    if problems:
        raise InvalidImport(problems)
    return found


def validate(objects: Iterable[tuple[str, Json]]) -> None:
    """Raise :class:`InvalidImport` listing every schema error of every object."""
    problems: list[str] = []
    for where, item in objects:
        kind = _kind(item)
        problems += [f"{where} ({kind}) {line}" for line in schemas.errors(kind, item)]
        for number, nested in enumerate(item.get("services") or [], start=1):
            problems += [f"{where} services #{number} {line}"
                         for line in schemas.errors("service", nested)]
    if problems:
        raise InvalidImport(problems)


def _by_uuid(model: Any, uuid: str) -> Any:
    return db.session.scalar(sa.select(model).where(model.uuid == uuid))


def _text(item: Json, name: str) -> str:
    value = item.get(name)
    return str(value) if value is not None else ""


def _organisation(item: Json, report: Report) -> Organisation:
    row = _by_uuid(Organisation, item["id"])
    if row is None:
        clash = db.session.scalar(sa.select(Organisation).where(Organisation.name == item["name"]))
        if clash is not None:
            raise InvalidImport([f"organization {item['id']}: the name {item['name']!r} is "
                                 f"used by another organisation ({clash.uuid})"])
        row = Organisation(uuid=item["id"])
        db.session.add(row)
    row.name = item["name"][:120]
    row.description = _text(item, "description")
    for name in ("alternate_name", "email", "website"):
        setattr(row, name, _text(item, name))
    phones = item.get("phones") or []
    row.phone = _text(phones[0], "number")[:30] if phones else ""
    if item["id"] not in report.seen:
        report.seen.add(item["id"])
        report.organisations += 1
    return row


def _term(item: Json) -> TaxonomyTerm:
    term = _by_uuid(TaxonomyTerm, item["id"])
    detail = item.get("taxonomy_detail") or {}
    taxonomy_uuid = item.get("taxonomy_id") or detail.get("id")
    taxonomy = _by_uuid(Taxonomy, taxonomy_uuid) if taxonomy_uuid else None
    if taxonomy is None:
        name = detail.get("name") or item.get("taxonomy") or "Imported"
        taxonomy = db.session.scalar(sa.select(Taxonomy).where(Taxonomy.name == name))
    if taxonomy is None:
        taxonomy = Taxonomy(name=detail.get("name") or item.get("taxonomy") or "Imported",
                            description=_text(detail, "description"))
        if taxonomy_uuid:
            taxonomy.uuid = taxonomy_uuid
        db.session.add(taxonomy)
    if term is None:
        term = TaxonomyTerm(uuid=item["id"], taxonomy=taxonomy, name="")
        db.session.add(term)
    term.name = item["name"][:120]
    term.description = _text(item, "description")
    term.code = _text(item, "code")[:60]
    return term


def _location(item: Json) -> Location:
    row = _by_uuid(Location, item["id"]) or Location(uuid=item["id"])
    row.location_type = item.get("location_type") or "physical"
    for name in ("name", "description", "transportation", "url"):
        setattr(row, name, _text(item, name))
    row.latitude, row.longitude = item.get("latitude"), item.get("longitude")
    accessibility = item.get("accessibility") or []
    row.accessibility = " ".join(_text(entry, "description") for entry in accessibility).strip()
    for entry in item.get("addresses") or []:
        address = _by_uuid(Address, entry["id"]) or Address(uuid=entry["id"])
        for name in ("attention", "address_1", "address_2", "city", "region",
                     "state_province", "postal_code", "country", "address_type"):
            setattr(address, name, _text(entry, name))
        if address not in row.addresses:
            row.addresses.append(address)
    return row


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _clock(value: Any) -> time | None:
    try:
        return time.fromisoformat(str(value)[:8]) if value else None
    except ValueError:
        return None


def _schedule(service: Service, item: Json, at_location: ServiceAtLocation | None) -> None:
    row = _by_uuid(Schedule, item["id"]) or Schedule(uuid=item["id"])
    row.service = service
    row.service_at_location = at_location
    row.freq = _text(item, "freq") or "WEEKLY"
    row.interval = int(item.get("interval") or 1)
    row.byday, row.bymonthday = _text(item, "byday"), _text(item, "bymonthday")
    row.opens_at, row.closes_at = _clock(item.get("opens_at")), _clock(item.get("closes_at"))
    row.valid_from, row.valid_to = _day(item.get("valid_from")), _day(item.get("valid_to"))
    row.description, row.notes = _text(item, "description"), _text(item, "notes")
    db.session.add(row)


def _places(service: Service, items: list[Json]) -> None:
    for item in items:
        at_location = _by_uuid(ServiceAtLocation, item["id"]) or ServiceAtLocation(uuid=item["id"])
        if "location" in item:
            at_location.location = _location(item["location"])
        elif item.get("location_id"):
            at_location.location = _by_uuid(Location, item["location_id"])
        if at_location.location is None:
            raise InvalidImport([f"service_at_location {item['id']}: no location"])
        at_location.description = _text(item, "description")
        if at_location not in service.at_locations:
            service.at_locations.append(at_location)
        for schedule in item.get("schedules") or []:
            _schedule(service, schedule, at_location)


def _areas(service: Service, items: list[Json]) -> None:
    neighbourhoods = {row.name.casefold(): row for row in
                      db.session.scalars(sa.select(Neighbourhood))}
    for item in items:
        area = _by_uuid(ServiceArea, item["id"]) or ServiceArea(uuid=item["id"])
        area.name = _text(item, "name")[:120]
        area.description = _text(item, "description")
        area.neighbourhood = neighbourhoods.get(area.name.casefold())
        if area not in service.areas:
            service.areas.append(area)


def _phones(service: Service, items: list[Json]) -> None:
    for item in items:
        phone = _by_uuid(Phone, item["id"]) or Phone(uuid=item["id"])
        phone.number = _text(item, "number")[:40]
        phone.type = _text(item, "type")[:20] or "voice"
        phone.description = _text(item, "description")
        if phone not in service.phones:
            service.phones.append(phone)


def _service(item: Json, organisation: Organisation | None, report: Report) -> Service:
    if organisation is None and isinstance(item.get("organization"), dict):
        organisation = _organisation(item["organization"], report)
    if organisation is None:
        organisation = _by_uuid(Organisation, item.get("organization_id") or "")
    if organisation is None:
        raise InvalidImport([f"service {item['id']}: unknown organization "
                             f"{item.get('organization_id')!r}"])
    service = _by_uuid(Service, item["id"]) or Service(uuid=item["id"])
    service.organisation = organisation
    service.name = item["name"][:160]
    lifecycle.imported(service, ServiceStatus(item["status"]))
    for name in ("alternate_name", "description", "url", "email", "eligibility_description",
                 "fees_description", "application_process"):
        setattr(service, name, _text(item, name))
    service.minimum_age, service.maximum_age = item.get("minimum_age"), item.get("maximum_age")
    service.last_checked_on = _day(item.get("assured_date"))
    db.session.add(service)
    service.terms = [_term(attribute["taxonomy_term"]) for attribute in item.get("attributes") or []
                 if isinstance(attribute.get("taxonomy_term"), dict)]
    _places(service, item.get("service_at_locations") or [])
    for schedule in item.get("schedules") or []:
        _schedule(service, schedule, None)
    _areas(service, item.get("service_areas") or [])
    _phones(service, item.get("phones") or [])
    if item["id"] not in report.seen:
        report.seen.add(item["id"])
        report.services += 1
    return service


def import_path(path: Path) -> Report:
    """Validate and load the HSDS data in ``path``; flushes, the caller commits. Raises
    :class:`InvalidImport` (nothing written) on any problem."""
    objects = read(path)
    validate(objects)
    report = Report()
    for _where, item in objects:
        if _kind(item) == "service":
            _service(item, None, report)
        else:
            organisation = _organisation(item, report)
            for nested in item.get("services") or []:
                _service(nested, organisation, report)
        db.session.flush()
    return report

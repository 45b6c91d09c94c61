"""Rows of the sociale kaart as HSDS 3.0 objects (plain dicts, ready for JSON).

Empty optional fields are left out (HSDS types them as strings or numbers, never null);
required ones are always there. Objects Hulppunt stores inside another row (a location's
accessibility, a service's taxonomy links, an organisation's phone) get a stable UUID 5 id.
Only public information: organisations' members never appear.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from marketplace.models import (
    Address,
    Contact,
    Location,
    Organisation,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

NAMESPACE = uuid.UUID("9d3f6a52-1c7e-4b8a-a1f0-6e2b7c4d8e91")
Json = dict[str, Any]


def derived_id(*parts: str) -> str:
    """A stable id for an object stored inside another row."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _object(required: Json, **optional: Any) -> Json:
    """``required`` as given, plus the ``optional`` fields that have a value."""
    result = {key: _value(value) for key, value in required.items()}
    result.update({key: _value(value) for key, value in optional.items()
                   if value not in (None, "", [])})
    return result


def phone(row: Phone) -> Json:
    return _object(
        {"id": row.uuid, "number": row.number}, extension=row.extension, type=row.type,
        description=row.description,
    )


def organisation_phone(organisation: Organisation) -> Json:
    return {"id": derived_id("organization-phone", organisation.uuid),
            "organization_id": organisation.uuid, "number": organisation.phone,
            "type": "voice"}


def organization(row: Organisation, services: list[Service] | None = None) -> Json:
    """HSDS ``organization``; with ``services`` (brief) when given."""
    result = _object(
        {"id": row.uuid, "name": row.name, "description": row.description},
        alternate_name=row.alternate_name, email=row.email, website=row.website,
        phones=[organisation_phone(row)] if row.phone else [],
    )
    if services is not None:
        result["services"] = [service(item, full=False) for item in services]
    return result


def taxonomy(row: Taxonomy) -> Json:
    return _object({"id": row.uuid, "name": row.name, "description": row.description},
                   uri=row.uri, version=row.version)


def taxonomy_term(row: TaxonomyTerm) -> Json:
    return _object(
        {"id": row.uuid, "name": row.name, "description": row.description},
        code=row.code, parent_id=row.parent.uuid if row.parent else None,
        taxonomy=row.taxonomy.name, taxonomy_id=row.taxonomy.uuid, language=row.language,
        taxonomy_detail=taxonomy(row.taxonomy),
    )


def attribute(service_row: Service, term: TaxonomyTerm) -> Json:
    """The HSDS link between a service and one of its taxonomy terms."""
    return {
        "id": derived_id("attribute", service_row.uuid, term.uuid),
        "link_id": service_row.uuid, "link_type": "service", "link_entity": "service",
        "taxonomy_term_id": term.uuid, "taxonomy_term": taxonomy_term(term),
    }


def address(row: Address) -> Json:
    return _object(
        {"id": row.uuid, "location_id": row.location.uuid, "address_1": row.address_1,
         "city": row.city, "state_province": row.state_province,
         "postal_code": row.postal_code, "country": row.country,
         "address_type": row.address_type},
        attention=row.attention, address_2=row.address_2, region=row.region,
    )


def location(row: Location) -> Json:
    accessibility = [_object(
        {"id": derived_id("accessibility", row.uuid), "location_id": row.uuid,
         "description": row.accessibility}, details=row.accessibility_details,
    )] if row.accessibility else []
    return _object(
        {"id": row.uuid, "location_type": row.location_type},
        name=row.name, description=row.description, transportation=row.transportation,
        url=row.url, latitude=row.latitude, longitude=row.longitude,
        organization_id=row.organisation.uuid if row.organisation else None,
        addresses=[address(item) for item in row.addresses], accessibility=accessibility,
    )


def schedule(row: Schedule) -> Json:
    return _object(
        {"id": row.uuid},
        service_id=row.service.uuid if row.service else None,
        service_at_location_id=(row.service_at_location.uuid
                                if row.service_at_location else None),
        freq=row.freq, interval=row.interval, byday=row.byday, bymonthday=row.bymonthday,
        opens_at=row.opens_at, closes_at=row.closes_at, valid_from=row.valid_from,
        valid_to=row.valid_to, description=row.description, notes=row.notes,
    )


def service_area(row: ServiceArea) -> Json:
    return _object({"id": row.uuid, "service_id": row.service.uuid},
                   name=row.name, description=row.description)


def service_at_location(row: ServiceAtLocation, with_service: bool = True) -> Json:
    result = _object(
        {"id": row.uuid, "service_id": row.service.uuid, "location_id": row.location.uuid},
        description=row.description, location=location(row.location),
        schedules=[schedule(item) for item in row.schedules],
    )
    if with_service:
        result["service"] = service(row.service, full=False)
    return result


def contact(row: Contact) -> Json:
    return _object({"id": row.uuid}, name=row.name, title=row.title,
                   department=row.department, email=row.email)


def service(row: Service, full: bool = True) -> Json:
    """HSDS ``service``: the one-to-one fields and its taxonomy links; ``full`` adds the
    organisation, places, opening hours, areas, phones and contacts."""
    result = _object(
        {"id": row.uuid, "organization_id": row.organisation.uuid, "name": row.name,
         "status": row.status.value},
        alternate_name=row.alternate_name, description=row.description, url=row.url,
        email=row.email, eligibility_description=row.eligibility_description,
        fees_description=row.fees_description, application_process=row.application_process,
        minimum_age=row.minimum_age, maximum_age=row.maximum_age,
        assured_date=row.last_checked_on, last_modified=row.updated_at,
        attributes=[attribute(row, term) for term in row.terms],
    )
    if full:
        result.update(_object(
            {"organization": organization(row.organisation)},
            service_at_locations=[service_at_location(item, with_service=False)
                                  for item in row.at_locations],
            schedules=[schedule(item) for item in row.schedules
                       if item.service_at_location_id is None],
            service_areas=[service_area(item) for item in row.areas],
            phones=[phone(item) for item in row.phones],
            contacts=[contact(item) for item in row.contacts],
        ))
    return result

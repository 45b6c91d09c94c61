"""Building sociale-kaart rows for tests."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Address,
    Location,
    MemberRole,
    Organisation,
    OrganisationMember,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    User,
)
from marketplace.socialmap.taxonomy import ensure_taxonomy, term_by_code
from tests import factories


def organisation(name: str = "Humanitas Hilversum", **fields: Any) -> Organisation:
    """The organisation called ``name`` (made when missing)."""
    found = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if found is not None:
        return found
    row = Organisation(name=name, description=f"{name} helpt.", **fields)
    db.session.add(row)
    db.session.flush()
    return row


def coordinator_of(row: Organisation, **fields: Any) -> User:
    person = factories.user(**fields)
    db.session.add(OrganisationMember(organisation_id=row.id, user_id=person.id,
                                      role=MemberRole.COORDINATOR))
    db.session.flush()
    return person


def service(
    row: Organisation | None = None, name: str = "Thuisadministratie", *,
    terms: tuple[str, ...] = (), areas: tuple[str, ...] = (), checked: date | None = None,
    place: bool = False, **fields: Any,
) -> Service:
    ensure_taxonomy()
    item = Service(organisation=row or organisation(), name=name, last_checked_on=checked,
                   terms=[term_by_code(code) for code in terms], **fields)
    item.areas = [ServiceArea(neighbourhood=factories.neighbourhood(area), name=area)
                  for area in areas]
    db.session.add(item)
    if place:
        location = Location(name="Buurthuis", accessibility="Gelijkvloers, met lift.")
        location.addresses.append(Address(address_1="Kerkstraat 1", postal_code="1211 AB",
                                          city="Hilversum"))
        at_location = ServiceAtLocation(location=location)
        item.at_locations.append(at_location)
        item.schedules.append(Schedule(byday="MO,WE", opens_at=time(10), closes_at=time(12),
                                       service_at_location=at_location))
    db.session.flush()
    return item

"""Small factories for test data. Each flushes and returns the object; the test commits."""

from __future__ import annotations

import functools
import itertools
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Category,
    HelpRequest,
    Neighbourhood,
    RequestStatus,
    Role,
    Timing,
    User,
    VogStatus,
    VolunteerProfile,
    utcnow,
)
from marketplace.passwords import hash_password
from marketplace.requests.lifecycle import record_creation

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)

# Postcode centroids in Hilversum (GeoNames), so tests need no lookup.
HILVERSUM = {
    "1211": (52.2235, 5.1752),
    "1212": (52.2171, 5.1957),
    "1213": (52.2115, 5.1783),
    "1217": (52.2302, 5.1632),
    "1221": (52.2276, 5.1873),
}


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def category(slug: str = "boodschappen") -> Category:
    found = db.session.scalar(sa.select(Category).where(Category.slug == slug))
    assert found is not None, f"category {slug} is not seeded"
    return found


def neighbourhood(name: str = "Centrum") -> Neighbourhood:
    found = db.session.scalar(sa.select(Neighbourhood).where(Neighbourhood.name == name))
    assert found is not None, f"neighbourhood {name} is not seeded"
    return found


def user(*roles: Role | str, **fields: Any) -> User:
    number = next(_counter)
    values: dict[str, Any] = {
        "email": f"user{number}@example.nl",
        "name": f"Test Persoon {number}",
        "phone": "06 1234 5678",
        "postcode": "1211 AB",
        "address": f"Kerkstraat {number}",
        # Confirmed by default: most tests are not about the confirmation link.
        "email_confirmed_at": utcnow(),
    }
    values.update(fields)
    password = values.pop("password", PASSWORD)
    account = User(**values)
    if password == PASSWORD:
        # Hashing is deliberately slow; hash the shared test password once per run.
        account.password_hash = _password_hash()
    elif password:
        account.set_password(password)
    for role in roles or (Role.RESIDENT,):
        account.add_role(Role(role))
    db.session.add(account)
    db.session.flush()
    return account


def volunteer(
    skills: tuple[str, ...] = ("boodschappen",),
    pc4: str = "1211",
    availability: tuple[str, ...] = ("mon-morning", "wed-afternoon"),
    **fields: Any,
) -> User:
    account = user(Role.VOLUNTEER, postcode=f"{pc4} AB")
    lat, lon = HILVERSUM[pc4]
    values: dict[str, Any] = {
        "postcode": f"{pc4} AB",
        "latitude": lat,
        "longitude": lon,
        "neighbourhood": neighbourhood("Centrum") if pc4 == "1211" else None,
        "max_travel_km": 5.0,
        "availability": list(availability),
        "languages": ["nl"],
        "vog_status": VogStatus.NONE,
        "capacity": 1,
    }
    values.update(fields)
    _date_valid_vog(values)
    skill_rows = [category(slug) for slug in skills]
    profile = VolunteerProfile(user=account, **values)
    profile.skills = skill_rows
    db.session.add(profile)
    db.session.flush()
    return account


def _date_valid_vog(values: dict[str, Any]) -> None:
    """A VOG marked valid has a date (as every form asks); a month old unless given."""
    if values.get("vog_status") in (VogStatus.VALID, "valid") and not values.get("vog_date"):
        values["vog_date"] = date.today() - timedelta(days=30)


def help_request(
    requester: User | None = None,
    status: RequestStatus = RequestStatus.SUBMITTED,
    category_slug: str = "boodschappen",
    pc4: str = "1211",
    **fields: Any,
) -> HelpRequest:
    requester = requester or user(Role.RESIDENT)
    lat, lon = HILVERSUM[pc4]
    values: dict[str, Any] = {
        "requester": requester,
        "created_by_id": requester.id,
        "category": category(category_slug),
        "title": "Boodschappen doen",
        "description": "Wekelijkse boodschappen bij de supermarkt.",
        "timing": Timing.ONCE,
        "date_start": date.today() + timedelta(days=7 - date.today().weekday()),  # a Monday
        "part_of_day": "morning",
        "postcode": f"{pc4} AB",
        "address": "Kerkstraat 1",
        "latitude": lat,
        "longitude": lon,
        "neighbourhood": neighbourhood("Centrum") if pc4 == "1211" else None,
        "status": status,
    }
    values.update(fields)
    item = HelpRequest(**values)
    db.session.add(item)
    record_creation(item, requester)
    db.session.flush()
    return item


def volunteer_profile(
    pc4: str = "1211",
    skills: tuple[str, ...] = ("boodschappen",),
    **fields: Any,
) -> VolunteerProfile:
    """A volunteer account with its profile (categories are looked up before the profile is
    attached, so no autoflush warning). Returns the profile."""
    skill_rows = [category(slug) for slug in skills]
    home = neighbourhood("Centrum") if pc4 == "1211" else None
    account = user(Role.VOLUNTEER, postcode=f"{pc4} AB")
    lat, lon = HILVERSUM[pc4]
    values: dict[str, Any] = {
        "user_id": account.id,
        "postcode": f"{pc4} AB",
        "latitude": lat,
        "longitude": lon,
        "neighbourhood": home,
        "availability": ["mon-morning"],
        "languages": ["nl"],
    }
    values.update(fields)
    _date_valid_vog(values)
    profile = VolunteerProfile(**values)
    profile.skills = skill_rows
    db.session.add(profile)
    db.session.flush()
    return profile

"""``save_profile`` and the VOG rules, without the web layer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from marketplace.access import vog_expires_on
from marketplace.errors import DomainError, FieldError
from marketplace.models import AuditEntry, Role, User, VogStatus, utcnow
from marketplace.volunteers.services import ProfileData, effective_vog_status, save_profile
from tests import factories

TODAY = date(2026, 6, 15)


@pytest.fixture
def person(db: Any) -> User:
    return factories.user(Role.RESIDENT)


def data(**changes: Any) -> ProfileData:
    base = ProfileData(
        skill_ids=[factories.category("bezoek").id],
        availability=["tue-evening", "mon-morning"],
        postcode="1211 ab",
        max_travel_km=3,
        languages=["pl", "nl"],
        vog_status="valid",
        vog_date=date(2025, 1, 10),
        trainings="EHBO",
        capacity=1,
    )
    return replace(base, **changes)


def test_save_creates_profile_role_and_audit(person: User, db: Any) -> None:
    profile = save_profile(person, data(), today=TODAY)
    assert person.has_role(Role.VOLUNTEER)
    assert profile.postcode == "1211 AB"
    assert profile.availability == ["mon-morning", "tue-evening"]  # canonical order
    assert profile.languages == ["nl", "pl"]
    assert profile.vog_status == VogStatus.VALID
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert "volunteer.profile_created" in actions


def test_field_errors_are_domain_errors(person: User) -> None:
    with pytest.raises(DomainError):
        save_profile(person, data(capacity=9), today=TODAY)
    with pytest.raises(FieldError) as caught:
        save_profile(person, data(max_travel_km=0), today=TODAY)
    assert caught.value.field == "max_travel_km"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"postcode": "0000"}, "postcode"),
        ({"vog_date": None}, "vog_date"),
        ({"vog_date": date(2026, 6, 16)}, "vog_date"),
        ({"vog_status": "perhaps"}, "vog_status"),
        ({"trainings": "t" * 501}, "trainings"),
        ({"skill_ids": []}, "skills"),
        ({"availability": ["mon-noon"]}, "availability"),
        ({"languages": ["xx"]}, "languages"),
    ],
)
def test_invalid_data_is_refused(person: User, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(FieldError) as caught:
        save_profile(person, data(**changes), today=TODAY)
    assert caught.value.field == field
    assert person.volunteer_profile is None


def test_no_vog_drops_the_date(person: User) -> None:
    profile = save_profile(person, data(vog_status="none"), today=TODAY)
    assert profile.vog_date is None


def test_vog_older_than_three_years_is_expired(person: User) -> None:
    profile = save_profile(person, data(vog_date=date(2023, 6, 15)), today=TODAY)
    assert profile.vog_status == VogStatus.EXPIRED
    profile = save_profile(person, data(vog_date=date(2023, 6, 16)), today=TODAY)
    assert profile.vog_status == VogStatus.VALID


def test_vog_expiry_dates() -> None:
    assert vog_expires_on(date(2024, 2, 29)) == date(2027, 2, 28)
    assert effective_vog_status(VogStatus.VALID, date(2020, 1, 1), TODAY) == VogStatus.EXPIRED
    assert effective_vog_status(VogStatus.REQUESTED, None, TODAY) == VogStatus.REQUESTED


def test_changing_screening_clears_verification(person: User, db: Any) -> None:
    checker = factories.user(Role.COORDINATOR)
    profile = save_profile(person, data(), today=TODAY)
    profile.verified_at, profile.verified_by_id = utcnow(), checker.id
    profile.training_verified = True

    save_profile(person, data(capacity=3, paused=True), today=TODAY)
    assert profile.verified_at is not None  # not a screening change
    assert profile.paused is True

    save_profile(person, data(vog_date=date(2025, 2, 1)), today=TODAY)
    assert profile.verified_at is None
    assert profile.verified_by_id is None
    assert profile.training_verified is True  # trainings did not change

    profile.verified_at, profile.verified_by_id = utcnow(), checker.id
    save_profile(person, data(vog_date=date(2025, 2, 1), trainings="Respijtzorg"), today=TODAY)
    assert profile.verified_at is None
    assert profile.training_verified is False

"""Builders for the carers tests."""

from __future__ import annotations

from typing import Any

from marketplace.carers import scoring, services
from marketplace.models import CarerCheck, Role, User
from tests import factories

PROFILE = services.ProfileData(relation="partner", lives_together=True, since=None,
                               hours_per_week=20, care_kinds=("personal",),
                               conditions=("dementia",))


def carer(**fields: Any) -> User:
    """A resident of Centrum with a carer profile."""
    fields.setdefault("neighbourhood", factories.neighbourhood("Centrum"))
    person = factories.user(Role.RESIDENT, **fields)
    services.save_profile(person, person, PROFILE, consent=True)
    return person


def answers(value: int) -> dict[str, int]:
    return {area: value for area in scoring.rules().areas}


def check(person: User, value: int, felt: int = 1) -> CarerCheck:
    return services.take_check(person, answers(value), felt)


def form_answers(value: int, felt: int = 1) -> dict[str, str]:
    data = {area: str(value) for area in scoring.rules().areas}
    data["felt_burden"] = str(felt)
    return data

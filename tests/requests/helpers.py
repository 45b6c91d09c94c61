"""Form data shared by the request, referral and intake tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marketplace.vocabulary import local_today
from tests import factories


def in_days(days: int) -> str:
    return (local_today() + timedelta(days=days)).isoformat()


def request_form(**overrides: Any) -> dict[str, Any]:
    """A valid help request form post; override fields to break it."""
    data: dict[str, Any] = {
        "category_id": factories.category("boodschappen").id,
        "title": "Boodschappen doen",
        "description": "Ik kan zelf niet meer naar de supermarkt.",
        "timing": "once",
        "date_start": in_days(3),
        "date_end": "",
        "weekday": "",
        "part_of_day": "morning",
        "postcode": "1211 AB",
        "address": "Kerkstraat 1",
        "urgency": "2",
        "preferred_language": "nl",
        "own_network": "Mijn dochter komt in het weekend.",
        "can_offer": "Ik kan goed breien.",
    }
    data.update(overrides)
    return data

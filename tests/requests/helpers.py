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


def form_of(help_request: Any, **overrides: Any) -> dict[str, Any]:
    """The request form as a stored request fills it (saving it unchanged changes nothing);
    override fields to change them."""
    data: dict[str, Any] = {
        "category_id": help_request.category_id,
        "title": help_request.title,
        "description": help_request.description,
        "timing": help_request.timing.value,
        "date_start": help_request.date_start.isoformat() if help_request.date_start else "",
        "date_end": help_request.date_end.isoformat() if help_request.date_end else "",
        "weekday": help_request.weekday or "",
        "part_of_day": help_request.part_of_day or "any",
        "postcode": help_request.postcode,
        "address": help_request.address,
        "urgency": str(help_request.urgency),
        "preferred_language": help_request.preferred_language,
        "own_network": help_request.own_network,
        "can_offer": help_request.can_offer,
    }
    data.update(overrides)
    return data

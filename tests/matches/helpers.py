"""Small builders for the matches tests (on top of tests.factories)."""

from __future__ import annotations

from typing import Any

from marketplace.models import HelpRequest, RequestStatus, Role, User
from tests import factories


def open_request(**fields: Any) -> HelpRequest:
    """An open request (Monday morning, Centrum) at an address no volunteer lives at."""
    fields.setdefault("address", "Marktplein 3")
    fields.setdefault("status", RequestStatus.OPEN)
    return factories.help_request(**fields)


def coordinator() -> User:
    return factories.user(Role.COORDINATOR)


def make_volunteer(
    skills: tuple[str, ...] = ("boodschappen",), pc4: str = "1211", **fields: Any
) -> User:
    """A volunteer account (via ``factories.volunteer_profile``), free on Monday mornings."""
    fields.setdefault("availability", ["mon-morning", "wed-afternoon"])
    fields.setdefault("max_travel_km", 5.0)
    return factories.volunteer_profile(pc4=pc4, skills=skills, **fields).user


def switch_user(login: Any, user: User) -> Any:
    """Log the test client in as another user. The test's app context (and so ``g``, where
    Flask-Login caches the current user) is shared by all requests, so forget that cache."""
    from flask import g

    g.pop("_login_user", None)
    return login(user)

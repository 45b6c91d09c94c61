"""Test data helpers shared by the privacy, concerns and security tests."""

from __future__ import annotations

from typing import Any

from marketplace.extensions import db
from marketplace.models import Match, MatchStatus, Role, User, VogStatus, VolunteerProfile
from tests import factories


def volunteer(
    password: str | None = factories.PASSWORD,
    skills: tuple[str, ...] = ("boodschappen",),
    **fields: Any,
) -> User:
    """A volunteer with a profile in Centrum (like ``factories.volunteer``, without the
    autoflush warning it raises on SQLAlchemy 2.0). ``password=None`` skips the slow hash."""
    with db.session.no_autoflush:
        account = factories.user(Role.VOLUNTEER, postcode="1211 AB", password=password)
        lat, lon = factories.HILVERSUM["1211"]
        values: dict[str, Any] = {
            "postcode": "1211 AB", "latitude": lat, "longitude": lon,
            "neighbourhood": factories.neighbourhood("Centrum"), "max_travel_km": 5.0,
            "availability": ["mon-morning", "wed-afternoon"], "languages": ["nl"],
            "vog_status": VogStatus.NONE, "capacity": 1,
        }
        values.update(fields)
        profile = VolunteerProfile(user=account, **values)
        db.session.add(profile)
        profile.skills = [factories.category(slug) for slug in skills]
        db.session.flush()
    return account


def match(help_request: Any, volunteer_user: User, status: MatchStatus, **fields: Any) -> Match:
    row = Match(help_request=help_request, volunteer=volunteer_user, status=status, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def login_as(client: Any, user: User | None) -> Any:
    """Log ``client`` in as ``user`` (None: anonymous).

    The ``app`` fixture keeps one app context open for the whole test, so Flask-Login's
    cached ``g._login_user`` would survive between requests; it is dropped here.
    """
    from flask import g

    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client

"""Test data helpers shared by the privacy, concerns and security tests."""

from __future__ import annotations

from typing import Any

from marketplace.extensions import db
from marketplace.models import Match, MatchStatus, User
from tests import factories


def volunteer(**fields: Any) -> User:
    """``factories.volunteer`` without the autoflush warning it raises on SQLAlchemy 2.0
    (the profile is attached through a backref before it is added to the session)."""
    with db.session.no_autoflush:
        return factories.volunteer(**fields)


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
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
    return client

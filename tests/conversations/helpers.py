"""Builders for the conversation tests."""

from __future__ import annotations

from typing import Any

from marketplace.matches import lifecycle
from marketplace.models import Match, MatchStatus, RequestStatus
from tests import factories
from tests.matches.helpers import make_volunteer, open_request


def accepted_match(db: Any, **request_fields: Any) -> Match:
    """An accepted match in Centrum (the volunteer picked the request)."""
    volunteer = make_volunteer()
    request_fields.setdefault("neighbourhood", factories.neighbourhood("Centrum"))
    help_request = open_request(status=RequestStatus.MATCHED, **request_fields)
    match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.ACCEPTED, volunteer)
    db.session.commit()
    return match


def page_of(match: Match) -> str:
    return f"/matches/{match.id}/messages"

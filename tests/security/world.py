"""A small world with one object of every kind and the nine kinds of user.

The objects live in the wijk Centrum; the coordinator works in Oost ("a coordinator of
another neighbourhood"). The meldpunt is central: coordinators see every neighbourhood and merely
filter by their own, so this coordinator is expected to reach Centrum's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Concern,
    Feedback,
    MatchingRound,
    MatchStatus,
    Notification,
    NotificationMail,
    RequestSource,
    RequestStatus,
    Role,
    RoundStatus,
    utcnow,
)
from marketplace.vocabulary import NotificationKind
from tests import factories
from tests.security import data

KINDS = (
    "anonymous",
    "resident",
    "other_resident",
    "volunteer",
    "other_volunteer",
    "referrer",
    "coordinator",
    "admin",
    "municipality",
)
STAFF = ("coordinator", "admin")


@dataclass
class World:
    user_ids: dict[str, int | None] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    """Create the users and objects and commit. Ids only are kept (sessions come and go)."""
    centrum = factories.neighbourhood("Centrum")
    oost = factories.neighbourhood("Oost")
    resident = factories.user(Role.RESIDENT, neighbourhood=centrum, password=None)
    other_resident = factories.user(Role.RESIDENT, neighbourhood=centrum, password=None)
    volunteer = data.volunteer(password=None)
    other_volunteer = data.volunteer(password=None)
    referrer = factories.user(Role.REFERRER, password=None)
    coordinator = factories.user(Role.COORDINATOR, neighbourhood=oost, password=None)
    admin = factories.user(Role.ADMIN, password=None)
    municipality = factories.user(Role.MUNICIPALITY, password=None)  # indicators only
    # Filed by the referrer for the resident; the resident was asked for more information.
    help_request = factories.help_request(
        resident, status=RequestStatus.NEEDS_INFO, source=RequestSource.REFERRER,
        created_by_id=referrer.id, consent_given=True, consent_at=utcnow(),
        status_note="Welke dag past u?",
    )
    proposed = factories.help_request(resident, status=RequestStatus.PROPOSED)
    matching_round = MatchingRound(
        neighbourhood_id=centrum.id, dry_run=False, status=RoundStatus.DONE,
        started_by_id=coordinator.id, finished_at=utcnow(),
    )
    db.session.add(matching_round)
    db.session.flush()
    match = data.match(proposed, volunteer, MatchStatus.PROPOSED, round_id=matching_round.id,
                       proposed_at=utcnow())
    feedback = Feedback(match_id=match.id, author_id=volunteer.id, rating=4, comment="Fijn")
    db.session.add(feedback)
    concern = Concern(reporter_id=resident.id, neighbourhood_id=centrum.id, message="Zorg")
    db.session.add(concern)
    # The question, told to the resident (and on the coordinators' "to phone" list).
    notification = Notification(
        recipient_id=resident.id, kind=NotificationKind.REQUEST_INFO_NEEDED,
        key="world:request_info_needed", help_request_id=help_request.id,
        params={"title": help_request.title, "note": "Welke dag past u?"},
        mail=NotificationMail.NO_ADDRESS, phone_needed=True,
    )
    db.session.add(notification)
    db.session.flush()
    world = World()
    world.user_ids = {
        "anonymous": None,
        "resident": resident.id,
        "other_resident": other_resident.id,
        "volunteer": volunteer.id,
        "other_volunteer": other_volunteer.id,
        "referrer": referrer.id,
        "coordinator": coordinator.id,
        "admin": admin.id,
        "municipality": municipality.id,
    }
    world.ids = {
        "request_id": help_request.id,
        "match_id": match.id,
        "profile_id": volunteer.volunteer_profile.id,
        "round_id": matching_round.id,
        "category_id": factories.category("boodschappen").id,
        "neighbourhood_id": centrum.id,
        "concern_id": concern.id,
        "notification_id": notification.id,
        "user_id": resident.id,
        "token": "not-a-valid-token",
        "feedback_id": feedback.id,
    }
    db.session.commit()
    return world


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table except the audit log (refused attempts may be logged)."""
    result: dict[str, list[tuple[Any, ...]]] = {}
    for table in db.metadata.sorted_tables:
        if table.name == "audit_log":
            continue
        rows = db.session.execute(sa.select(table)).all()
        result[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return result


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }

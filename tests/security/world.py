"""A small world with one object of every kind and the nine kinds of user.

The objects live in the wijk Centrum; the coordinator works in Oost ("a coordinator of
another neighbourhood"). The meldpunt is central: coordinators see every neighbourhood and merely
filter by their own, so this coordinator is expected to reach Centrum's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Concern,
    Feedback,
    FollowUpTask,
    MatchingRound,
    MatchStatus,
    Notification,
    NotificationMail,
    OutboxMessage,
    OutboxStatus,
    RequestSource,
    RequestStatus,
    Role,
    RoundStatus,
    Waakvlam,
    utcnow,
)
from marketplace.vocabulary import NotificationKind, TaskKind
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
    "org_coordinator",  # coordinator of the partner organisation the world's referral went to
    "other_org_coordinator",  # coordinator of another partner organisation
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
    # Aftercare: a follow-up task about the resident, who is also followed by a waakvlam.
    task = FollowUpTask(kind=TaskKind.CONCERN, key="world:concern", due_on=utcnow().date(),
                        neighbourhood_id=centrum.id, person_id=resident.id)
    waakvlam = Waakvlam(person_id=resident.id, rhythm_name="Wekelijks",
                        stages=[{"every_days": 7, "times": None}])
    # An e-mail the outbox gave up on (administrators offer it again).
    failed_mail = OutboxMessage(kind="email", status=OutboxStatus.FAILED, attempts=5,
                                available_at=utcnow(), error="SMTPServerDisconnected",
                                payload={"to": "x@example.org", "subject": "s", "text": "t"})
    db.session.add_all([task, waakvlam, failed_mail])
    db.session.flush()
    carer_check = _carer(resident)
    partners = _partner_organisations(resident, volunteer, coordinator)
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
        "org_coordinator": partners["org_coordinator"],
        "other_org_coordinator": partners["other_org_coordinator"],
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
        "task_id": task.id,
        "message_id": failed_mail.id,
        "waakvlam_id": waakvlam.id,
        "check_id": carer_check.id,
        "organisation_id": partners["organisation_id"],
        "referral_id": partners["referral_id"],
        # the sociale kaart and its HSDS API: ids nobody has (404 for those let through)
        "service_id": "00000000-0000-4000-8000-0000000000aa",
        "schedule_id": 987654,
        "suggestion_id": 987654,
        "contact_id": 987654,
        "phone_id": 987654,
        "organization_id": "00000000-0000-4000-8000-0000000000ab",
        "item_id": "00000000-0000-4000-8000-0000000000ac",
        "taxonomy_id": "00000000-0000-4000-8000-0000000000ad",
        "term_id": "00000000-0000-4000-8000-0000000000ae",
        "feedback_id": feedback.id,
    }
    db.session.commit()
    return world


def _carer(resident: Any) -> Any:
    """The resident is also an informal carer with one overload check (carers)."""
    from marketplace.models import CarerCheck, CarerProfile

    db.session.add(CarerProfile(user_id=resident.id, relation="partner", hours_per_week=10))
    carer_check = CarerCheck(user_id=resident.id, neighbourhood_id=resident.neighbourhood_id,
                             answers={}, felt_burden=2, total=16, level="light")
    db.session.add(carer_check)
    db.session.flush()
    return carer_check
def _partner_organisations(resident: Any, volunteer: Any, coordinator: Any) -> dict[str, int]:
    """Two partner organisations, each with its coordinator; the world's volunteer belongs to
    the first, and an open request of the resident was routed to it."""
    from marketplace.models import MemberRole, Organisation, OrganisationMember
    from marketplace.organisations import lifecycle as referral_lifecycle

    ids: dict[str, int] = {}
    for kind, name in (("org_coordinator", "Humanitas"), ("other_org_coordinator", "Zonnebloem")):
        organisation = Organisation(name=name)
        lead = factories.user(Role.ORGANISATION_COORDINATOR, password=None)
        organisation.members.append(OrganisationMember(user=lead, role=MemberRole.COORDINATOR))
        db.session.add(organisation)
        db.session.flush()
        ids[kind] = lead.id
        if kind == "org_coordinator":
            organisation.members.append(
                OrganisationMember(user=volunteer, role=MemberRole.VOLUNTEER))
            ids["organisation_id"] = organisation.id
            waiting = factories.help_request(resident, status=RequestStatus.OPEN,
                                             address="Marktplein 3")
            referral = referral_lifecycle.create(waiting.id, organisation.id, coordinator,
                                                 utcnow() + timedelta(hours=72))
            db.session.flush()
            ids["referral_id"] = referral.id
    return ids


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

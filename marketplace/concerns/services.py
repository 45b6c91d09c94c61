"""Concerns raised by residents and volunteers; they land in the coordinators' queue."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from marketplace import access, audit
from marketplace.aftercare import rules as aftercare_rules
from marketplace.errors import DomainError, FieldError, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Concern, ConcernStatus, HelpRequest, Match, User, utcnow
from marketplace.vocabulary import local_today

MAX_MESSAGE = 2000


def own_requests(user: User) -> list[HelpRequest]:
    """Requests the user asked for or filed for someone else, newest first."""
    return list(db.session.scalars(
        sa.select(HelpRequest)
        .where(sa.or_(HelpRequest.requester_id == user.id, HelpRequest.created_by_id == user.id))
        .order_by(HelpRequest.id.desc())
        .limit(50)
    ).unique())


def own_matches(user: User) -> list[Match]:
    """Matches in which the user is the volunteer, newest first."""
    return list(db.session.scalars(
        sa.select(Match).where(Match.volunteer_id == user.id).order_by(Match.id.desc()).limit(50)
    ).unique())


def conversation_matches(user: User) -> list[Match]:
    """Accepted (or earlier accepted) matches in which ``user`` speaks for the resident: a
    concern may be about their conversation with the volunteer. Newest first."""
    matches = db.session.scalars(
        sa.select(Match).join(HelpRequest, Match.help_request_id == HelpRequest.id)
        .where(sa.or_(HelpRequest.requester_id == user.id, HelpRequest.created_by_id == user.id),
               Match.volunteer_id != user.id)
        .order_by(Match.id.desc()).limit(50)
    ).unique()
    return [match for match in matches
            if access.was_accepted(match) and access.speaks_for_resident(user, match)]


def _linked_request(
    reporter: User, help_request_id: int | None, match_id: int | None
) -> HelpRequest | None:
    """The request the concern is about, checked to be the reporter's; a
    :class:`FieldError` on ``about`` otherwise (never saying whose it is)."""
    if match_id is not None:
        match = db.session.get(Match, match_id)
        if match is None or not access.is_conversation_party(reporter, match):
            raise FieldError("about", _l("Deze koppeling is niet gevonden."))
        return match.help_request
    if help_request_id is not None:
        help_request = db.session.get(HelpRequest, help_request_id)
        if help_request is None or reporter.id not in (
            help_request.requester_id, help_request.created_by_id
        ):
            raise FieldError("about", _l("Deze aanvraag is niet gevonden."))
        return help_request
    return None


def create_concern(
    reporter: User,
    message: str,
    help_request_id: int | None = None,
    match_id: int | None = None,
) -> Concern:
    """Record a concern for the staff. The neighbourhood comes from the request or the user.

    Raises ``DomainError`` for an empty or too long message and ``FieldError`` (on
    ``about``) when the linked request or match is not the reporter's.
    """
    message = (message or "").replace("\x00", "").strip()
    if not message:
        raise DomainError(_l("Schrijf op waar u zich zorgen over maakt."))
    if len(message) > MAX_MESSAGE:
        raise DomainError(_l("Uw bericht is te lang (hoogstens 2000 tekens)."))
    help_request = _linked_request(reporter, help_request_id, match_id)
    neighbourhood_id = reporter.neighbourhood_id
    if help_request is not None and help_request.neighbourhood_id is not None:
        neighbourhood_id = help_request.neighbourhood_id
    elif neighbourhood_id is None and reporter.volunteer_profile is not None:
        neighbourhood_id = reporter.volunteer_profile.neighbourhood_id
    concern = Concern(
        reporter_id=reporter.id,
        help_request_id=help_request.id if help_request is not None else None,
        match_id=match_id,
        neighbourhood_id=neighbourhood_id,
        message=message,
    )
    db.session.add(concern)
    db.session.flush()
    audit.record(reporter, "concern.created", concern)
    aftercare_rules.on_concern(concern, local_today())
    return concern


def list_concerns(
    neighbourhood_id: int | None, status: ConcernStatus | None
) -> list[Concern]:
    """The queue: oldest open first. ``None`` filters mean "all"."""
    query = sa.select(Concern).options(joinedload(Concern.reporter))
    if neighbourhood_id is not None:
        query = query.where(Concern.neighbourhood_id == neighbourhood_id)
    if status is not None:
        query = query.where(Concern.status == status)
    query = query.order_by(Concern.status, Concern.created_at, Concern.id).limit(500)
    return list(db.session.scalars(query).unique())


def count_concerns() -> int:
    """How many concerns there are, in every neighbourhood and status (what a filtered list
    is "shown of")."""
    return db.session.scalar(sa.select(sa.func.count(Concern.id))) or 0


def view_concern(concern_id: int, viewer: User) -> Concern:
    """A concern for a staff member; the view is written to the audit log. NotFound if none."""
    concern = db.session.get(Concern, concern_id)
    if concern is None:
        raise NotFound(_l("Deze melding is niet gevonden."))
    audit.record(viewer, "concern.viewed", concern)
    return concern


def handle_concern(concern_id: int, actor: User) -> Concern:
    """Mark a concern handled (idempotent). Raises NotFound for an unknown id."""
    concern = db.session.get(Concern, concern_id)
    if concern is None:
        raise NotFound(_l("Deze melding is niet gevonden."))
    if concern.status != ConcernStatus.HANDLED:
        concern.status = ConcernStatus.HANDLED
        concern.handled_at = utcnow()
        concern.handled_by_id = actor.id
        audit.record(actor, "concern.handled", concern)
    db.session.flush()
    return concern

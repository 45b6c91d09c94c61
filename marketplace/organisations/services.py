"""Routing a request to a partner organisation, and what the organisation does with it.

A meldpunt coordinator routes an open request to an organisation; the organisation's
coordinator assigns one of its own volunteers (the request becomes an ordinary proposal to
that volunteer: the usual accept and contact-sharing rules apply) or returns it with a reason;
unanswered in time it returns by itself (:func:`time_out`, run by the notifications tick).

Statuses move only through :mod:`marketplace.organisations.lifecycle` (referrals),
:mod:`marketplace.matches.lifecycle` and :mod:`marketplace.requests.lifecycle`. Who may do
what is asked of :mod:`marketplace.access`. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from marketplace import access, audit
from marketplace.errors import Conflict, FieldError, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.matches import lifecycle as match_lifecycle
from marketplace.matches import notifications as match_notifications
from marketplace.matches import pair_rules
from marketplace.matches.services import flush_or_conflict, lock_request, neighbourhood_coordinators
from marketplace.models import (
    HelpRequest,
    MatchStatus,
    MemberRole,
    Organisation,
    OrganisationMember,
    OrganisationReferral,
    RequestStatus,
    User,
    utcnow,
)
from marketplace.notifications import notify
from marketplace.organisations import lifecycle
from marketplace.requests import lifecycle as request_lifecycle
from marketplace.requests import rules as request_rules
from marketplace.vocabulary import NotificationKind, ReferralStatus, local_today

NOT_OPEN = _l("Deze aanvraag staat niet (meer) open voor koppelen.")


def answer_hours(organisation: Organisation) -> int:
    """Hours ``organisation`` has to answer: its own, else ``ORGANISATION_ANSWER_HOURS``."""
    if organisation.answer_hours:
        return int(organisation.answer_hours)
    return int(current_app.config.get("ORGANISATION_ANSWER_HOURS", 72))


def waiting_referral(help_request_id: int) -> OrganisationReferral | None:
    """The referral of the request still waiting for an organisation, if any."""
    return db.session.scalar(
        sa.select(OrganisationReferral).where(
            OrganisationReferral.help_request_id == help_request_id,
            OrganisationReferral.status.in_(list(lifecycle.WAITING)),
        )
    )


def referrals_of_request(help_request_id: int) -> list[OrganisationReferral]:
    """Every referral of the request, newest first (the staff page's history)."""
    query = (
        sa.select(OrganisationReferral)
        .where(OrganisationReferral.help_request_id == help_request_id)
        .order_by(OrganisationReferral.id.desc())
    )
    return list(db.session.scalars(query))


def routable_organisations(help_request: HelpRequest) -> list[tuple[Organisation, bool]]:
    """Active organisations as (organisation, fits): ``fits`` when it serves the request's
    neighbourhood and gives its kind of help; those come first, then by name."""
    organisations = db.session.scalars(
        sa.select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.name)
    )
    rows = [(organisation, fits(organisation, help_request)) for organisation in organisations]
    return sorted(rows, key=lambda row: not row[1])


def fits(organisation: Organisation, help_request: HelpRequest) -> bool:
    """The organisation works in the request's neighbourhood and offers its kind of help."""
    in_area = any(item.id == help_request.neighbourhood_id for item in organisation.neighbourhoods)
    offers = any(item.id == help_request.category_id for item in organisation.categories)
    return in_area and offers


def route_request(
    actor: User | None, help_request: HelpRequest, organisation: Organisation, note: str = "",
    text: RequestText | None = None,
) -> OrganisationReferral:
    """Route an open request to ``organisation`` (staff, or the system for a round). With
    ``text``, the coordinator's edit of the title and description the organisation reads
    (personal details taken out) replaces the resident's first (see :func:`edit_text`).

    Raises :class:`NotAllowed` for anyone else, :class:`Conflict` when the request is not
    open or already waits for an organisation, :class:`FieldError` for an inactive one or
    an empty or too long text.
    """
    access.require_staff(actor)
    help_request = lock_request(help_request.id)
    if help_request.status != RequestStatus.OPEN:
        raise Conflict(NOT_OPEN)
    if waiting_referral(help_request.id) is not None:
        raise Conflict(_l("Deze aanvraag wacht al op een organisatie."))
    if not organisation.active:
        raise FieldError("organisation_id", _l("Deze organisatie doet nu niet mee."))
    if text is not None:
        edit_text(actor, help_request, text)
    due_at = utcnow() + timedelta(hours=answer_hours(organisation))
    referral = lifecycle.create(help_request.id, organisation.id, actor, due_at, note)
    db.session.flush()
    audit.record(actor, "organisation.routed", help_request, organisation.name)
    _tell_organisation(referral)
    flush_or_conflict()
    return referral


@dataclass(frozen=True)
class RequestText:
    """What an organisation reads of a request: its title and description."""

    title: str
    description: str


def edit_text(actor: User | None, help_request: HelpRequest, text: RequestText) -> bool:
    """The meldpunt's coordinator takes personal details out of the title and description
    before an organisation reads them. A change is a line in the request's history and an
    audit entry (naming the parts, never the text). Returns whether anything changed.

    Raises :class:`FieldError` for an empty or too long part, changing nothing."""
    new = {"title": text.title.strip(), "description": text.description.strip()}
    limits = {"title": request_rules.TITLE_MAX, "description": request_rules.DESCRIPTION_MAX}
    for name, value in new.items():
        if not value:
            raise FieldError(name, _l("Vul dit in."))
        if len(value) > limits[name]:
            raise FieldError(name, _l("Maximaal %(max)d tekens.", max=limits[name]))
    changed = [request_rules.CHANGED_PARTS[name] for name, value in new.items()
               if getattr(help_request, name) != value]
    if not changed:
        return False
    help_request.title, help_request.description = new["title"], new["description"]
    note = f"Gewijzigd door een medewerker: {', '.join(changed)}"
    request_lifecycle.record_change(help_request, actor, note)
    audit.record(actor, "request.updated", help_request, f"voor een organisatie: {note}")
    return True


def _tell_organisation(referral: OrganisationReferral) -> None:
    for member in coordinators_of(referral.organisation):
        notify(member, NotificationKind.REFERRAL_NEW, key=f"referral_new:{referral.id}:{member.id}",
               help_request=referral.help_request, referral_id=referral.id,
               organisation=referral.organisation.name, title=referral.help_request.title)


def coordinators_of(organisation: Organisation) -> list[User]:
    """The organisation's active coordinators."""
    return [
        member.user for member in organisation.members
        if member.role == MemberRole.COORDINATOR and member.user.is_active
    ]


# --- the organisation's coordinator -------------------------------------------------------


def coordinated_organisations(user: User) -> list[Organisation]:
    """The organisations ``user`` coordinates (none for anyone else)."""
    query = (
        sa.select(Organisation)
        .join(OrganisationMember)
        .where(OrganisationMember.user_id == user.id,
               OrganisationMember.role == MemberRole.COORDINATOR)
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(query).unique())


def referrals_for(user: User, statuses: Sequence[ReferralStatus], limit: int = 50
                  ) -> list[OrganisationReferral]:
    """Referrals in ``statuses`` to the organisations ``user`` coordinates, oldest due first."""
    ids = [organisation.id for organisation in coordinated_organisations(user)]
    if not ids:
        return []
    query = (
        sa.select(OrganisationReferral)
        .where(OrganisationReferral.organisation_id.in_(ids),
               OrganisationReferral.status.in_(list(statuses)))
        .order_by(OrganisationReferral.due_at, OrganisationReferral.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def visible_referral(user: User, referral_id: int) -> OrganisationReferral:
    """The referral when ``user`` coordinates its organisation; else :class:`NotFound`."""
    referral = db.session.get(OrganisationReferral, referral_id)
    if referral is None or not access.can_handle_referral(user, referral):
        raise NotFound(_l("Deze aanvraag bestaat niet."))
    return referral


def assignable_volunteers(referral: OrganisationReferral) -> list[User]:
    """The organisation's own active volunteers with a volunteer profile, not paused, with
    the screening the kind of help needs (a valid VOG, a checked training), by name, without
    those who may never be paired with this request."""
    category = referral.help_request.category
    today = local_today()
    allowed = []
    for member in referral.organisation.members:
        person, profile = member.user, member.user.volunteer_profile
        if (member.role != MemberRole.VOLUNTEER or not person.is_active or profile is None
                or profile.paused):
            continue
        if ((category.requires_vog and not access.vog_valid_on(profile, today))
                or (category.requires_training and not profile.training_verified)):
            continue
        if not pair_rules.is_forbidden(referral.help_request, person):
            allowed.append(person)
    return sorted(allowed, key=lambda person: person.name.lower())


def assign_volunteer(actor: User, referral: OrganisationReferral, volunteer_id: int
                     ) -> OrganisationReferral:
    """The organisation's coordinator asks one of its own volunteers: a proposal to that
    volunteer (who accepts or declines as usual) and the referral is assigned.

    Raises :class:`NotFound` for a referral the actor may not handle, :class:`FieldError`
    for someone who is not one of the organisation's available volunteers,
    :class:`InvalidTransition` when it was answered already, :class:`Conflict` when the
    request is no longer open (it was taken or closed meanwhile).
    """
    referral = visible_referral(actor, referral.id)
    volunteer = next((person for person in assignable_volunteers(referral)
                      if person.id == volunteer_id), None)
    if volunteer is None:
        raise FieldError("volunteer_id", _l("Kies een vrijwilliger van uw organisatie."))
    help_request = lock_request(referral.help_request_id)
    if help_request.status != RequestStatus.OPEN:
        raise Conflict(NOT_OPEN)
    lifecycle.transition(referral, ReferralStatus.ASSIGNED, actor, volunteer.name)
    note = f"via {referral.organisation.name}"
    match = match_lifecycle.create(help_request.id, volunteer.id, MatchStatus.SUGGESTED, actor,
                                   note)
    match.explanation = {"organisation": referral.organisation.name}
    match_lifecycle.transition(match, MatchStatus.PROPOSED, actor, note)
    request_lifecycle.transition(help_request, RequestStatus.PROPOSED, actor,
                                 f"voorstel via {referral.organisation.name}")
    db.session.flush()
    referral.match_id = match.id
    audit.record(actor, "organisation.assigned", help_request, referral.organisation.name)
    match_notifications.proposed([match])
    flush_or_conflict()
    return referral


def return_referral(actor: User, referral: OrganisationReferral, reason: str
                    ) -> OrganisationReferral:
    """The organisation gives the request back, saying why: it is in the meldpunt's queue
    again and the coordinator who routed it (else the neighbourhood's) is told.

    Raises :class:`FieldError` without a reason, :class:`NotFound` for a referral the actor
    may not handle, :class:`InvalidTransition` when it was answered already.
    """
    referral = visible_referral(actor, referral.id)
    reason = (reason or "").strip()[:500]
    if not reason:
        raise FieldError("reason", _l("Schrijf kort waarom u deze aanvraag teruggeeft."))
    lifecycle.transition(referral, ReferralStatus.RETURNED, actor, reason)
    referral.reason = reason
    audit.record(actor, "organisation.returned", referral.help_request, referral.organisation.name)
    _tell_meldpunt(referral, timed_out=False)
    db.session.flush()
    return referral


def time_out(referral_id: int, now: datetime) -> OrganisationReferral | None:
    """Return a referral left unanswered past its ``due_at`` (the system acts, at ``now``).

    Returns None, changing nothing, when it was answered meanwhile or is not due yet (so a
    second tick does nothing). A request that was taken or closed meanwhile only withdraws
    the referral; otherwise it is back in the meldpunt's queue and the coordinator is told.
    """
    referral = db.session.get(OrganisationReferral, referral_id, populate_existing=True)
    if referral is None or referral.status != ReferralStatus.ROUTED or referral.due_at > now:
        return None
    if referral.help_request.status != RequestStatus.OPEN:
        lifecycle.transition(referral, ReferralStatus.WITHDRAWN, None,
                             "aanvraag niet meer open", now)
        return referral
    lifecycle.transition(referral, ReferralStatus.TIMED_OUT, None, "niet op tijd beantwoord",
                         now)
    audit.record(None, "organisation.timed_out", referral.help_request,
                 referral.organisation.name)
    _tell_meldpunt(referral, timed_out=True)
    db.session.flush()
    return referral


def overdue_referral_ids(now: datetime, limit: int = 200) -> list[int]:
    """Ids of referrals still waiting at ``now`` after their answer time."""
    return list(db.session.scalars(
        sa.select(OrganisationReferral.id)
        .where(OrganisationReferral.status == ReferralStatus.ROUTED,
               OrganisationReferral.due_at <= now)
        .order_by(OrganisationReferral.due_at, OrganisationReferral.id)
        .limit(limit)
    ))


def _tell_meldpunt(referral: OrganisationReferral, timed_out: bool) -> None:
    routed_by = referral.routed_by
    people = ([routed_by] if routed_by is not None and routed_by.is_staff and routed_by.is_active
              else neighbourhood_coordinators(referral.help_request))
    for person in people:
        notify(person, NotificationKind.REFERRAL_RETURNED,
               key=f"referral_returned:{referral.id}:{person.id}",
               help_request=referral.help_request, organisation=referral.organisation.name,
               title=referral.help_request.title, reason=referral.reason, timed_out=timed_out)

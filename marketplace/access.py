"""Who may see or change what, and who is eligible for which help: the rules in one place.

Views guard routes with the decorators; services, views and templates ask the predicates
(``can_manage_request``, ``can_view_match``, ``vog_valid_on``, ...). Nothing else decides
these questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from marketplace.errors import NotAllowed
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Concern, MatchStatus, RequestSource, Role, User, VogStatus

if TYPE_CHECKING:
    from marketplace.models import HelpRequest, Match, VolunteerProfile

F = TypeVar("F", bound=Callable[..., Any])

#: A certificate of conduct (VOG) counts for this many years from its date.
VOG_VALID_YEARS = 3
#: The volunteer said yes: from here on both sides see each other's contact details.
_CONTACT_SHARED = (MatchStatus.ACCEPTED, MatchStatus.COMPLETED)


# --- routes -------------------------------------------------------------------------------


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Logged-in users holding at least one of ``roles``; others get 403 (anonymous: login)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


staff_required = roles_required(Role.COORDINATOR, Role.ADMIN)
admin_required = roles_required(Role.ADMIN)
volunteer_required = roles_required(Role.VOLUNTEER)


def require_staff(actor: User | None) -> None:
    """Raise :class:`NotAllowed` unless ``actor`` works for the meldpunt (None is the system:
    the command line or a background job)."""
    if actor is not None and not actor.is_staff:
        raise NotAllowed(_l("Alleen medewerkers van het meldpunt kunnen dit doen."))


def can_start_region_round(user: User) -> bool:
    """A region's round (in shards, over the whole installation) is started by an
    administrator or by a coordinator for the whole area (no neighbourhood of their own)."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.ADMIN):
        return True
    return user.has_role(Role.COORDINATOR) and user.neighbourhood_id is None


# --- requests -----------------------------------------------------------------------------


def can_manage_request(user: User, help_request: HelpRequest) -> bool:
    """The requester, the referrer who filed it, or staff."""
    if user.is_staff or help_request.requester_id == user.id:
        return True
    return (
        help_request.source == RequestSource.REFERRER
        and help_request.created_by_id == user.id
        and user.has_role(Role.REFERRER)
    )


# --- matches ------------------------------------------------------------------------------


def is_party(user: User, match: Match) -> bool:
    """The match's volunteer or the resident it helps."""
    return user.id in (match.volunteer_id, match.help_request.requester_id)


def can_view_match(user: User, match: Match) -> bool:
    """Staff; the two parties once the volunteer was asked (a suggestion is staff-only)."""
    return user.is_staff or (match.proposed_at is not None and is_party(user, match))


def can_manage_match(user: User | None, match: Match) -> bool:
    """Coordinators' actions on a pairing (approve, lock, forbid): staff, or the system."""
    return user is None or user.is_staff


def can_cancel_match(user: User, match: Match) -> bool:
    """Accepted help can be called off by the volunteer or by whoever manages the request
    for the resident (the resident, the referrer who filed it, staff at the desk)."""
    return match.status == MatchStatus.ACCEPTED and (
        user.id == match.volunteer_id or can_manage_request(user, match.help_request)
    )


def contact_details_visible(viewer: User | None, match: Match) -> bool:
    """Only the two parties, and only once the volunteer has accepted."""
    return (
        viewer is not None
        and match.status in _CONTACT_SHARED
        and is_party(viewer, match)
    )


@dataclass(frozen=True)
class SharedContact:
    """What one side of a pairing shows the other: the name always, the phone number and
    the e-mail address only when the person has one and chose to share it."""

    name: str
    phone: str | None
    email: str | None

    @property
    def reachable(self) -> bool:
        """False: the other side has to go through the coordinator."""
        return bool(self.phone or self.email)


def shared_contact(person: User) -> SharedContact:
    """The contact details ``person`` shares with the other side of a pairing."""
    return SharedContact(
        name=person.name,
        phone=person.phone if person.share_phone and person.phone else None,
        email=person.email if person.share_email and person.email else None,
    )


def contact_for(viewer: User | None, match: Match) -> SharedContact | None:
    """The other side's shared details as ``viewer`` may see them, or None before the
    volunteer accepted and for anyone but the two parties. The volunteer sees the
    resident's; the resident sees the volunteer's."""
    if viewer is None or not contact_details_visible(viewer, match):
        return None
    if viewer.id == match.volunteer_id:
        return shared_contact(match.help_request.requester)
    return shared_contact(match.volunteer)


# --- eligibility --------------------------------------------------------------------------


def vog_expires_on(vog_date: date) -> date:
    """A VOG counts for three years from its date (29 February moves to 28 February)."""
    try:
        return vog_date.replace(year=vog_date.year + VOG_VALID_YEARS)
    except ValueError:
        return vog_date.replace(year=vog_date.year + VOG_VALID_YEARS, day=28)


def vog_valid_on(profile: VolunteerProfile, day: date) -> bool:
    """True when the volunteer's VOG was marked valid, has a date, and is under three years
    old on ``day``. Rounds, browsing and picking all ask this."""
    return (
        profile.vog_status == VogStatus.VALID
        and profile.vog_date is not None
        and day < vog_expires_on(profile.vog_date)
    )


# --- conversations ------------------------------------------------------------------------

#: A conversation is open while the help runs; afterwards it can still be read.
_CONVERSATION_OPEN = (MatchStatus.ACCEPTED,)
_CONVERSATION_ENDED = (MatchStatus.COMPLETED, MatchStatus.CANCELLED, MatchStatus.WITHDRAWN)


def was_accepted(match: Match) -> bool:
    """True when the volunteer said yes at some point (the match is or was accepted)."""
    if match.status in (MatchStatus.ACCEPTED, MatchStatus.COMPLETED, MatchStatus.CANCELLED):
        return True
    return match.status == MatchStatus.WITHDRAWN and any(
        step.to_status == MatchStatus.ACCEPTED for step in match.transitions
    )


def speaks_for_resident(user: User, match: Match) -> bool:
    """The resident, or whoever acts for them on this request: the referrer who filed it or
    the desk coordinator who registered it."""
    help_request = match.help_request
    if user.id == help_request.requester_id:
        return True
    if help_request.created_by_id != user.id:
        return False
    if help_request.source == RequestSource.REFERRER:
        return user.has_role(Role.REFERRER)
    return help_request.source == RequestSource.DESK and user.is_staff


def is_conversation_party(user: User, match: Match) -> bool:
    """The volunteer, or the resident's side (:func:`speaks_for_resident`)."""
    return user.id == match.volunteer_id or speaks_for_resident(user, match)


def reads_conversation_as_staff(user: User, match: Match) -> bool:
    """A coordinator of the request's neighbourhood (any coordinator when the request lies
    outside every neighbourhood), and only once either side reported a concern about the
    match. Every such reading is audited (``conversation.viewed_by_staff``)."""
    if not user.has_role(Role.COORDINATOR):
        return False
    neighbourhood_id = match.help_request.neighbourhood_id
    if neighbourhood_id is not None and user.neighbourhood_id != neighbourhood_id:
        return False
    reported = sa.select(Concern.id).where(Concern.match_id == match.id).limit(1)
    return db.session.scalar(reported) is not None


def can_read_conversation(user: User, match: Match) -> bool:
    """The two sides once the volunteer accepted (also after the help ended); coordinators
    only through a reported concern (:func:`reads_conversation_as_staff`). Nobody else."""
    if not was_accepted(match):
        return False
    return is_conversation_party(user, match) or reads_conversation_as_staff(user, match)


def can_write_conversation(user: User, match: Match) -> bool:
    """The two sides while the help runs (accepted); read-only after it ended."""
    return match.status in _CONVERSATION_OPEN and is_conversation_party(user, match)
# --- informal carers ----------------------------------------------------------------------

#: Besides staff, who may register a carer for someone else (with consent).
CARER_REGISTRARS = (Role.REFERRER,)


def can_view_carer_checks(viewer: User, carer: User) -> bool:
    """The carer, and the coordinators of the carer's neighbourhood (a coordinator without a
    neighbourhood works for all; a carer without one is seen by every coordinator). The
    answers are sensitive: administrators, referrers and volunteers do not see them."""
    if viewer.id == carer.id:
        return True
    if not viewer.has_role(Role.COORDINATOR):
        return False
    return (
        viewer.neighbourhood_id is None
        or carer.neighbourhood_id is None
        or viewer.neighbourhood_id == carer.neighbourhood_id
    )


def can_register_carer(actor: User, carer: User, existing: object | None) -> bool:
    """The carer themselves; staff; a referrer only for someone who has no profile yet."""
    if actor.id == carer.id or actor.is_staff:
        return True
    return actor.has_role(*CARER_REGISTRARS) and existing is None
# --- partner organisations ----------------------------------------------------------------

if TYPE_CHECKING:
    from marketplace.models import Organisation, OrganisationReferral

organisation_coordinator_required = roles_required(Role.ORGANISATION_COORDINATOR)


def coordinates_organisation(user: User, organisation: Organisation) -> bool:
    """``user`` holds the organisation-coordinator role and is a coordinator of it."""
    from marketplace.models import MemberRole

    return user.has_role(Role.ORGANISATION_COORDINATOR) and any(
        member.user_id == user.id and member.role == MemberRole.COORDINATOR
        for member in organisation.members
    )


def can_handle_referral(user: User, referral: OrganisationReferral) -> bool:
    """Only a coordinator of the organisation the request was routed to; never another
    organisation's, and never the meldpunt's staff through the organisation's pages."""
    return coordinates_organisation(user, referral.organisation)
# --- sociale kaart ------------------------------------------------------------------------


def maintained_organisation_ids(user: User) -> set[int] | None:
    """The organisations whose sociale-kaart entries ``user`` maintains: those they
    coordinate (``OrganisationMember`` role coordinator); None means every organisation
    (the meldpunt's coordinators and administrator)."""
    import sqlalchemy as sa

    from marketplace.extensions import db
    from marketplace.models import MemberRole, OrganisationMember

    if user.has_role(Role.ADMIN) or user.has_role(Role.COORDINATOR):
        return None
    return set(db.session.scalars(
        sa.select(OrganisationMember.organisation_id).where(
            OrganisationMember.user_id == user.id,
            OrganisationMember.role == MemberRole.COORDINATOR,
        )
    ))


def can_maintain_organisation(user: User, organisation_id: int) -> bool:
    """May ``user`` edit the organisation's services and decide suggested corrections?"""
    maintained = maintained_organisation_ids(user)
    return maintained is None or organisation_id in maintained


def socialmap_maintainer_required(view: F) -> F:
    """Logged-in users who maintain at least one organisation's entries (or the admin)."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if maintained_organisation_ids(current_user) == set():
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


# --- indicators ---------------------------------------------------------------------------

#: Coordinators, administrators and the municipality's policy staff read the indicators.
INDICATOR_READERS = (Role.COORDINATOR, Role.ADMIN, Role.MUNICIPALITY)
indicators_required = roles_required(*INDICATOR_READERS)


def can_read_indicators(user: User) -> bool:
    """Whether ``user`` reads the indicators (the nav shows "Cijfers" by this rule)."""
    return user.is_authenticated and user.has_role(*INDICATOR_READERS)


def indicator_neighbourhoods(user: User) -> frozenset[int] | None:
    """The neighbourhoods whose indicators ``user`` may read: None means every one
    (administrators, the municipality, a coordinator without a neighbourhood); a coordinator
    of a neighbourhood reads that one. Raises :class:`NotAllowed` for anyone else."""
    if user.has_role(Role.ADMIN, Role.MUNICIPALITY):
        return None
    if not user.has_role(Role.COORDINATOR):
        raise NotAllowed(_l("Alleen medewerkers en de gemeente zien de cijfers."))
    return None if user.neighbourhood_id is None else frozenset({user.neighbourhood_id})


def can_choose_stories(user: User) -> bool:
    """Coordinators and administrators choose feedback sentences for the council report
    (they read the feedback; the municipality sees only the chosen sentences)."""
    return user.is_staff


def landing_endpoint(user: User) -> str:
    """Where ``user`` lands after logging in without a ``next`` page: the municipality's
    policy staff on the indicators, everyone else on the home page."""
    return "indicators.dashboard" if user.has_role(Role.MUNICIPALITY) else "pages.home"

"""The coordinators' back office: moderation, desk intake and volunteer checks.

Every function checks first and changes nothing when it refuses (raising a
:class:`~marketplace.errors.DomainError`); the view commits.
"""

from __future__ import annotations

from datetime import date

from marketplace import audit
from marketplace.access import require_staff
from marketplace.errors import Conflict, DomainError
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.matches import lifecycle as match_lifecycle
from marketplace.models import (
    Category,
    HelpRequest,
    MatchStatus,
    RequestSource,
    RequestStatus,
    User,
    VogStatus,
    VolunteerProfile,
    utcnow,
)
from marketplace.requests import lifecycle, notifications
from marketplace.requests.services import (
    RequestData,
    ResidentData,
    create_request,
    find_or_create_resident,
    validate_data,
)
from marketplace.vocabulary import NotificationKind, local_today

S = RequestStatus
K = NotificationKind


def _check_version(help_request: HelpRequest, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != help_request.version:
        raise Conflict(_l("Iemand anders heeft deze aanvraag net veranderd. Bekijk hem opnieuw."))


def _move(actor: User, help_request: HelpRequest, to_status: RequestStatus, note: str,
          action: str, expected_version: int | None) -> HelpRequest:
    require_staff(actor)
    _check_version(help_request, expected_version)
    lifecycle.transition(help_request, to_status, actor, note)
    audit.record(actor, action, help_request, note)
    db.session.flush()
    return help_request


def approve_request(actor: User, help_request: HelpRequest, note: str = "",
                    expected_version: int | None = None,
                    tell_resident: bool = True) -> HelpRequest:
    """Put a submitted request on the marketplace (open); the resident is told, unless
    ``tell_resident`` is False (they are at the desk as it happens).

    Refuses categories that are never for volunteers: those must be escalated.
    """
    if help_request.category.escalate:
        raise DomainError(_l(
            "Deze soort hulp is niet voor vrijwilligers. Verwijs de aanvraag door naar het "
            "Sociaal Plein."
        ))
    if help_request.status != S.SUBMITTED:
        raise DomainError(
            _l("Alleen een aanvraag die wacht op goedkeuring kan worden goedgekeurd.")
        )
    moved = _move(actor, help_request, S.OPEN, note, "request.approved", expected_version)
    if tell_resident:
        notifications.status_changed(moved, K.REQUEST_APPROVED)
    return moved


def ask_for_info(actor: User, help_request: HelpRequest, reason: str,
                 expected_version: int | None = None) -> HelpRequest:
    """Ask the requester for more information (reason required); they are told."""
    moved = _move(actor, help_request, S.NEEDS_INFO, reason, "request.info_requested",
                  expected_version)
    notifications.status_changed(moved, K.REQUEST_INFO_NEEDED)
    return moved


def reject_request(actor: User, help_request: HelpRequest, reason: str,
                   expected_version: int | None = None) -> HelpRequest:
    """Refuse a request (reason required); the resident is told."""
    moved = _move(actor, help_request, S.REJECTED, reason, "request.rejected", expected_version)
    notifications.status_changed(moved, K.REQUEST_REJECTED)
    return moved


def escalate_request(actor: User, help_request: HelpRequest, reason: str,
                     expected_version: int | None = None) -> HelpRequest:
    """Refer a request to professional care at the Sociaal Plein (reason required); the
    resident is told."""
    moved = _move(actor, help_request, S.ESCALATED, reason, "request.escalated",
                  expected_version)
    notifications.status_changed(moved, K.REQUEST_ESCALATED)
    return moved


def deescalate_request(actor: User, help_request: HelpRequest, note: str = "",
                       expected_version: int | None = None) -> HelpRequest:
    """Bring an escalated request back to the marketplace (open).

    Refused for categories that are never for volunteers.
    """
    if help_request.status != S.ESCALATED:
        raise DomainError(_l("Alleen een doorverwezen aanvraag kan worden teruggehaald."))
    if help_request.category.escalate:
        raise DomainError(_l("Deze soort hulp is niet voor vrijwilligers; de aanvraag blijft "
                             "bij het Sociaal Plein."))
    return _move(actor, help_request, S.OPEN, note, "request.deescalated", expected_version)


def close_escalated(actor: User, help_request: HelpRequest, note: str = "",
                    expected_version: int | None = None) -> HelpRequest:
    """Close a request the Sociaal Plein has taken over (done; the history keeps why)."""
    if help_request.status != S.ESCALATED:
        raise DomainError(_l("Alleen een doorverwezen aanvraag kan hier worden afgesloten."))
    return _move(actor, help_request, S.DONE, note, "request.escalation_closed", expected_version)


#: A request may change category only before a volunteer is involved.
RECATEGORISABLE = frozenset({S.SUBMITTED, S.NEEDS_INFO, S.OPEN})


def change_category(actor: User, help_request: HelpRequest, category: Category | None,
                    note: str = "", expected_version: int | None = None) -> HelpRequest:
    """Put a request in another kind of help (the intake chose the wrong one).

    Only before a volunteer is asked; an open request cannot move to help that is never for
    volunteers (escalate it instead). The screening the new category needs applies from the
    next matching round on.
    """
    require_staff(actor)
    _check_version(help_request, expected_version)
    if category is None or not category.active:
        raise DomainError(_l("Kies een soort hulp uit de lijst."))
    if help_request.status not in RECATEGORISABLE:
        raise DomainError(_l("De soort hulp kan alleen veranderen zolang er nog geen "
                             "vrijwilliger is gevraagd."))
    if category.escalate and help_request.status == S.OPEN:
        raise DomainError(_l("Deze soort hulp is niet voor vrijwilligers. Verwijs de aanvraag "
                             "door naar het Sociaal Plein."))
    if category.id == help_request.category_id:
        raise DomainError(_l("De aanvraag heeft deze soort hulp al."))
    old = help_request.category.slug
    help_request.category = category
    audit.record(actor, "request.category_changed", help_request,
                 f"{old} -> {category.slug}" + (f": {note}" if note else ""))
    db.session.flush()
    return help_request


def cancel_request(actor: User, help_request: HelpRequest, reason: str = "",
                   expected_version: int | None = None) -> HelpRequest:
    """Cancel a request on the resident's behalf; a volunteer who was asked or is helping
    gets the same mail as when the resident withdraws it."""
    asked = match_lifecycle.in_play_for(help_request.id, match_lifecycle.HOLDS_CAPACITY)
    helping = {match.id for match in asked if match.status == MatchStatus.ACCEPTED}
    moved = _move(actor, help_request, S.CANCELLED, reason, "request.cancelled_by_staff",
                  expected_version)
    notifications.withdrawn(asked, helping)
    return moved


def view_request(actor: User, help_request: HelpRequest) -> None:
    """Log that staff looked at a request with its personal data."""
    require_staff(actor)
    audit.record(actor, "personal_data.viewed", help_request)
    db.session.flush()


def desk_intake(actor: User, resident: ResidentData, data: RequestData, consent: bool,
                approve_now: bool = False) -> HelpRequest:
    """Enter a request for a resident who phones or visits the desk.

    The resident is found by e-mail or created without a password (and perhaps no e-mail).
    With ``approve_now`` the request opens at once (refused for escalated categories).
    Raises :class:`DomainError` without consent or with invalid data.
    """
    require_staff(actor)
    if not consent:
        raise DomainError(_l("Vraag de bewoner eerst om toestemming."))
    category, _place = validate_data(data)
    if approve_now and category.escalate:
        raise DomainError(_l("Deze soort hulp is niet voor vrijwilligers en kan niet meteen "
                             "worden goedgekeurd."))
    requester = find_or_create_resident(actor, resident, data.postcode, data.address)
    help_request = create_request(actor, requester, data, RequestSource.DESK, consent=True)
    if approve_now:
        approve_request(actor, help_request, str(_l("Goedgekeurd bij de intake.")),
                        tell_resident=False)
    return help_request


def mark_vog_valid(actor: User, profile: VolunteerProfile, vog_date: date) -> VolunteerProfile:
    """Record a valid VOG issued on ``vog_date`` (not in the future)."""
    require_staff(actor)
    if vog_date > local_today():
        raise DomainError(_l("De datum van de VOG kan niet in de toekomst liggen."))
    profile.vog_status = VogStatus.VALID
    profile.vog_date = vog_date
    audit.record(actor, "volunteer.vog_marked_valid", profile, vog_date.isoformat())
    db.session.flush()
    return profile


def mark_training_verified(actor: User, profile: VolunteerProfile) -> VolunteerProfile:
    """Record that the volunteer's trainings were checked."""
    require_staff(actor)
    profile.training_verified = True
    audit.record(actor, "volunteer.training_verified", profile)
    db.session.flush()
    return profile


def mark_verified(actor: User, profile: VolunteerProfile) -> VolunteerProfile:
    """Mark the volunteer as checked by the meldpunt (refused when already done)."""
    require_staff(actor)
    if profile.verified_at is not None:
        raise DomainError(_l("Deze vrijwilliger is al gecontroleerd."))
    profile.verified_at = utcnow()
    profile.verified_by_id = actor.id
    audit.record(actor, "volunteer.verified", profile)
    db.session.flush()
    return profile


def view_volunteer(actor: User, profile: VolunteerProfile) -> None:
    """Log that staff looked at a volunteer's personal data."""
    require_staff(actor)
    audit.record(actor, "personal_data.viewed", profile)
    db.session.flush()


def view_person(actor: User, person: User) -> None:
    """Log that staff looked at a person's contact details (the search's person page)."""
    require_staff(actor)
    audit.record(actor, "personal_data.viewed", person)
    db.session.flush()

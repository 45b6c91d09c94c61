"""Help requests: create, change and find them. Services flush; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import sqlalchemy as sa

from marketplace import audit, geo
from marketplace.access import can_manage_request
from marketplace.errors import DomainError, FieldError, NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.matches import lifecycle as match_lifecycle
from marketplace.models import (
    Category,
    HelpRequest,
    MatchStatus,
    RequestSource,
    RequestStatus,
    Role,
    Timing,
    User,
    utcnow,
)
from marketplace.phones import checked_phone
from marketplace.requests import lifecycle, notifications, rules
from marketplace.vocabulary import LANGUAGES, URGENCY_LABELS


@dataclass(frozen=True)
class RequestData:
    """The fields of a request as entered (already stripped)."""

    category_id: int
    title: str
    description: str
    timing: Timing
    date_start: date | None
    date_end: date | None
    weekday: str | None
    part_of_day: str | None
    postcode: str
    address: str
    urgency: int = 1
    preferred_language: str = "nl"
    own_network: str = ""
    can_offer: str = ""


@dataclass(frozen=True)
class ResidentData:
    """A resident entered by someone else (referrer or desk); e-mail is optional."""

    name: str
    phone: str
    email: str | None = None


def _check_lengths(data: RequestData) -> None:
    limits = (
        (data.title, rules.TITLE_MAX), (data.description, rules.DESCRIPTION_MAX),
        (data.address, rules.ADDRESS_MAX), (data.own_network, rules.NETWORK_MAX),
        (data.can_offer, rules.OFFER_MAX),
    )
    if not data.title or not data.description:
        raise DomainError(_l("Vul een omschrijving in."))
    if any(len(text) > limit for text, limit in limits):
        raise DomainError(_l("Een van de teksten is te lang."))


def validate_data(data: RequestData) -> tuple[Category, geo.Place]:
    """Check every rule on ``data``; returns the category and the located place.

    Raises :class:`DomainError` with a message for the user on the first broken rule.
    """
    _check_lengths(data)
    category = db.session.get(Category, data.category_id)
    if category is None or not category.active:
        raise DomainError(_l("Kies een soort hulp uit de lijst."))
    if data.urgency not in URGENCY_LABELS:
        raise DomainError(_l("Kies hoe snel u hulp nodig heeft."))
    if data.preferred_language not in LANGUAGES:
        raise DomainError(_l("Kies een taal uit de lijst."))
    errors = rules.timing_errors(
        data.timing, data.date_start, data.date_end, data.weekday, data.part_of_day
    )
    if errors:
        raise DomainError(next(iter(errors.values())))
    try:
        place = geo.locate(data.postcode, data.address)
    except geo.PostcodeError:
        raise DomainError(_l("Deze postcode bestaat niet.")) from None
    return category, place


def _check_area(actor: User, place: geo.Place, requester: User) -> None:
    """Residents and referrers ask for help where the meldpunt works: a request no volunteer
    would ever be asked for is refused with where to go instead (:class:`FieldError` on the
    postcode). Staff are not refused: for someone just outside the municipality a coordinator
    may still enter a request at the desk, because a neighbour can help across the border."""
    if not actor.is_staff and not geo.serves(place.pc4):
        raise FieldError("postcode", geo.outside_area_message(
            place.postcode, for_someone_else=actor.id != requester.id))


def _apply(help_request: HelpRequest, data: RequestData, category: Category,
           place: geo.Place) -> None:
    help_request.category = category
    for name in ("title", "description", "timing", "date_start", "date_end", "weekday",
                 "part_of_day", "address", "urgency", "preferred_language", "own_network",
                 "can_offer"):
        setattr(help_request, name, getattr(data, name))
    help_request.postcode = place.postcode
    help_request.latitude = place.latitude
    help_request.longitude = place.longitude
    help_request.neighbourhood = geo.neighbourhood_for_pc4(place.pc4)


def create_request(
    actor: User,
    requester: User,
    data: RequestData,
    source: RequestSource = RequestSource.ONLINE,
    consent: bool = False,
    requester_phone: str = "",
) -> HelpRequest:
    """Create a submitted request for ``requester``, entered by ``actor``.

    Validates and geocodes ``data``; records the creation transition and an audit entry.
    A ``requester_phone`` (the resident's own form) is saved to the requester's account;
    empty keeps the number the account has.
    Raises :class:`DomainError` when the data breaks a rule, :class:`FieldError`
    (``phone``) for a number that cannot exist (nothing is added then).
    """
    category, place = validate_data(data)
    _check_area(actor, place, requester)
    phone = checked_phone(requester_phone)
    help_request = HelpRequest(
        requester=requester, created_by_id=actor.id, source=source,
        status=RequestStatus.SUBMITTED, consent_given=consent,
        consent_at=utcnow() if consent else None,
    )
    _apply(help_request, data, category, place)
    requester.add_role(Role.RESIDENT)
    if phone is not None:
        requester.phone = phone
    db.session.add(help_request)
    lifecycle.record_creation(help_request, actor)
    db.session.flush()
    audit.record(actor, "request.created", help_request, f"source={source.value}")
    return help_request


def cancel_request(actor: User, help_request: HelpRequest, reason: str = "") -> HelpRequest:
    """Withdraw a request: it closes, and every pairing still in play is withdrawn; a
    volunteer who was asked or is helping gets a mail saying the help is no longer needed.

    Raises :class:`NotAllowed` or :class:`InvalidTransition` (a closed request) and changes
    nothing then.
    """
    if not can_manage_request(actor, help_request):
        raise NotAllowed(_l("U kunt deze aanvraag niet intrekken."))
    reason = (reason or "").strip()[: rules.REASON_MAX]
    asked = match_lifecycle.in_play_for(help_request.id, match_lifecycle.HOLDS_CAPACITY)
    helping = {match.id for match in asked if match.status == MatchStatus.ACCEPTED}
    lifecycle.transition(help_request, RequestStatus.CANCELLED, actor, reason)
    notifications.withdrawn(asked, helping)
    audit.record(actor, "request.cancelled", help_request, reason)
    db.session.flush()
    return help_request


@dataclass(frozen=True)
class Edit:
    """What :func:`edit_request` did."""

    changed: tuple[str, ...]  # the parts that changed, as in ``rules.CHANGED_PARTS``
    to_review: bool  # the request waits for a coordinator (again)


def edit_refusal(help_request: HelpRequest) -> str | None:
    """Why the request cannot be changed now, for its requester; None when it can."""
    if help_request.status in rules.EDITABLE:
        return None
    if help_request.status in (RequestStatus.PROPOSED, RequestStatus.MATCHED):
        return str(_l("Er is al een vrijwilliger gevraagd. Daarom kunt u de aanvraag niet "
                      "meer wijzigen. Is er iets veranderd? Bel dan het meldpunt."))
    return str(_l("Deze aanvraag kan niet meer worden gewijzigd."))


def edit_request(actor: User, help_request: HelpRequest, data: RequestData) -> Edit:
    """Change a request before a volunteer is asked; a coordinator sees what changed.

    Needs information: back to moderation, changed or not. Submitted: stays in the queue.
    Open: back to moderation (submitted), which withdraws the suggestions of a round. Each
    change is a line in the request's history naming the changed parts (the status note
    too) and an audit entry. Saving without a change (submitted, open) records nothing.

    Raises :class:`NotAllowed`, :class:`DomainError` (a volunteer was already asked, or
    bad data) and changes nothing then.
    """
    if not can_manage_request(actor, help_request):
        raise NotAllowed(_l("U kunt deze aanvraag niet wijzigen."))
    refusal = edit_refusal(help_request)
    if refusal is not None:
        raise DomainError(refusal)
    category, place = validate_data(data)
    if place.pc4 != (help_request.postcode or "")[:4]:
        # A request entered at the desk for someone just outside stays editable.
        _check_area(actor, place, help_request.requester)
    changed = _changed_parts(help_request, data, category, place)
    from_status = help_request.status
    if not changed and from_status != RequestStatus.NEEDS_INFO:
        return Edit(changed, to_review=False)
    note = _change_note(actor, help_request, changed)
    if from_status == RequestStatus.SUBMITTED:
        lifecycle.record_change(help_request, actor, note)
    else:
        lifecycle.transition(help_request, RequestStatus.SUBMITTED, actor, note)
    _apply(help_request, data, category, place)
    audit.record(actor, "request.updated", help_request, f"{from_status.value}: {note}")
    db.session.flush()
    return Edit(changed, to_review=True)


def _changed_parts(help_request: HelpRequest, data: RequestData, category: Category,
                   place: geo.Place) -> tuple[str, ...]:
    new = {name: getattr(data, name) for name in rules.CHANGED_PARTS}
    new.update(category_id=category.id, postcode=place.postcode)
    parts = [part for name, part in rules.CHANGED_PARTS.items()
             if getattr(help_request, name) != new[name]]
    return tuple(dict.fromkeys(parts))


def _change_note(actor: User, help_request: HelpRequest, changed: tuple[str, ...]) -> str:
    if actor.id == help_request.requester_id:
        who = "de bewoner"
    elif actor.is_staff:
        who = "een medewerker"
    else:
        who = "de verwijzer"
    if not changed:
        return f"Opnieuw verstuurd door {who}, zonder wijzigingen"
    return f"Gewijzigd door {who}: {', '.join(changed)}"


def _own_clause(user: User) -> sa.ColumnElement[bool]:
    clause = HelpRequest.requester_id == user.id
    if user.has_role(Role.REFERRER):
        clause = sa.or_(clause, sa.and_(HelpRequest.created_by_id == user.id,
                                        HelpRequest.source == RequestSource.REFERRER))
    return clause


def my_requests(user: User) -> list[HelpRequest]:
    """Requests the user asked for (and, for a referrer, filed), newest first."""
    if not user.has_role(Role.REFERRER):
        return list(db.session.scalars(_own_requests(), {"user_id": user.id}))
    query = sa.select(HelpRequest).where(_own_clause(user))
    return list(db.session.scalars(query.order_by(HelpRequest.created_at.desc(),
                                                  HelpRequest.id.desc())))


@cache
def _own_requests() -> sa.Select[HelpRequest]:
    """A resident's own requests, newest first, built once (a resident's most asked page).
    Their requester is the resident, already loaded: not joined again (30 columns each)."""
    return (
        sa.select(HelpRequest)
        .where(HelpRequest.requester_id == sa.bindparam("user_id"))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
        .options(sa.orm.lazyload(HelpRequest.requester))
    )


def visible_requests_for(user: User) -> list[HelpRequest]:
    """Staff see every request; others what :func:`my_requests` returns."""
    if user.is_staff:
        query = sa.select(HelpRequest).order_by(HelpRequest.created_at.desc())
        return list(db.session.scalars(query))
    return my_requests(user)


def get_request_for(user: User, request_id: int) -> HelpRequest:
    """The request if ``user`` may see it through this feature, else :class:`NotFound`.

    Volunteers see requests only through their matches (the matches feature).
    """
    # Mostly the resident's own request: its requester is the user, already loaded.
    help_request = db.session.get(HelpRequest, request_id,
                                  options=[sa.orm.lazyload(HelpRequest.requester)])
    if help_request is None or not can_manage_request(user, help_request):
        raise NotFound(_l("Deze aanvraag bestaat niet."))
    return help_request


def find_or_create_resident(actor: User, resident: ResidentData, postcode: str,
                            address: str) -> User:
    """Reuse the account with this e-mail address, or add a resident without a password.

    A resident without e-mail (a phone call at the desk) always gets a new account.
    Raises :class:`FieldError` (``resident_phone``) for a number that cannot exist.
    """
    phone = checked_phone(resident.phone, "resident_phone")
    email = (resident.email or "").strip().lower() or None
    if email is not None:
        existing: User | None = db.session.scalar(sa.select(User).where(User.email == email))
        if existing is not None:
            existing.add_role(Role.RESIDENT)
            existing.phone = existing.phone or phone
            return existing
    try:
        postcode = geo.normalise_postcode(postcode)[0]
    except geo.PostcodeError:
        postcode = postcode.strip()[:7]
    user = User(email=email, name=resident.name, phone=phone,
                postcode=postcode, address=address)
    user.add_role(Role.RESIDENT)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "resident.created", user)
    return user

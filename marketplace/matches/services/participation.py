"""What volunteers and residents do with a match: accept, decline, pick, confirm, feedback.

Races: accepting and picking lock the request row (``SELECT ... FOR UPDATE``) and re-check
its state after the lock; the request's ``version_id_col`` catches what the lock cannot
(SQLite has no row locks), turning a lost race into :class:`Conflict`.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from marketplace import audit
from marketplace.errors import Conflict, DomainError, NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.matches.services.conversion import (
    ACTIVE_MATCH,
    active_match_counts,
    household_key,
    pair_reason,
    request_input,
    volunteer_input,
)
from marketplace.matches.services.rounds import add_forbidden_pair
from marketplace.models import (
    Feedback,
    ForbiddenPair,
    HelpRequest,
    Match,
    MatchStatus,
    RequestStatus,
    User,
    VolunteerProfile,
    utcnow,
)
from marketplace.requests.lifecycle import transition

DECLINE_REASON = "afgewezen door vrijwilliger"

#: Reason codes -> what a volunteer who tries to pick a request is told.
PICK_REFUSALS = {
    "no_volunteer_with_skill": _l("Deze hulp staat niet in uw profiel. Voeg hem eerst toe."),
    "requires_vog": _l("Voor deze hulp is een geldige VOG nodig."),
    "requires_training": _l("Voor deze hulp is een training nodig."),
    "no_volunteer_in_range": _l("Deze aanvraag is verder weg dan u wilt reizen."),
    "no_volunteer_available_at_time": _l("U bent op dat moment niet beschikbaar."),
    "all_forbidden": _l("U kunt deze aanvraag niet aannemen."),
}
AFTER_ACCEPT = (MatchStatus.ACCEPTED, MatchStatus.COMPLETED)
TAKEN = _l("Iemand anders helpt al bij deze aanvraag.")


def lock_request(help_request_id: int) -> HelpRequest:
    """Load the request with a row lock and fresh attributes. Raises NotFound."""
    query = (
        sa.select(HelpRequest)
        .where(HelpRequest.id == help_request_id)
        .with_for_update(of=HelpRequest)
        .execution_options(populate_existing=True)
    )
    found = db.session.scalars(query).unique().first()
    if found is None:
        raise NotFound(_l("Deze aanvraag bestaat niet."))
    return found


def _flush_or_conflict() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise Conflict(TAKEN) from error


def _own_match(volunteer: User, match: Match) -> None:
    if match.volunteer_id != volunteer.id or match.proposed_at is None:
        raise NotFound(_l("Dit voorstel bestaat niet."))


def accept_match(volunteer: User, match: Match) -> Match:
    """The volunteer says yes: match accepted, request matched. Raises Conflict when too late."""
    _own_match(volunteer, match)
    help_request = lock_request(match.help_request_id)
    db.session.refresh(match)
    if match.status != MatchStatus.PROPOSED or help_request.status != RequestStatus.PROPOSED:
        raise Conflict(_l("Dit voorstel is niet meer open."))
    match.status = MatchStatus.ACCEPTED
    match.decided_at = utcnow()
    transition(help_request, RequestStatus.MATCHED, volunteer, "vrijwilliger heeft geaccepteerd")
    audit.record(volunteer, "match.accepted", match)
    _flush_or_conflict()
    return match


def decline_match(volunteer: User, match: Match, reason: str = "") -> Match:
    """The volunteer says no: the pair is forbidden and the request is open again."""
    _own_match(volunteer, match)
    help_request = lock_request(match.help_request_id)
    db.session.refresh(match)
    if match.status != MatchStatus.PROPOSED:
        raise Conflict(_l("Dit voorstel is niet meer open."))
    reason = (reason or "").strip()[:500]
    match.status = MatchStatus.DECLINED
    match.decline_reason = reason
    match.decided_at = utcnow()
    add_forbidden_pair(volunteer, help_request, volunteer, DECLINE_REASON)
    if help_request.status == RequestStatus.PROPOSED:
        transition(help_request, RequestStatus.OPEN, volunteer, "vrijwilliger kon niet")
    audit.record(volunteer, "match.declined", match, reason)
    _flush_or_conflict()
    return match


def _profile(volunteer: User) -> VolunteerProfile:
    profile = volunteer.volunteer_profile
    if profile is None:
        raise NotAllowed(_l("Maak eerst uw vrijwilligersprofiel af."))
    if profile.paused:
        raise DomainError(_l("U heeft uw hulp gepauzeerd. Zet de pauze eerst uit."))
    return profile


def _is_forbidden(help_request: HelpRequest, volunteer: User) -> bool:
    home = household_key(help_request.address, help_request.postcode)
    same_home = help_request.requester_id == volunteer.id or (
        home is not None and home == household_key(volunteer.address, volunteer.postcode)
    )
    stored = db.session.scalar(
        sa.select(ForbiddenPair.id).where(
            ForbiddenPair.help_request_id == help_request.id,
            ForbiddenPair.volunteer_id == volunteer.id,
        )
    )
    return same_home or stored is not None


def pick_request(volunteer: User, help_request: HelpRequest) -> Match:
    """The volunteer takes an open request themselves, under the optimiser's hard rules.

    Raises DomainError with a plain reason when a rule refuses, Conflict when somebody else
    was first.
    """
    profile = _profile(volunteer)
    help_request = lock_request(help_request.id)
    if help_request.status != RequestStatus.OPEN or help_request.category.escalate:
        raise Conflict(TAKEN)
    if active_match_counts().get(volunteer.id, 0) >= profile.capacity:
        raise DomainError(_l("U helpt al zoveel mensen als u heeft opgegeven."))
    forbidden = _is_forbidden(help_request, volunteer)
    reason = pair_reason(request_input(help_request), volunteer_input(profile), forbidden)
    if reason is not None:
        raise DomainError(PICK_REFUSALS.get(reason, PICK_REFUSALS["all_forbidden"]))
    for old in _suggestions(help_request):
        old.status = MatchStatus.WITHDRAWN
        old.locked = False
    match = _self_picked(volunteer, help_request, profile)
    transition(help_request, RequestStatus.MATCHED, volunteer, "zelf gekozen door vrijwilliger")
    audit.record(volunteer, "match.picked", match)
    _flush_or_conflict()
    return match


def _suggestions(help_request: HelpRequest) -> list[Match]:
    query = sa.select(Match).where(
        Match.help_request_id == help_request.id, Match.status == MatchStatus.SUGGESTED
    )
    return list(db.session.scalars(query).unique())


def _self_picked(volunteer: User, help_request: HelpRequest, profile: VolunteerProfile) -> Match:
    from marketplace.geo import distance_km

    now = utcnow()
    distance = distance_km(
        (help_request.latitude, help_request.longitude), (profile.latitude, profile.longitude)
    )
    match = Match(
        help_request=help_request,
        volunteer=volunteer,
        status=MatchStatus.ACCEPTED,
        self_picked=True,
        distance_km=round(distance, 2),
        explanation={"category": help_request.category.slug, "slot": help_request.slot},
        proposed_at=now,
        decided_at=now,
    )
    db.session.add(match)
    return match


def is_party(user: User, match: Match) -> bool:
    return user.id in (match.volunteer_id, match.help_request.requester_id)


#: Hours a volunteer may report for one-off help (the form uses the same limits).
DONE_HOURS_MIN, DONE_HOURS_MAX = 0.25, 100.0


def confirm_done(user: User, match: Match, hours: float | None = None) -> Match:
    """Resident or volunteer confirms the help was given; both -> completed, request done."""
    if not is_party(user, match) or match.status not in AFTER_ACCEPT:
        raise NotAllowed(_l("U kunt deze hulp niet als gegeven melden."))
    if match.recurring:
        raise DomainError(_l("Dit is hulp die steeds terugkomt: meld elke keer dat u hielp, "
                             "of stop de hulp."))
    if hours is not None and not DONE_HOURS_MIN <= hours <= DONE_HOURS_MAX:
        raise DomainError(_l("Vul een aantal uren tussen 0,25 en 100 in."))
    now = utcnow()
    if user.id == match.volunteer_id:
        match.volunteer_confirmed_at = match.volunteer_confirmed_at or now
        if hours is not None:
            match.hours = hours
    if user.id == match.help_request.requester_id:
        match.resident_confirmed_at = match.resident_confirmed_at or now
    audit.record(user, "match.confirmed_done", match)
    if (
        match.status == MatchStatus.ACCEPTED
        and match.volunteer_confirmed_at
        and match.resident_confirmed_at
    ):
        match.status = MatchStatus.COMPLETED
        help_request = lock_request(match.help_request_id)
        if help_request.status == RequestStatus.MATCHED:
            transition(help_request, RequestStatus.DONE, user, "beide kanten bevestigd")
    _flush_or_conflict()
    return match


def leave_feedback(user: User, match: Match, rating: int, comment: str = "") -> Feedback:
    """One rating (1-5) and comment per person per match, after the help was given."""
    if not is_party(user, match) or match.status not in AFTER_ACCEPT:
        raise NotAllowed(_l("U kunt hier geen beoordeling geven."))
    if not 1 <= int(rating) <= 5:
        raise DomainError(_l("Kies een cijfer van 1 tot en met 5."))
    if feedback_by(user, match) is not None:
        raise DomainError(_l("U heeft al een beoordeling gegeven."))
    feedback = Feedback(match=match, author_id=user.id, rating=int(rating), comment=comment[:2000])
    db.session.add(feedback)
    audit.record(user, "match.feedback", match, f"rating {int(rating)}")
    db.session.flush()
    return feedback


def feedback_by(user: User, match: Match) -> Feedback | None:
    return next((f for f in match.feedback if f.author_id == user.id), None)


def contact_details_visible(viewer: User | None, match: Match) -> bool:
    """Only the two parties, and only once the volunteer has accepted."""
    return (
        viewer is not None
        and match.status in (MatchStatus.ACCEPTED, MatchStatus.COMPLETED)
        and is_party(viewer, match)
    )


def visible_match(viewer: User, match_id: int) -> Match:
    """The match if ``viewer`` is its resident, its volunteer (once proposed) or staff."""
    match = db.session.get(Match, match_id)
    if match is None:
        raise NotFound(_l("Dit voorstel bestaat niet."))
    if viewer.is_staff:
        return match
    if match.proposed_at is not None and is_party(viewer, match):
        return match
    raise NotFound(_l("Dit voorstel bestaat niet."))


def matches_for_request(help_request: HelpRequest) -> list[Match]:
    """The request's proposals and matches the resident may know about, newest first."""
    query = (
        sa.select(Match)
        .where(
            Match.help_request_id == help_request.id,
            Match.status.in_((*ACTIVE_MATCH, MatchStatus.COMPLETED)),
        )
        .order_by(Match.id.desc())
    )
    return list(db.session.scalars(query).unique())

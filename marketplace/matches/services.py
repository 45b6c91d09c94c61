"""What volunteers and residents do with a match: accept, decline, pick, confirm, feedback.

Every status change goes through :mod:`marketplace.matches.lifecycle`; every e-mail through
:mod:`marketplace.matches.notifications` (the outbox). Services flush, never commit.

Races: accepting and picking lock the request row (``SELECT ... FOR UPDATE``) and re-check
its state after the lock; the request's ``version_id_col`` catches what the lock cannot
(SQLite has no row locks), turning a lost race into :class:`Conflict`.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from marketplace import access, audit
from marketplace.aftercare import rules as aftercare_rules
from marketplace.errors import Conflict, DomainError, NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.geo import distance_km
from marketplace.i18n import format_day
from marketplace.i18n import lazy_gettext as _l
from marketplace.matches import (
    appointments,
    invitations,
    lifecycle,
    notifications,
    pair_rules,
    queries,
)
from marketplace.matches.conversion import request_input, volunteer_input
from marketplace.models import (
    Feedback,
    HelpRequest,
    Match,
    MatchStatus,
    RequestStatus,
    User,
    VolunteerProfile,
    utcnow,
)
from marketplace.notifications import notify
from marketplace.requests import lifecycle as request_lifecycle
from marketplace.requests import rules as request_rules
from marketplace.vocabulary import LOCAL_ZONE, NotificationKind, Role, local_today

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
TAKEN = _l("Iemand anders helpt al bij deze aanvraag.")
DATE_PASSED = _l("De dag van deze aanvraag is al voorbij. Het meldpunt spreekt met de bewoner "
                 "een nieuwe dag af.")
#: Hours a volunteer may report for one-off help (the form uses the same limits).
DONE_HOURS_MIN, DONE_HOURS_MAX = 0.25, 100.0


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


def flush_or_conflict() -> None:
    """Flush; a lost race on the request's version becomes :class:`Conflict`."""
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise Conflict(TAKEN) from error


def _own_proposal(volunteer: User, match: Match) -> None:
    if match.volunteer_id != volunteer.id or match.proposed_at is None:
        raise NotFound(_l("Dit voorstel bestaat niet."))


def accept_match(volunteer: User, match: Match) -> Match:
    """The volunteer says yes: match accepted, request matched, the resident is told.

    Raises :class:`Conflict` when the proposal is no longer open.
    """
    _own_proposal(volunteer, match)
    help_request = lock_request(match.help_request_id)
    db.session.refresh(match)
    if match.status != MatchStatus.PROPOSED or help_request.status != RequestStatus.PROPOSED:
        raise Conflict(_l("Dit voorstel is niet meer open."))
    lifecycle.transition(match, MatchStatus.ACCEPTED, volunteer, "vrijwilliger zei ja")
    request_lifecycle.transition(
        help_request, RequestStatus.MATCHED, volunteer, "vrijwilliger heeft geaccepteerd"
    )
    audit.record(volunteer, "match.accepted", match)
    notifications.accepted(match)
    flush_or_conflict()
    return match


def decline_match(volunteer: User, match: Match, reason: str = "") -> Match:
    """The volunteer says no: the pair is forbidden and the request is open again."""
    _own_proposal(volunteer, match)
    help_request = lock_request(match.help_request_id)
    db.session.refresh(match)
    if match.status != MatchStatus.PROPOSED:
        raise Conflict(_l("Dit voorstel is niet meer open."))
    reason = (reason or "").strip()[:500]
    match.decline_reason = reason
    lifecycle.transition(match, MatchStatus.DECLINED, volunteer, reason)
    pair_rules.store_forbidden_pair(volunteer, help_request, volunteer, DECLINE_REASON)
    if help_request.status == RequestStatus.PROPOSED:
        request_lifecycle.transition(
            help_request, RequestStatus.OPEN, volunteer, "vrijwilliger kon niet"
        )
    audit.record(volunteer, "match.declined", match, reason)
    notifications.declined(match)
    flush_or_conflict()
    return match


def expire_proposal(match_id: int, answered_before: datetime, at: datetime) -> Match | None:
    """The volunteer did not answer a proposal made at or before ``answered_before``: it
    expires (at ``at``), the pair is never proposed again for this request, the request
    goes back to the queue and the volunteer hears so briefly.

    Returns the expired match, or None when it was answered, withdrawn or expired by
    somebody else meanwhile, or proposed later (checked again under the request's lock).
    The caller commits; a lost race raises :class:`Conflict`.
    """
    match = db.session.get(Match, match_id)
    if match is None:
        return None
    help_request = lock_request(match.help_request_id)
    db.session.refresh(match)
    if (
        match.status != MatchStatus.PROPOSED
        or match.proposed_at is None
        or match.proposed_at > answered_before
    ):
        return None
    lifecycle.expire(match, at)
    pair_rules.end_pair(None, match)
    if help_request.status == RequestStatus.PROPOSED:
        request_lifecycle.transition(
            help_request, RequestStatus.OPEN, None, "voorstel niet op tijd beantwoord"
        )
    audit.record(None, "match.expired", match)
    notify(match.volunteer, NotificationKind.PROPOSAL_EXPIRED, key=f"proposal_expired:{match.id}",
           help_request=help_request, match=match)
    flush_or_conflict()
    return match


#: A request whose help was called off on the day itself gets this urgency ("Zo snel
#: mogelijk"), so it heads the coordinators' lists and the next round.
URGENT = 3


def cancel_match(actor: User, match: Match, reason: str = "", now: datetime | None = None) -> bool:
    """Accepted help is called off by the volunteer or for the resident (``now``: default
    the current time). The pair is never proposed again for this request, the request goes
    back to the queue, and the other side and the neighbourhood's coordinators are told.

    Returns True when the help was due today (Amsterdam date): the request is then marked
    urgent and the coordinators' notification says so. Raises NotAllowed for anyone else,
    Conflict when the help is no longer accepted.
    """
    if not access.can_cancel_match(actor, match):
        raise NotAllowed(_l("U kunt deze hulp niet afzeggen."))
    help_request = lock_request(match.help_request_id)
    db.session.refresh(match)
    if match.status != MatchStatus.ACCEPTED:
        raise Conflict(_l("Deze hulp is al afgezegd of afgerond."))
    now = now or utcnow()
    same_day = cancels_on_the_day(match, now)
    reason = (reason or "").strip()[:500]
    if actor.id == match.volunteer_id:
        side = "vrijwilliger"
    elif actor.id == match.help_request.requester_id:
        side = "bewoner"
    else:
        side = "coördinator" if actor.is_staff else "verwijzer"
    note = f"afgezegd door {side}" + (" op de dag zelf" if same_day else "")
    lifecycle.cancel(match, actor, f"{note}: {reason}" if reason else note, now)
    pair_rules.end_pair(actor, match)
    if help_request.status == RequestStatus.MATCHED:
        request_lifecycle.transition(help_request, RequestStatus.OPEN, actor, note)
    if same_day:
        help_request.urgency = URGENT
    audit.record(actor, "match.cancelled", match, note)
    _tell_cancelled(actor, match, same_day, reason)
    flush_or_conflict()
    return same_day


def cancels_on_the_day(match: Match, now: datetime | None = None) -> bool:
    """True when the help (or a visit of weekly help) is planned for today (Amsterdam)."""
    today = (now or utcnow()).astimezone(LOCAL_ZONE).date()
    return appointments.has_appointment_on(match.help_request, today)


def neighbourhood_coordinators(help_request: HelpRequest) -> list[User]:
    """The active coordinators of the request's neighbourhood; all active coordinators when
    the neighbourhood has none (or the request lies outside every neighbourhood)."""
    query = (
        sa.select(User)
        .where(User.active.is_(True), User.anonymised_at.is_(None))
        .where(User.role_rows.any(role=Role.COORDINATOR))
        .order_by(User.id)
    )
    everyone = list(db.session.scalars(query).unique())
    local = [user for user in everyone if user.neighbourhood_id == help_request.neighbourhood_id]
    return local or everyone


def _tell_cancelled(actor: User, match: Match, same_day: bool, reason: str) -> None:
    """The volunteer and the resident (whoever of them did not call it off) and the
    neighbourhood's coordinators; the reason only to the coordinators."""
    help_request = match.help_request
    params = {"by": "volunteer" if actor.id == match.volunteer_id else "resident",
              "same_day": same_day}
    for person in (match.volunteer, help_request.requester):
        if person.id != actor.id:
            notify(person, NotificationKind.MATCH_CANCELLED,
                   key=f"match_cancelled:{match.id}:{person.id}",
                   help_request=help_request, match=match, **params)
    for coordinator in neighbourhood_coordinators(help_request):
        if coordinator.id != actor.id:
            notify(coordinator, NotificationKind.MATCH_CANCELLED,
                   key=f"match_cancelled:{match.id}:{coordinator.id}",
                   help_request=help_request, match=match, urgent=same_day, reason=reason,
                   **params)


def _active_profile(volunteer: User) -> VolunteerProfile:
    profile = volunteer.volunteer_profile
    if profile is None:
        raise NotAllowed(_l("Maak eerst uw vrijwilligersprofiel af."))
    if profile.paused:
        raise DomainError(_l("U heeft uw hulp gepauzeerd. Zet de pauze eerst uit."))
    return profile


def pick_request(volunteer: User, help_request: HelpRequest) -> Match:
    """The volunteer takes an open request themselves, under the same pair rules as rounds.

    Raises DomainError with a plain reason when a rule refuses, Conflict when somebody else
    was first.
    """
    profile = _active_profile(volunteer)
    help_request = lock_request(help_request.id)
    if help_request.status != RequestStatus.OPEN or help_request.category.escalate:
        raise Conflict(TAKEN)
    if queries.waits_for_organisation(help_request.id):
        raise Conflict(TAKEN)  # a partner organisation is asked to help
    if request_rules.day_passed(help_request):
        raise DomainError(DATE_PASSED)
    if queries.active_match_count(volunteer.id) >= profile.capacity:
        raise DomainError(_l("U helpt al zoveel mensen als u heeft opgegeven."))
    forbidden = pair_rules.is_forbidden(help_request, volunteer)
    reason = pair_rules.pair_reason(request_input(help_request), volunteer_input(profile),
                                    forbidden)
    if reason is not None:
        raise DomainError(PICK_REFUSALS.get(reason, PICK_REFUSALS["all_forbidden"]))
    lifecycle.withdraw_all(
        queries.suggestions_for([help_request.id]), volunteer, "zelf gekozen door vrijwilliger"
    )
    match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.ACCEPTED, volunteer,
                             "zelf gekozen door vrijwilliger")
    match.self_picked = True
    match.distance_km = round(distance_km(
        (help_request.latitude, help_request.longitude), (profile.latitude, profile.longitude)
    ), 2)
    match.explanation = {"category": help_request.category.slug, "slot": help_request.slot}
    request_lifecycle.transition(
        help_request, RequestStatus.MATCHED, volunteer, "zelf gekozen door vrijwilliger"
    )
    audit.record(volunteer, "match.picked", match)
    flush_or_conflict()
    invitations.after_move(match, None, MatchStatus.ACCEPTED)
    notifications.accepted(match)
    return match


def confirm_done_from(match: Match) -> date | None:
    """The day from which one-off help can be reported as given, while that day is still to
    come in the Netherlands: the planned date, or the first day of a period. None when it can
    be reported today, or when the request names no date."""
    start = match.help_request.date_start
    if match.recurring or start is None or start <= local_today():
        return None
    return start


def confirm_done(user: User, match: Match, hours: float | None = None) -> Match:
    """Resident or volunteer confirms the help was given; both -> completed, request done.

    Raises NotAllowed for anyone else or a match that is not accepted, DomainError for
    recurring help, for help whose day has not come yet (:func:`confirm_done_from`) and for
    hours out of range.
    """
    if not access.is_party(user, match) or match.status not in lifecycle.AFTER_ACCEPT:
        raise NotAllowed(_l("U kunt deze hulp niet als gegeven melden."))
    if match.recurring:
        raise DomainError(_l("Dit is hulp die steeds terugkomt: meld elke keer dat u hielp, "
                             "of stop de hulp."))
    opens_on = confirm_done_from(match)
    if opens_on is not None:
        # The match page shows the same sentence instead of the button.
        raise DomainError(_l("U kunt vanaf %(date)s melden dat de hulp is gegeven.",
                             date=format_day(opens_on)))
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
        complete(user, match, "beide kanten bevestigd")
    flush_or_conflict()
    return match


def complete(user: User, match: Match, note: str) -> None:
    """An accepted match is completed; its request, when still matched, is done."""
    lifecycle.transition(match, MatchStatus.COMPLETED, user, note)
    help_request = lock_request(match.help_request_id)
    if help_request.status == RequestStatus.MATCHED:
        request_lifecycle.transition(help_request, RequestStatus.DONE, user, note)


def leave_feedback(user: User, match: Match, rating: int, comment: str = "") -> Feedback:
    """One rating (1-5) and comment per person per match, after the help was given."""
    if not access.is_party(user, match) or match.status not in lifecycle.AFTER_ACCEPT:
        raise NotAllowed(_l("U kunt hier geen beoordeling geven."))
    if not 1 <= int(rating) <= 5:
        raise DomainError(_l("Kies een cijfer van 1 tot en met 5."))
    if feedback_by(user, match) is not None:
        raise DomainError(_l("U heeft al een beoordeling gegeven."))
    feedback = Feedback(match=match, author_id=user.id, rating=int(rating), comment=comment[:2000])
    db.session.add(feedback)
    audit.record(user, "match.feedback_given", match, f"rating {int(rating)}")
    db.session.flush()
    aftercare_rules.on_feedback(feedback, local_today())
    return feedback


def feedback_by(user: User, match: Match) -> Feedback | None:
    return next((f for f in match.feedback if f.author_id == user.id), None)


def visible_match(viewer: User, match_id: int) -> Match:
    """The match if ``viewer`` may see it (:func:`marketplace.access.can_view_match`).

    Raises :class:`NotFound` otherwise (never revealing that it exists).
    """
    match = db.session.get(Match, match_id)
    if match is None or not access.can_view_match(viewer, match):
        raise NotFound(_l("Dit voorstel bestaat niet."))
    return match


def matches_for_request(help_request: HelpRequest) -> list[Match]:
    """The request's proposals and matches the resident may know about, newest first."""
    query = (
        sa.select(Match)
        .where(
            Match.help_request_id == help_request.id,
            Match.status.in_(lifecycle.SHOWN_TO_PARTIES),
        )
        .order_by(Match.id.desc())
        # The request is the one on the page, already loaded: not joined again per match.
        .options(sa.orm.lazyload(Match.help_request))
    )
    return list(db.session.scalars(query).unique())

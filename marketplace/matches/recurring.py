"""Recurring help (weekly help, a buddy, respite for a carer): the match goes on.

A one-off match ends when both sides confirm the help was given
(:func:`~marketplace.matches.services.confirm_done`). A recurring match stays
accepted: the volunteer notes each time they helped (a day and, optionally, hours), both
sides see that list, and either side stops the help when it ends; the request is then done.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from marketplace import audit
from marketplace.access import is_party
from marketplace.errors import DomainError, NotAllowed
from marketplace.extensions import db
from marketplace.i18n import format_day
from marketplace.i18n import lazy_gettext as _l
from marketplace.matches.services import complete, flush_or_conflict
from marketplace.models import HelpSession, Match, MatchStatus, User, utcnow
from marketplace.vocabulary import local_today

#: How far back a visit can be noted (a volunteer who forgot for a while).
SESSION_LOOKBACK_DAYS = 92
HOURS_MIN, HOURS_MAX = 0.25, 24.0


def _require_running(user: User, match: Match) -> None:
    if not is_party(user, match) or match.status != MatchStatus.ACCEPTED:
        raise NotAllowed(_l("Deze hulp loopt niet (meer)."))
    if not match.recurring:
        raise DomainError(_l("Dit is eenmalige hulp: meld dat de hulp is gegeven."))


def log_session(user: User, match: Match, day: date, hours: float | None = None) -> HelpSession:
    """The volunteer notes that they helped on ``day`` (once per day); hours are optional.

    Raises DomainError for a day still to come, before the request's start date, before the
    match began or more than :data:`SESSION_LOOKBACK_DAYS` ago, already noted, or hours out
    of range. A day other than the planned weekday is accepted (a visit moved by agreement).
    """
    _require_running(user, match)
    if user.id != match.volunteer_id:
        raise NotAllowed(_l("Alleen de vrijwilliger meldt wanneer er geholpen is."))
    today = local_today()
    if day > today:
        raise DomainError(_l("Deze dag is nog niet geweest."))
    start = match.help_request.date_start
    if start is not None and day < start:
        # Before the agreed start there was no help to note. Any day from then on counts,
        # also not the planned weekday: volunteer and resident may move a visit together.
        raise DomainError(_l("De hulp begint op %(date)s. Kies die dag of een dag erna.",
                             date=format_day(start)))
    started = match.decided_at.date() if match.decided_at else today
    earliest = max(started - timedelta(days=1), today - timedelta(days=SESSION_LOOKBACK_DAYS))
    if day < earliest:
        raise DomainError(_l("Deze dag ligt voor het begin van de hulp of te ver terug."))
    if hours is not None and not HOURS_MIN <= hours <= HOURS_MAX:
        raise DomainError(_l("Vul een aantal uren tussen 0,25 en 24 in."))
    exists = db.session.scalar(
        sa.select(HelpSession.id).where(HelpSession.match_id == match.id, HelpSession.day == day)
    )
    if exists is not None:
        raise DomainError(_l("U heeft deze dag al gemeld."))
    session = HelpSession(match=match, day=day, hours=hours)
    db.session.add(session)
    match.hours = sum(s.hours or 0.0 for s in match.sessions) or None
    audit.record(user, "match.session_logged", match, day.isoformat())
    flush_or_conflict()
    return session


def end_help(user: User, match: Match, reason: str = "") -> Match:
    """Either side stops recurring help: the match is completed and the request done."""
    _require_running(user, match)
    now = utcnow()
    if user.id == match.volunteer_id:
        match.volunteer_confirmed_at = match.volunteer_confirmed_at or now
    else:
        match.resident_confirmed_at = match.resident_confirmed_at or now
    complete(user, match, reason.strip()[:500] or "hulp gestopt")
    audit.record(user, "match.help_ended", match, reason.strip()[:500])
    flush_or_conflict()
    return match

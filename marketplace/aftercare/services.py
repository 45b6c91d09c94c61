"""What the two sides of a match do after the help: report that it did not happen.

Confirming that it did, hours and ratings are :mod:`marketplace.matches.services`
(``confirm_done``, ``leave_feedback``); this adds the other answer. Nothing here commits.
"""

from __future__ import annotations

from datetime import date

from marketplace import access, audit
from marketplace.aftercare import rules
from marketplace.errors import DomainError, NotAllowed
from marketplace.extensions import db
from marketplace.i18n import format_day
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Match, MatchStatus, User, utcnow
from marketplace.vocabulary import local_today

#: The reason is one line: what a coordinator reads in the task list.
REASON_MAX = 200


def not_given_from(match: Match, today: date | None = None) -> date | None:
    """The day from which the help can be reported as not given, while it is still to come:
    the planned date of one-off help (the first day of a period), the start of recurring
    help. None when it can be reported today."""
    start = match.help_request.date_start
    if start is None or start <= (today or local_today()):
        return None
    return start


def report_not_given(user: User, match: Match, reason: str, today: date | None = None) -> Match:
    """The resident or the volunteer says the help did not happen, with a one-line reason;
    the neighbourhood's coordinators get a task. The match itself stays as it is: the
    coordinator decides what happens next (call it off, find someone else).

    Raises NotAllowed for anyone else or help that is not running, DomainError before the
    planned date or for an empty or too long reason.
    """
    if not access.is_party(user, match) or match.status != MatchStatus.ACCEPTED:
        raise NotAllowed(_l("U kunt deze hulp niet als niet doorgegaan melden."))
    opens_on = not_given_from(match, today)
    if opens_on is not None:
        raise DomainError(_l("U kunt vanaf %(date)s melden hoe het is gegaan.",
                             date=format_day(opens_on)))
    reason = " ".join((reason or "").replace("\x00", "").split())
    if not reason:
        raise DomainError(_l("Schrijf in een zin waarom de hulp niet doorging."))
    if len(reason) > REASON_MAX:
        raise DomainError(_l("Gebruik hoogstens %(max)d tekens.", max=REASON_MAX))
    side = "volunteer" if user.id == match.volunteer_id else "resident"
    match.not_given_at = utcnow()
    match.not_given_reason = reason
    audit.record(user, "match.not_given", match, reason)
    rules.on_not_given(match, side, today or local_today())
    db.session.flush()
    return match

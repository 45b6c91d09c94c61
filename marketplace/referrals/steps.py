"""The steps a referrer hears of, in plain words (:mod:`marketplace.referrals.report` uses
them; the notification texts word them without importing the notifications back)."""

from __future__ import annotations

from marketplace.i18n import lazy_gettext as _l
from marketplace.models import RequestStatus

S = RequestStatus

RECEIVED, TAKEN_UP, VOLUNTEER_FOUND, HELP_GIVEN, NOT_POSSIBLE = (
    "received", "taken_up", "volunteer_found", "help_given", "not_possible")

STEP_OF: dict[RequestStatus, str] = {
    S.SUBMITTED: RECEIVED, S.NEEDS_INFO: RECEIVED,
    S.OPEN: TAKEN_UP, S.PROPOSED: TAKEN_UP,
    S.MATCHED: VOLUNTEER_FOUND,
    S.DONE: HELP_GIVEN,
    S.REJECTED: NOT_POSSIBLE, S.ESCALATED: NOT_POSSIBLE, S.CANCELLED: NOT_POSSIBLE,
}

STEP_TEXT = {
    RECEIVED: _l("Het meldpunt bekijkt de aanvraag."),
    TAKEN_UP: _l("Opgepakt: het meldpunt zoekt een vrijwilliger."),
    VOLUNTEER_FOUND: _l("Er is een vrijwilliger gevonden."),
    HELP_GIVEN: _l("De hulp is gegeven."),
    NOT_POSSIBLE: _l("Het lukt niet."),
}

WITHDRAWN = _l("De aanvraag is ingetrokken.")

#: Steps told by a notification here (a volunteer found is told by the acceptance).
TOLD = frozenset({TAKEN_UP, HELP_GIVEN, NOT_POSSIBLE})

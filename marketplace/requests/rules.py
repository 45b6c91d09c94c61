"""Pure rules for the data of a help request, shared by the forms and the services.

Kept free of Flask request state so both a form (field errors) and a service (a
:class:`~marketplace.errors.DomainError`) can apply exactly the same checks.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from marketplace.i18n import lazy_gettext as _l
from marketplace.vocabulary import DAYS, PARTS, RequestStatus, Timing, local_today

MAX_AHEAD = timedelta(days=365)
TITLE_MAX = 120
DESCRIPTION_MAX = 2000
ADDRESS_MAX = 200
NETWORK_MAX = 1000
OFFER_MAX = 1000
REASON_MAX = 500

#: Until a volunteer is asked, the requester (or the referrer who filed it) may still change
#: the request. A change sends it (back) to a coordinator: see ``services.edit_request``.
EDITABLE = frozenset({RequestStatus.SUBMITTED, RequestStatus.NEEDS_INFO, RequestStatus.OPEN})

# The part of a request each field belongs to, in the order of the form, as a coordinator
# reads it in the request's history ("Gewijzigd door de bewoner: wanneer, beschrijving").
# Stored in plain Dutch, like the other notes there; ``history.history_note`` shows it in
# the reader's language.
# Only the names of the parts, never what was typed in them.
CHANGED_PARTS = {
    "category_id": "soort hulp",
    "title": "titel",
    "description": "beschrijving",
    "timing": "wanneer",
    "date_start": "wanneer",
    "date_end": "wanneer",
    "weekday": "wanneer",
    "part_of_day": "wanneer",
    "urgency": "hoe snel",
    "postcode": "adres",
    "address": "adres",
    "preferred_language": "voorkeurstaal",
    "own_network": "eigen netwerk",
    "can_offer": "iets doen voor een ander",
}


def timing_errors(
    timing: Timing | str | None,
    date_start: date | None,
    date_end: date | None,
    weekday: str | None,
    part_of_day: str | None,
    today: date | None = None,
) -> dict[str, str]:
    """Check the "when" of a request. Returns ``{field name: message}``; empty when valid."""
    today = today or local_today()
    errors: dict[str, str] = {}
    if part_of_day is not None and part_of_day not in PARTS:
        errors["part_of_day"] = str(_l("Kies een deel van de dag."))
    if timing == Timing.ONCE:
        if date_start is None:
            errors["date_start"] = str(_l("Vul een datum in."))
        elif date_start < today:
            errors["date_start"] = str(_l("Deze datum is al voorbij."))
        elif date_start > today + MAX_AHEAD:
            errors["date_start"] = str(_l("Kies een datum binnen een jaar."))
    elif timing == Timing.RANGE:
        errors.update(_range_errors(date_start, date_end, today))
    elif timing == Timing.WEEKLY:
        if weekday not in DAYS:
            errors["weekday"] = str(_l("Kies een dag van de week."))
    else:
        errors["timing"] = str(_l("Kies wanneer u hulp nodig heeft."))
    return errors


def last_day(timing: Timing | str | None, date_start: date | None,
             date_end: date | None) -> date | None:
    """The last day the help can still take place: a one-off's date, the end of a period;
    ``None`` for weekly help (it has no end) and for a request without dates."""
    if timing == Timing.WEEKLY:
        return None
    return date_end or date_start


#: Statuses in which a request still waits for its help (a passed date matters there).
WAITING = frozenset({RequestStatus.SUBMITTED, RequestStatus.NEEDS_INFO, RequestStatus.OPEN,
                     RequestStatus.PROPOSED})


def date_passed(timing: Timing | str | None, date_start: date | None, date_end: date | None,
                today: date | None = None) -> bool:
    """Whether the help's last day (:func:`last_day`) lies before ``today``: no volunteer
    can still help on it, so it is no longer proposed or picked (see
    :func:`marketplace.matches.queries.date_still_ahead`)."""
    last = last_day(timing, date_start, date_end)
    return last is not None and last < (today or local_today())


def day_passed(help_request: Any, today: date | None = None) -> bool:
    """:func:`date_passed` for a request (anything with ``timing``, ``date_start`` and
    ``date_end``)."""
    return date_passed(help_request.timing, help_request.date_start, help_request.date_end,
                       today)


def waits_past_its_day(help_request: Any, today: date | None = None) -> bool:
    """Still waiting for help (:data:`WAITING`) while its day went by: its page tells the
    resident to choose a new day or withdraw."""
    return help_request.status in WAITING and day_passed(help_request, today)


def _range_errors(start: date | None, end: date | None, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if start is None:
        errors["date_start"] = str(_l("Vul een begindatum in."))
    elif start < today:
        errors["date_start"] = str(_l("Deze datum is al voorbij."))
    if end is None:
        errors["date_end"] = str(_l("Vul een einddatum in."))
    elif start is not None and end < start:
        errors["date_end"] = str(_l("De einddatum ligt voor de begindatum."))
    elif end > today + MAX_AHEAD:
        errors["date_end"] = str(_l("Kies een einddatum binnen een jaar."))
    return errors

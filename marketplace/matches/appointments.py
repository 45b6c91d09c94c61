"""When the help happens: the days of a request's appointments, in the Netherlands.

One-off help (``Timing.ONCE``) has one appointment, on its date. Weekly help has a visit on
its weekday every week, from its start date (when given) up to its end date (when given).
Help "somewhere between two dates" (``Timing.RANGE``) has no fixed day: the two sides agree
on one themselves, so nobody is reminded of it and no cancellation falls "on the day".
Reminders (:mod:`marketplace.notifications.schedule`) and same-day cancellations
(:func:`marketplace.matches.services.cancel_match`) both read this.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from marketplace.models import HelpRequest, Timing
from marketplace.vocabulary import DAYS


def has_appointment_on(help_request: HelpRequest, day: date) -> bool:
    """True when ``help_request`` has an appointment (or a weekly visit) on ``day``."""
    if help_request.timing == Timing.ONCE:
        return help_request.date_start == day
    if help_request.timing == Timing.WEEKLY:
        return (
            help_request.weekday == DAYS[day.weekday()]
            and (help_request.date_start is None or help_request.date_start <= day)
            and (help_request.date_end is None or day <= help_request.date_end)
        )
    return False


def appointment_on(day: date) -> sa.ColumnElement[bool]:
    """:func:`has_appointment_on` as a SQL condition on :class:`HelpRequest`."""
    once = sa.and_(HelpRequest.timing == Timing.ONCE, HelpRequest.date_start == day)
    weekly = sa.and_(
        HelpRequest.timing == Timing.WEEKLY,
        HelpRequest.weekday == DAYS[day.weekday()],
        sa.or_(HelpRequest.date_start.is_(None), HelpRequest.date_start <= day),
        sa.or_(HelpRequest.date_end.is_(None), HelpRequest.date_end >= day),
    )
    return sa.or_(once, weekly)

"""A match's appointments as iCalendar (RFC 5545): the .ics download and the private feed.

One VEVENT per match: one-off help on its date, weekly help as one series with
``RRULE:FREQ=WEEKLY`` (help "somewhere between two dates" has no fixed day, so no event).
The UID ``match-<id>@<site host>`` never changes, so a calendar that gets the same
appointment twice (download, feed) shows it once. SEQUENCE is the request's version plus the
match's number of state changes: it rises whenever the date, the time or the status changes.
Times are local to Europe/Amsterdam, with its VTIMEZONE. The resident's address (LOCATION)
is only written for a viewer who may see contact details (:func:`access.contact_details_visible`).

Parts of day become fixed local times: morning 09:00-12:00, afternoon 13:00-17:00,
evening 18:00-21:00; no part of day given means the whole morning-to-evening span.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import force_locale

from marketplace import access
from marketplace.i18n import gettext as _
from marketplace.mail import link
from marketplace.models import HelpRequest, Match, Timing, User
from marketplace.models.types import utcnow
from marketplace.templating import category_name
from marketplace.vocabulary import DAYS, LOCAL_ZONE, MatchStatus, PartOfDay

if TYPE_CHECKING:
    import icalendar

#: Local start and end of each part of day.
PART_TIMES: dict[str, tuple[time, time]] = {
    PartOfDay.MORNING.value: (time(9), time(12)),
    PartOfDay.AFTERNOON.value: (time(13), time(17)),
    PartOfDay.EVENING.value: (time(18), time(21)),
}
WHOLE_DAY = (time(9), time(21))

_STATUS = {
    MatchStatus.SUGGESTED: "TENTATIVE",
    MatchStatus.PROPOSED: "TENTATIVE",
    MatchStatus.ACCEPTED: "CONFIRMED",
    MatchStatus.COMPLETED: "CONFIRMED",
}
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def has_appointments(match: Match) -> bool:
    """True when the match's request has fixed days (one-off with a date, or weekly with at
    least one visit before its end date)."""
    help_request = match.help_request
    if help_request.timing == Timing.ONCE:
        return help_request.date_start is not None
    return (
        help_request.timing == Timing.WEEKLY
        and help_request.weekday in DAYS
        and (help_request.date_end is None or _first_day(help_request) <= help_request.date_end)
    )


def calendar_for(viewer: User, matches: Iterable[Match]) -> bytes:
    """The VCALENDAR (bytes, UTF-8) with one VEVENT per match that has appointments,
    as ``viewer`` may see it, in their language, with the VTIMEZONE of Europe/Amsterdam."""
    with force_locale(viewer.locale or "nl"):
        calendar = _calendar_for(viewer, matches)
    return calendar.to_ical()


def new_calendar() -> icalendar.Calendar:
    """An empty VCALENDAR with Hulppunt's product id."""
    # Imported here (and in event_for): icalendar costs every process start-up about 20 ms,
    # and only a download, the feed and an invitation build one.
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Hulppunt//Afspraken//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Hulppunt")
    return calendar


def _calendar_for(viewer: User, matches: Iterable[Match]) -> icalendar.Calendar:
    calendar = new_calendar()
    stamp = utcnow()
    first_year = stamp.year
    for match in matches:
        if has_appointments(match):
            calendar.add_component(event_for(viewer, match, stamp))
            first_year = min(first_year, _first_day(match.help_request).year)
    # The zone's rules from a year before the first appointment: enough for every event,
    # without fifty years of daylight-saving dates in each download.
    calendar.add_missing_timezones(first_date=date(first_year - 1, 1, 1))
    return calendar


def uid_for(match: Match) -> str:
    """The appointment's stable UID, shared by the download, the feed and any invitation."""
    host = urlsplit(link("pages.home")).hostname or "hulppunt"
    return f"match-{match.id}@{host}"


def sequence_for(match: Match) -> int:
    """A number that rises with every change of the appointment (its request's version is
    raised on each edit, and each state change of the match adds a transition)."""
    return (match.help_request.version or 1) - 1 + len(match.transitions)


def event_for(viewer: User, match: Match, stamp: datetime) -> icalendar.Event:
    """One VEVENT for the match (which must have appointments, :func:`has_appointments`)."""
    help_request = match.help_request
    first_day = _first_day(help_request)
    start_time, end_time = PART_TIMES.get(help_request.part_of_day or "", WHOLE_DAY)
    import icalendar  # on first use, see new_calendar

    event = icalendar.Event()
    event.add("uid", uid_for(match))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence_for(match))
    event.add("status", _STATUS.get(match.status, "CANCELLED"))
    event.add("summary", _("Hulp: %(category)s",
                            category=category_name(help_request.category).lower()))
    event.add("description", _description(viewer, match))
    event.add("dtstart", datetime.combine(first_day, start_time, tzinfo=LOCAL_ZONE))
    event.add("dtend", datetime.combine(first_day, end_time, tzinfo=LOCAL_ZONE))
    if help_request.timing == Timing.WEEKLY:
        rule: dict[str, object] = {"freq": "weekly", "byday": _RRULE_DAYS[first_day.weekday()]}
        if help_request.date_end is not None:
            until = datetime.combine(help_request.date_end, end_time, tzinfo=LOCAL_ZONE)
            rule["until"] = until.astimezone(ZoneInfo("UTC"))
        event.add("rrule", rule)
    if access.contact_details_visible(viewer, match):
        location = ", ".join(
            part for part in (help_request.address, help_request.postcode) if part
        )
        if location:
            event.add("location", location)
    return event


def _first_day(help_request: HelpRequest) -> date:
    start = help_request.date_start or help_request.created_at.date()
    if help_request.timing == Timing.ONCE:
        return start
    weekday = DAYS.index(help_request.weekday or DAYS[0])
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _description(viewer: User, match: Match) -> str:
    help_request = match.help_request
    if viewer.id == match.volunteer_id:
        other = _("U helpt %(name)s.", name=help_request.requester.name)
    elif viewer.id == help_request.requester_id:
        other = _("%(name)s helpt u.", name=match.volunteer.name)
    else:
        other = _("%(volunteer)s helpt %(resident)s.", volunteer=match.volunteer.name,
                  resident=help_request.requester.name)
    return f"{help_request.title}\n{other}\n{link('matches.show_match', match_id=match.id)}"

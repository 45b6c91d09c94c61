"""Opening hours in words: an HSDS ``schedule`` line (RRULE-like) as a Dutch (or English)
sentence, e.g. "Maandag en woensdag, 10:00 tot 12:00" or "Elke tweede dinsdag van de maand,
19:30 tot 21:30"."""

from __future__ import annotations

import re
from datetime import time

from flask_babel.speaklater import LazyString

from marketplace.i18n import gettext as _
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Schedule
from marketplace.vocabulary import DAY_LABELS, Day

#: HSDS / iCalendar day codes and the day they name.
DAY_CODES: dict[str, Day] = {
    "MO": Day.MON, "TU": Day.TUE, "WE": Day.WED, "TH": Day.THU, "FR": Day.FRI,
    "SA": Day.SAT, "SU": Day.SUN,
}
ORDINALS: dict[int, LazyString] = {
    1: _l("eerste"), 2: _l("tweede"), 3: _l("derde"), 4: _l("vierde"), -1: _l("laatste"),
}
_BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s en %(last)s", first=", ".join(items[:-1]), last=items[-1])


def _days(byday: str) -> tuple[list[str], list[str]]:
    """(plain day names, "tweede dinsdag"-like names) of an HSDS ``byday`` value."""
    plain: list[str] = []
    ordinal: list[str] = []
    for code in (part.strip().upper() for part in byday.split(",") if part.strip()):
        found = _BYDAY.match(code)
        if found is None:
            continue
        day = str(DAY_LABELS[DAY_CODES[found.group(2)]])
        if found.group(1):
            number = int(found.group(1))
            ordinal.append(f"{ORDINALS.get(number, number)} {day}")
        else:
            plain.append(day)
    return plain, ordinal


def _when(schedule: Schedule) -> str:
    plain, ordinal = _days(schedule.byday)
    if schedule.freq == "MONTHLY":
        if ordinal or plain:
            return _("elke %(days)s van de maand", days=_join(ordinal or plain))
        if schedule.bymonthday:
            return _("op dag %(days)s van de maand", days=schedule.bymonthday)
        return _("elke maand")
    if not plain:
        return ""
    if schedule.interval and schedule.interval > 1:
        return _("om de %(count)s weken op %(days)s", count=schedule.interval, days=_join(plain))
    return _join(plain)


def _clock(moment: time) -> str:
    return moment.strftime("%H:%M")


def describe(schedule: Schedule) -> str:
    """The schedule as one sentence; its free ``description`` when the fields say nothing."""
    when = _when(schedule)
    hours = ""
    if schedule.opens_at is not None and schedule.closes_at is not None:
        hours = _("%(opens)s tot %(closes)s", opens=_clock(schedule.opens_at),
                  closes=_clock(schedule.closes_at))
    sentence = ", ".join(part for part in (when, hours) if part)
    if not sentence:
        return schedule.description
    sentence = sentence[0].upper() + sentence[1:]
    if schedule.notes:
        sentence = f"{sentence} ({schedule.notes})"
    return sentence

"""The period and neighbourhood picker: a GET form that works without JavaScript.

``?periode=2026-H1`` (or ``2026-K3``, ``2026-05``, ``2026``), or ``?periode=eigen&van=...
&tot=...`` for custom days; ``?wijk=3&wijk=5`` for neighbourhoods (none: all). Anything
unreadable falls back to the default with a message, never an error page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from babel import dates
from flask import request

from marketplace import params
from marketplace.i18n import date_locale
from marketplace.i18n import gettext as _
from marketplace.i18n import lazy_gettext as _l
from marketplace.indicators import periods
from marketplace.indicators.periods import PERIOD_KIND_LABELS, Period, PeriodKind

CUSTOM = "eigen"
_PATTERNS = (
    (re.compile(r"(\d{4})-H([12])"), PeriodKind.HALF_YEAR, 6),
    (re.compile(r"(\d{4})-K([1-4])"), PeriodKind.QUARTER, 3),
    (re.compile(r"(\d{4})-(0[1-9]|1[0-2])"), PeriodKind.MONTH, 1),
    (re.compile(r"(\d{4})"), PeriodKind.YEAR, 12),
)
UNKNOWN_PERIOD = _l("Die periode kennen we niet; u ziet het huidige halfjaar.")
BAD_CUSTOM = _l("Kies bij een eigen periode een begin- en einddatum, het begin eerst, "
                "hooguit drie jaar; u ziet het huidige halfjaar.")


@dataclass(frozen=True)
class PeriodOption:
    value: str
    label: str


def parse_label(text: str) -> Period | None:
    """The fixed period a label names ("2026-H1", "2026-K3", "2026-05", "2026"), or None."""
    for pattern, kind, months in _PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            year, number = int(found.group(1)), int(found.groups()[-1] if months < 12 else 1)
            if not 2000 <= year <= 2199:
                return None
            month = 1 if kind is PeriodKind.YEAR else (number - 1) * months + 1
            return periods.fixed(kind, date(year, month, 1))
    return None


def chosen_period(today: date) -> Period:
    """The period the request asks for; the half year containing ``today`` by default (and,
    with a message, when the request's choice cannot be read)."""
    default = periods.fixed(PeriodKind.HALF_YEAR, today)
    raw = request.args.get("periode", "")
    if raw == "":
        return default
    if raw == CUSTOM:
        first, last = params.date_arg("van"), params.date_arg("tot")
        try:
            if first is None or last is None:
                raise ValueError("missing")
            return periods.custom(first, last)
        except ValueError:
            params._tell(BAD_CUSTOM)
            return default
    period = parse_label(raw)
    if period is None:
        params._tell(UNKNOWN_PERIOD)
        return default
    return period


def chosen_neighbourhood_ids(known: set[int]) -> list[int]:
    """The ``?wijk=`` ids that name a known neighbourhood (others are ignored, with a
    message)."""
    result = []
    for raw in request.args.getlist("wijk"):
        number = params.parse_int(raw, 1, params.MAX_DATABASE_ID)
        if number is None or number not in known:
            params._tell(params.FILTER_IGNORED)
            continue
        result.append(number)
    return result


def period_in_words(period: Period) -> str:
    """"Eerste halfjaar 2026", "Kwartaal 3 2026", "mei 2026", "2026" (the picker's words;
    the code, "2026-H1", stays the value and the name in file names)."""
    year = period.first.year
    if period.kind is PeriodKind.HALF_YEAR:
        if period.first.month == 1:
            return _("Eerste halfjaar %(year)s", year=year)
        return _("Tweede halfjaar %(year)s", year=year)
    if period.kind is PeriodKind.QUARTER:
        return _("Kwartaal %(number)s %(year)s", number=(period.first.month - 1) // 3 + 1,
                 year=year)
    if period.kind is PeriodKind.MONTH:
        return dates.format_date(period.first, "LLLL yyyy", locale=date_locale())
    return period.label


def period_options(today: date) -> list[tuple[str, list[PeriodOption]]]:
    """The picker's choices, grouped by kind, newest first."""
    groups = []
    for kind, how_many in ((PeriodKind.HALF_YEAR, 6), (PeriodKind.QUARTER, 8),
                           (PeriodKind.MONTH, 24), (PeriodKind.YEAR, 4)):
        options = [PeriodOption(item.label, period_in_words(item))
                   for item in periods.choices(kind, today, how_many)]
        groups.append((str(PERIOD_KIND_LABELS[kind]), options))
    return groups

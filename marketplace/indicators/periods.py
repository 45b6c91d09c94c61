"""Periods the indicators count over: a month, a quarter, a half year (January-June and
July-December, as the Gemeentelijke Monitor Sociaal Domein publishes), a year, or custom days.

A period is a run of whole days in Europe/Amsterdam; :attr:`Period.utc_bounds` gives the
half-open UTC interval ``[start, end)`` the queries compare stored (UTC) moments with, so a
request at 23:59 on 30 June Amsterdam time falls in the first half year.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from marketplace.i18n import lazy_gettext as _l
from marketplace.vocabulary import LOCAL_ZONE

#: The longest custom period: the trend table has a column per month.
MAX_CUSTOM_DAYS = 3 * 366


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half"
    YEAR = "year"
    CUSTOM = "custom"


PERIOD_KIND_LABELS = {
    PeriodKind.MONTH: _l("Maand"),
    PeriodKind.QUARTER: _l("Kwartaal"),
    PeriodKind.HALF_YEAR: _l("Halfjaar"),
    PeriodKind.YEAR: _l("Jaar"),
    PeriodKind.CUSTOM: _l("Zelf kiezen"),
}

#: How many months each fixed kind spans.
_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6,
           PeriodKind.YEAR: 12}


@dataclass(frozen=True)
class Period:
    """Whole local days ``first`` .. ``last`` (both included)."""

    kind: PeriodKind
    first: date
    last: date

    @property
    def label(self) -> str:
        """"2026-H1", "2026-K3", "2026-05", "2026", or "2026-01-03 t/m 2026-02-10"."""
        if self.kind is PeriodKind.HALF_YEAR:
            return f"{self.first.year}-H{1 if self.first.month == 1 else 2}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.first.year}-K{(self.first.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind is PeriodKind.YEAR:
            return str(self.first.year)
        return f"{self.first.isoformat()} t/m {self.last.isoformat()}"

    @property
    def utc_bounds(self) -> tuple[datetime, datetime]:
        """``[start, end)`` in UTC: local midnight of ``first`` to local midnight after
        ``last``."""
        return local_midnight(self.first), local_midnight(self.last + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of the same kind and length just before this one."""
        if self.kind is PeriodKind.CUSTOM:
            return Period(self.kind, self.first - timedelta(days=self.days),
                          self.first - timedelta(days=1))
        return fixed(self.kind, self.first - timedelta(days=1))

    def months(self) -> list[Period]:
        """The calendar months this period touches, cut to the period (for trends)."""
        result = []
        start = self.first
        while start <= self.last:
            month = fixed(PeriodKind.MONTH, start)
            result.append(Period(PeriodKind.MONTH, start, min(month.last, self.last)))
            start = month.last + timedelta(days=1)
        return result


def local_midnight(day: date) -> datetime:
    """The UTC moment local (Amsterdam) ``day`` begins."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_ZONE).astimezone(UTC)


def local_day(moment: datetime) -> date:
    """The Amsterdam calendar day of a UTC moment."""
    return moment.astimezone(LOCAL_ZONE).date()


def fixed(kind: PeriodKind, day: date) -> Period:
    """The month, quarter, half year or year (``kind``) that contains ``day``."""
    months = _MONTHS[kind]
    first_month = (day.month - 1) // months * months + 1
    first = date(day.year, first_month, 1)
    after = _add_months(first, months)
    return Period(kind, first, after - timedelta(days=1))


def custom(first: date, last: date) -> Period:
    """Days ``first`` .. ``last``; raises ``ValueError`` when they are reversed or the span
    is longer than :data:`MAX_CUSTOM_DAYS`."""
    if last < first:
        raise ValueError("reversed")
    if (last - first).days + 1 > MAX_CUSTOM_DAYS:
        raise ValueError("too long")
    return Period(PeriodKind.CUSTOM, first, last)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def choices(kind: PeriodKind, today: date, count: int) -> list[Period]:
    """The last ``count`` periods of ``kind`` up to the one containing ``today``, newest
    first (for the picker's list)."""
    period = fixed(kind, today)
    result = [period]
    while len(result) < count:
        period = period.previous()
        result.append(period)
    return result

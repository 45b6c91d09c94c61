"""The shape every indicator takes on its way to a page, a chart, the map or an export.

One :class:`Table` per indicator table: a title, its counting rule in words, column headings
and rows of :class:`Figure`. Small counts are suppressed here, once, so the page, the map, the
CSV, the xlsx and the PDF all show the same "< 5".
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

#: Counts of people or requests below this are shown as "< 5" everywhere.
SUPPRESS_BELOW = 5


class Unit(enum.StrEnum):
    COUNT = "count"  # people or requests: suppressed below SUPPRESS_BELOW
    PERCENT = "percent"  # a share, 0-100; suppressed when its denominator is
    DAYS = "days"  # a median duration
    HOURS = "hours"  # hours given
    RATING = "rating"  # an average rating, 1-5


class ChartKind(enum.StrEnum):
    NONE = "none"
    BARS = "bars"  # one bar per row (kinds of help, neighbourhoods)
    LINES = "lines"  # a trend: rows are periods in order


@dataclass(frozen=True)
class Figure:
    """One cell. ``value`` is None when there is no data (or it is suppressed)."""

    value: float | None
    unit: Unit = Unit.COUNT
    suppressed: bool = False

    @property
    def text(self) -> str:
        """The cell as every output shows it: "< 5", "-" (no data), or the number."""
        if self.suppressed:
            return f"< {SUPPRESS_BELOW}"
        if self.value is None:
            return "-"
        if self.unit is Unit.PERCENT:
            return f"{self.value:.1f}%".replace(".", ",")
        if self.unit in (Unit.DAYS, Unit.HOURS, Unit.RATING) and self.value != int(self.value):
            return f"{self.value:.1f}".replace(".", ",")
        return f"{int(self.value)}"


def count(value: int | None) -> Figure:
    """A count, suppressed when it is 1 to 4 (0 says nothing about a person)."""
    if value is not None and 0 < value < SUPPRESS_BELOW:
        return Figure(None, Unit.COUNT, suppressed=True)
    return Figure(value, Unit.COUNT)


def share(part: int, whole: int) -> Figure:
    """``part`` of ``whole`` as a percentage; suppressed when either count would be."""
    if whole == 0:
        return Figure(None, Unit.PERCENT)
    if 0 < part < SUPPRESS_BELOW or whole < SUPPRESS_BELOW:
        return Figure(None, Unit.PERCENT, suppressed=True)
    return Figure(100.0 * part / whole, Unit.PERCENT)


def measure(value: float | None, unit: Unit, based_on: int) -> Figure:
    """A median, total of hours or average, suppressed when fewer than
    :data:`SUPPRESS_BELOW` people or requests stand behind it."""
    if 0 < based_on < SUPPRESS_BELOW:
        return Figure(None, unit, suppressed=True)
    return Figure(value, unit)


@dataclass(frozen=True)
class Row:
    label: str  # a period ("2026-H1"), a kind of help, a neighbourhood, ...
    figures: tuple[Figure, ...]
    key: str = ""  # a stable code for the row (a CBS code "WK040201", a category slug)


@dataclass(frozen=True)
class Table:
    """One indicator table, as shown on the dashboard and exported.

    ``rule`` is the counting rule in words (what counts, from when to when, which states);
    ``columns`` are the headings of the figures (the row label's heading is ``row_heading``).
    """

    key: str  # stable, for anchors and sheet names: "requests_by_kind"
    title: str
    rule: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    chart: ChartKind = ChartKind.NONE
    has_data: bool = True  # False: the indicator exists but nothing feeds it yet

    def column(self, index: int) -> Sequence[Figure]:
        return [row.figures[index] for row in self.rows]

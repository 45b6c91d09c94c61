"""How the burden changes: the points of a small inline SVG line (the table carries the data;
the line is decoration for sighted readers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marketplace.carers.scoring import rules
from marketplace.models import CarerCheck

WIDTH = 160
HEIGHT = 40
PAD = 4


@dataclass(frozen=True)
class Sparkline:
    points: str  # "x,y x,y ..." for <polyline points>
    width: int = WIDTH
    height: int = HEIGHT


def sparkline(checks: Sequence[CarerCheck]) -> Sparkline | None:
    """The totals of the checks (oldest first) as a line; None for fewer than two checks.
    A higher total is drawn higher."""
    if len(checks) < 2:  # noqa: PLR2004 - a line needs two points
        return None
    low, high = rules().total_min, rules().total_max
    step = (WIDTH - 2 * PAD) / (len(checks) - 1)
    points = []
    for index, check in enumerate(checks):
        share = (min(max(check.total, low), high) - low) / (high - low)
        x = PAD + index * step
        y = HEIGHT - PAD - share * (HEIGHT - 2 * PAD)
        points.append(f"{x:.1f},{y:.1f}")
    return Sparkline(" ".join(points))

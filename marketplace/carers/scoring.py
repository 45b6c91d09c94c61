"""The overload check's scoring: transparent and configurable (no Flask, no database).

The rules (thresholds from ``marketplace/data/carer_check.json``):

* every area is answered 1 (no trouble) .. 5 (too much); the **total** is their sum, 8 .. 40;
* an area answered ``area_high`` or more is a **high area**;
* **overloaded** when the total is ``total_overloaded`` or more, or the felt burden (the GGD
  monitor's question, 1 .. 5) is ``felt_overloaded`` or more;
* else **raised** when the total is ``total_raised`` or more, there is a high area, or the
  felt burden is ``felt_raised`` or more; else **light**;
* a coordinator follows up (``needs_follow_up``) when the carer is overloaded or has a high
  area: "a high total or a high single area".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "carer_check.json"
SCALE = range(1, 6)

LIGHT = "light"
RAISED = "raised"
OVERLOADED = "overloaded"
#: The levels in order; the index is the burden level the matching uses (0 .. 2).
LEVELS: tuple[str, ...] = (LIGHT, RAISED, OVERLOADED)


@dataclass(frozen=True)
class Rules:
    """The thresholds of the scoring (see the module docstring)."""

    areas: tuple[str, ...]
    area_high: int
    total_raised: int
    total_overloaded: int
    felt_raised: int
    felt_overloaded: int

    @property
    def total_min(self) -> int:
        return len(self.areas) * SCALE.start

    @property
    def total_max(self) -> int:
        return len(self.areas) * (SCALE.stop - 1)


@dataclass(frozen=True)
class Outcome:
    """The result of one check."""

    total: int
    level: str
    high_areas: tuple[str, ...]
    needs_follow_up: bool

    @property
    def burden_level(self) -> int:
        """0 light, 1 raised, 2 overloaded (the matching's priority term)."""
        return LEVELS.index(self.level)


@cache
def rules(path: Path = CONFIG_PATH) -> Rules:
    """The rules in ``path`` (read once). Raises ValueError for an inconsistent file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    loaded = Rules(
        areas=tuple(data["areas"]),
        area_high=int(data["area_high"]),
        total_raised=int(data["total_raised"]),
        total_overloaded=int(data["total_overloaded"]),
        felt_raised=int(data["felt_raised"]),
        felt_overloaded=int(data["felt_overloaded"]),
    )
    if not (loaded.total_min <= loaded.total_raised <= loaded.total_overloaded
            <= loaded.total_max):
        raise ValueError("carer_check.json: totals must rise within the scale")
    if not 1 <= loaded.felt_raised <= loaded.felt_overloaded <= SCALE.stop - 1:
        raise ValueError("carer_check.json: felt burden thresholds must rise within 1..5")
    return loaded


def score(answers: Mapping[str, int], felt_burden: int, config: Rules | None = None) -> Outcome:
    """Score one check. ``answers`` must hold every area of the rules with a value 1..5,
    ``felt_burden`` 1..5. Raises ValueError otherwise."""
    config = config or rules()
    if set(answers) != set(config.areas):
        raise ValueError("answer every area, and only those")
    if any(answers[area] not in SCALE for area in config.areas) or felt_burden not in SCALE:
        raise ValueError("answers are 1..5")
    total = sum(answers[area] for area in config.areas)
    high = tuple(area for area in config.areas if answers[area] >= config.area_high)
    if total >= config.total_overloaded or felt_burden >= config.felt_overloaded:
        level = OVERLOADED
    elif total >= config.total_raised or high or felt_burden >= config.felt_raised:
        level = RAISED
    else:
        level = LIGHT
    return Outcome(total, level, high, level == OVERLOADED or bool(high))

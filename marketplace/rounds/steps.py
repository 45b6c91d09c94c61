"""Seconds per step of a matching round (``flask match run`` prints them)."""

from __future__ import annotations

import time
from collections.abc import MutableMapping

#: Step name -> seconds (see :func:`marketplace.rounds.services.execute_round`).
Steps = MutableMapping[str, float]


class Clock:
    """Adds the seconds since the previous lap to ``steps[name]`` (nothing when None)."""

    def __init__(self, steps: Steps | None) -> None:
        self.steps, self.last = steps, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.steps is not None:
            self.steps[name] = self.steps.get(name, 0.0) + now - self.last
        self.last = now

"""The load test's write check: every write locust sent, against what the database holds.

Locust keeps a ledger (``locustfile.py``): ``sent <kind> <key>`` just before a write goes out,
then ``ok <kind> <key>`` or ``failed <kind> <key>`` when its answer came back. ``kind`` is
``post`` (a new help request, ``key`` = the unique token in its description) or ``accept``
(``key`` = the match id). :func:`check` compares that ledger with the database after the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ledger:
    """Keys per kind and outcome: ``sent``, ``ok`` and ``failed``."""

    sent: dict[str, set[str]] = field(default_factory=dict)
    ok: dict[str, set[str]] = field(default_factory=dict)
    failed: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, lines: Iterable[str]) -> Ledger:
        """Raises ValueError on a line that is not ``<sent|ok|failed> <kind> <key>``."""
        ledger = cls()
        for line in lines:
            if not line.strip():
                continue
            event, kind, key = line.split()
            outcome = {"sent": ledger.sent, "ok": ledger.ok, "failed": ledger.failed}[event]
            outcome.setdefault(kind, set()).add(key)
        return ledger

    def keys(self, outcome: str, kind: str) -> set[str]:
        return set(getattr(self, outcome).get(kind, set()))


@dataclass(frozen=True)
class KindCheck:
    """The write check for one kind of write. Only the first four must be empty."""

    kind: str
    acknowledged: int  # answered with success
    lost: set[str]  # answered with success, not in the database
    unexplained: set[str]  # in the database, never sent
    failed_but_saved: set[str]  # answered with an error, yet in the database
    duplicated: set[str]  # in the database more than once
    in_flight_saved: set[str]  # sent, no answer before the stop, in the database
    in_flight_absent: set[str]  # sent, no answer before the stop, not in the database

    @property
    def good(self) -> bool:
        return not (self.lost or self.unexplained or self.failed_but_saved or self.duplicated)

    def summary(self) -> str:
        def show(keys: set[str]) -> str:
            listed = ", ".join(sorted(keys)[:5]) + (" ..." if len(keys) > 5 else "")
            return f"{len(keys)}" + (f" ({listed})" if keys else "")

        return (
            f"{self.kind}: {self.acknowledged} acknowledged, all in the database: "
            f"{'yes' if not self.lost else 'NO'}; lost {show(self.lost)}; "
            f"unexplained {show(self.unexplained)}; failed but saved "
            f"{show(self.failed_but_saved)}; duplicated {show(self.duplicated)}; "
            f"in flight at stop: {len(self.in_flight_saved)} saved, "
            f"{len(self.in_flight_absent)} not saved"
        )


def check(kind: str, ledger: Ledger, stored: Iterable[str]) -> KindCheck:
    """Compare the ledger's writes of ``kind`` with the keys ``stored`` by the run.

    ``stored`` lists the key of every row the run added (a key twice = a duplicate write).
    """
    counted = Counter(stored)
    present = set(counted)
    sent, ok, failed = (ledger.keys(outcome, kind) for outcome in ("sent", "ok", "failed"))
    in_flight = sent - ok - failed
    return KindCheck(
        kind=kind,
        acknowledged=len(ok),
        lost=ok - present,
        unexplained=present - sent,
        failed_but_saved=failed & present,
        duplicated={key for key, times in counted.items() if times > 1},
        in_flight_saved=in_flight & present,
        in_flight_absent=in_flight - present,
    )

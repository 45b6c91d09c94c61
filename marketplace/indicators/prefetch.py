"""The dashboard's five heaviest aggregates, asked side by side on PostgreSQL.

A year of a city is about 400 ms of SQL, most of it in five independent statements (the
request counts, the matches' moves, the time to match, the volunteers' activity with their
hours, and the ratings). On PostgreSQL each runs in its own connection, so with
``INDICATORS_PARALLEL_QUERIES`` lanes (default 2; 1 or less: one after the other) the
database works on them at the same time on its own cores. The rows are the same either way;
each lane reads committed data only, so :func:`gather` is for pages and the tick (which read
what is committed), not for code holding uncommitted rows. SQLite, one file, gets nothing
from it and asks them in turn.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from marketplace.extensions import db
from marketplace.indicators import people, queries
from marketplace.indicators.queries import Scope

_lock = threading.Lock()
_pools: dict[int, ThreadPoolExecutor] = {}


@dataclass(frozen=True)
class Facts:
    """What several tables share, asked once (each field as its query function returns it)."""

    counts: queries.RequestCounts
    moves: queries.Moves
    speed: dict[str, Any]
    volunteers: dict[str, Any]
    ratings: dict[str, tuple[int, float | None]]


#: Longest first, so two lanes end at about the same time.
_QUERIES: tuple[tuple[str, Callable[[Scope], Any]], ...] = (
    ("volunteers", people.volunteer_counts),
    ("moves", queries.match_moves),
    ("speed", queries.time_to_match),
    ("ratings", people.ratings),
    ("counts", queries.request_counts),
)


def lanes() -> int:
    """How many statements may run at once (1 on SQLite or when switched off)."""
    if db.engine.dialect.name != "postgresql":
        return 1
    return max(int(current_app.config.get("INDICATORS_PARALLEL_QUERIES", 2) or 1), 1)


def gather(scope: Scope) -> Facts:
    """The five aggregates of ``scope``: side by side in :func:`lanes` connections, or in
    turn in the caller's session."""
    width = lanes()
    if width <= 1:
        return Facts(**{name: query(scope) for name, query in _QUERIES})
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    futures = {name: _pool(width).submit(_in_own_session, app, query, scope)
               for name, query in _QUERIES}
    return Facts(**{name: future.result() for name, future in futures.items()})


def _in_own_session(app: Flask, query: Callable[[Scope], Any], scope: Scope) -> Any:
    with app.app_context():  # its own session and connection
        try:
            return query(scope)
        finally:
            db.session.remove()


def _pool(width: int) -> ThreadPoolExecutor:
    # One pool per width and process, made on first use (after a server forks its workers).
    with _lock:
        if width not in _pools:
            _pools[width] = ThreadPoolExecutor(max_workers=width,
                                               thread_name_prefix="indicators")
        return _pools[width]

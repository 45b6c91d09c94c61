"""The dashboard's tables, kept a few minutes in Redis: the dashboard, the downloads and the
council report of one selection share one computation.

Who looks at the figures of a half year opens the dashboard, then the Excel file, then the
report and its PDF: four requests asking the same thirty aggregates over 100,000 requests.
The tables of a selection (period, neighbourhoods, language) are kept for
``INDICATORS_CACHE_SECONDS`` (default 300; 0 turns the cache off), so only the first of
them pays for the SQL; the tick computes the whole city's current and previous half year and
year ahead (:func:`warm`), so their first reader does not wait either. Every page says when its
figures were computed. Without Redis (no
``REDIS_URL``, or Redis unreachable) every request computes its own figures: slower, never
wrong, never an error.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale

from marketplace.indicators import periods, prefetch
from marketplace.indicators.services import Selection, build_tables
from marketplace.indicators.tables import Table

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

#: A web request waits this long for Redis before it computes the figures itself.
TIMEOUT_SECONDS = 0.2
#: The tick computes the first-opened figures again once they are this old (seconds).
WARM_AGAIN_AFTER = 240
_PREFIX = "hulppunt:indicators:v1:"


def _key(selection: Selection, locale: str) -> str:
    ids = ("all" if selection.neighbourhoods is None
           else ",".join(str(item.id) for item in sorted(selection.neighbourhoods,
                                                         key=lambda item: item.id)))
    period = selection.period
    # Installations sharing one Redis keep apart by their database.
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    words = f"{database}|{period.kind.value}|{period.first}|{period.last}|{ids}|{locale}"
    return _PREFIX + hashlib.sha256(words.encode()).hexdigest()[:32]


def _connection() -> redis.Redis | None:
    url = current_app.config.get("REDIS_URL")
    seconds = int(current_app.config.get("INDICATORS_CACHE_SECONDS", 300) or 0)
    if not url or seconds <= 0:
        return None
    # Imported here (and below, once there is a connection): redis costs every process
    # start-up about 90 ms, and without REDIS_URL it is never used.
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS,
                                socket_timeout=TIMEOUT_SECONDS)


def tables(selection: Selection, locale: str) -> tuple[list[Table], datetime]:
    """The tables of ``selection`` and the moment they were computed (UTC)."""
    connection = _connection()
    key = _key(selection, locale)
    if connection is not None:
        import redis  # loaded by _connection

        try:
            kept = connection.get(key)
            if isinstance(kept, bytes):
                computed_at, result = pickle.loads(kept)  # noqa: S301 - written below, by us
                return result, computed_at
        except (redis.RedisError, OSError) as error:
            log.info("indicator cache unreachable (%s): computing", error)
            connection = None
        except (pickle.UnpicklingError, AttributeError, TypeError, ValueError, EOFError,
                ImportError) as error:  # kept by an older release of the code: compute anew
            log.info("indicator cache entry unreadable (%s): computing", error)
    return _compute(connection, key, selection, locale)


def _compute(connection: redis.Redis | None, key: str, selection: Selection,
             locale: str) -> tuple[list[Table], datetime]:
    computed_at = datetime.now(UTC)
    result = build_tables(selection, locale, prefetch.gather(selection.scope))
    if connection is not None:
        import redis  # loaded by _connection

        try:
            connection.set(key, pickle.dumps((computed_at, result)),
                           ex=int(current_app.config.get("INDICATORS_CACHE_SECONDS", 300)))
        except (redis.RedisError, OSError) as error:
            log.info("indicator cache unreachable (%s): not kept", error)
    return result, computed_at


def warm(today: date) -> int:
    """Compute the figures people open first (the whole city's current and previous half
    year, for the council monitor, and year, for the annual report; in every language) when
    they are not kept or about to expire, so those pages are fast also for their first
    reader. Called by the tick (every minute); returns how many selections it computed."""
    connection = _connection()
    if connection is None:
        return 0
    import redis  # loaded by _connection

    seconds = int(current_app.config.get("INDICATORS_CACHE_SECONDS", 300))
    half_year = periods.fixed(periods.PeriodKind.HALF_YEAR, today)
    year = periods.fixed(periods.PeriodKind.YEAR, today)
    computed = 0
    try:
        for period in (half_year, half_year.previous(), year, year.previous()):
            for locale in current_app.config.get("LANGUAGES", ("nl", "en")):
                selection = Selection(period, None)
                key = _key(selection, locale)
                left = int(connection.ttl(key))  # negative: not kept
                if left > 0 and seconds - left < WARM_AGAIN_AFTER:
                    continue  # kept and fresh enough
                with force_locale(locale):
                    _compute(connection, key, selection, locale)
                computed += 1
    except (redis.RedisError, OSError) as error:
        log.info("indicator cache unreachable (%s): not warmed", error)
    return computed

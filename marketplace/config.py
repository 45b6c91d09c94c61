"""Configuration. The only module that reads ``os.environ``.

``HULPPUNT_ENV`` picks the profile: ``development`` (default for ``make run``), ``testing``
or ``production``. Outside development and testing a ``SECRET_KEY`` is required.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: One tokens file per theme: static/themes/<THEME>.css (see docs/architecture.md, "Look").
THEMES_DIR = PROJECT_ROOT / "static" / "themes"
#: Seconds a call to Redis (rate limits, the health check) may wait before Redis counts as down.
REDIS_TIMEOUT = 0.5


class ConfigError(RuntimeError):
    """Raised when the environment does not allow the app to start safely."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _database_url(env: str) -> str:
    if env == "testing":
        return os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; we use psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{PROJECT_ROOT / 'instance' / 'hulppunt.sqlite3'}"


def available_themes() -> list[str]:
    """The names of the themes in static/themes/, sorted."""
    return sorted(path.stem for path in THEMES_DIR.glob("*.css"))


def theme_colour(name: str) -> str:
    """The browser toolbar colour of a theme (``--hulppunt-browser-theme-color``).

    Raises ``ConfigError`` unless ``name`` is a theme in static/themes/.
    """
    themes = available_themes()
    if name not in themes:
        raise ConfigError(
            f"HULPPUNT_THEME={name!r} is not a theme. Choose one of: {', '.join(themes)} "
            f"(a theme is a tokens file in {THEMES_DIR.relative_to(PROJECT_ROOT)}/)."
        )
    tokens = (THEMES_DIR / f"{name}.css").read_text(encoding="utf-8")
    found = re.search(r"--hulppunt-browser-theme-color:\s*(#[0-9a-fA-F]{3,8})\s*;", tokens)
    return found.group(1) if found else "#ffffff"


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the Flask configuration for the current environment.

    Raises ``ConfigError`` when ``SECRET_KEY`` is missing outside development and testing,
    in production when ``REDIS_URL`` is set without ``SITE_URL`` (workers need it), and when
    ``HULPPUNT_THEME`` names no file in static/themes/.
    """
    env = (overrides or {}).get("HULPPUNT_ENV") or os.environ.get("HULPPUNT_ENV", "production")
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        if env == "production":
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value before starting Hulppunt "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        secret = f"insecure-{env}-key-do-not-use-in-production"
    production = env == "production"
    config: dict[str, Any] = {
        "HULPPUNT_ENV": env,
        "TESTING": env == "testing",
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": _database_url(env),
        # No pool_pre_ping: extensions.ping_idle_connections checks a connection only when
        # it has been idle this many seconds (not before every transaction).
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "DATABASE_PING_AFTER": float(os.environ.get("DATABASE_PING_AFTER", "1.0")),
        "WTF_CSRF_ENABLED": _bool(os.environ.get("WTF_CSRF_ENABLED"), default=True),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), production),
        # "Stay logged in" lasts a month, not Flask-Login's default year.
        "REMEMBER_COOKIE_DURATION": timedelta(days=_int("REMEMBER_COOKIE_DAYS", 30)),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "LANGUAGES": {"nl": "Nederlands", "en": "English"},
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(os.environ.get("MAIL_USE_SSL")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Hulppunt <noreply@hulppunt.nl>"
        ),
        # In development, mail that cannot be delivered is logged instead of failing the request.
        "MAIL_SUPPRESS_ERRORS": _bool(os.environ.get("MAIL_SUPPRESS_ERRORS"), not production),
        "MAIL_ENABLED": _bool(os.environ.get("MAIL_ENABLED"), env != "testing"),
        "PASSWORD_RESET_MAX_AGE": _int("PASSWORD_RESET_MAX_AGE", 3600),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # The neighbourhood map's boundaries (GeoJSON with CBS ``statcode``); unset: Hilversum.
        "INDICATOR_MAP_GEOJSON": os.environ.get("INDICATOR_MAP_GEOJSON") or None,
        # How long the indicator tables of one selection are kept in Redis (0: not kept);
        # the tests compute every time unless a test asks for the cache.
        "INDICATORS_CACHE_SECONDS": _int("INDICATORS_CACHE_SECONDS",
                                         0 if env == "testing" else 300),
        # How many of the indicators' heaviest statements run at once on PostgreSQL (each
        # in its own connection; 1: one after the other).
        "INDICATORS_PARALLEL_QUERIES": _int("INDICATORS_PARALLEL_QUERIES", 2),
        "RATELIMIT_ENABLED": _bool(os.environ.get("RATELIMIT_ENABLED"), True),
        # Count limits in this process's memory while the shared storage (Redis) is away,
        # instead of answering 500; Flask-Limiter returns to Redis once it answers again.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto: with
        # 0 every visitor would have the proxy's address (one rate limit for the whole city).
        "TRUSTED_PROXY_COUNT": _int("TRUSTED_PROXY_COUNT", 0),
        "RETENTION_DAYS": _int("RETENTION_DAYS", 365),
        # The public address, for links in e-mail; unset: the address a request came in on.
        # Required where RQ workers send mail (they have no request to learn it from).
        "SITE_URL": os.environ.get("SITE_URL") or None,
        # The meldpunt's phone number, shown to residents who would rather call.
        "MELDPUNT_PHONE": os.environ.get("MELDPUNT_PHONE", "035 123 45 67"),
        # The municipality the meldpunt serves, named to residents whose postcode lies
        # outside every neighbourhood (the area itself is the admin's neighbourhoods).
        "MUNICIPALITY": os.environ.get("MUNICIPALITY", "Hilversum"),
        # Time-driven notifications (marketplace/notifications/schedule.py): a proposal the
        # volunteer leaves unanswered this long expires; then the engine proposes the next
        # suitable volunteer at once, unless PROPOSAL_EXPIRY_RESOLVE is off (the coordinator
        # prefers to decide: the request just returns to the queue).
        "PROPOSAL_EXPIRES_AFTER_HOURS": _int("PROPOSAL_EXPIRES_AFTER_HOURS", 48),
        "PROPOSAL_EXPIRY_RESOLVE": _bool(os.environ.get("PROPOSAL_EXPIRY_RESOLVE"), True),
        # Aftercare (marketplace/aftercare/rules.py): a task when one-off help is not confirmed
        # this many days after its date, or recurring help has had no visit for these weeks.
        "AFTERCARE_UNCONFIRMED_DAYS": _int("AFTERCARE_UNCONFIRMED_DAYS", 7),
        "AFTERCARE_RECURRING_IDLE_WEEKS": _int("AFTERCARE_RECURRING_IDLE_WEEKS", 3),
        # A request routed to a partner organisation returns to the meldpunt by itself when
        # the organisation has not answered in this many hours (unless it has its own time).
        "ORGANISATION_ANSWER_HOURS": _int("ORGANISATION_ANSWER_HOURS", 72),
        # The weekly digest goes out on this day (mon..sun) from this time, Amsterdam time.
        "DIGEST_WEEKDAY": os.environ.get("DIGEST_WEEKDAY", "mon"),
        "DIGEST_TIME": os.environ.get("DIGEST_TIME", "09:00"),
        # Without RQ (make run): check after requests, at most once a minute, whether
        # time-driven work is due. With REDIS_URL, RQ's cron runs it (flask notifications cron).
        "NOTIFICATIONS_TICK_ON_REQUESTS": _bool(
            os.environ.get("NOTIFICATIONS_TICK_ON_REQUESTS"),
            env != "testing" and not os.environ.get("REDIS_URL"),
        ),
        # Sociale kaart: an entry its owner has not checked for this many days is flagged.
        "SOCIAL_MAP_STALE_DAYS": _int("SOCIAL_MAP_STALE_DAYS", 180),
        # Suggested corrections on the sociale kaart (no login) per visitor (Flask-Limiter).
        "SOCIAL_MAP_SUGGESTION_LIMIT": os.environ.get(
            "SOCIAL_MAP_SUGGESTION_LIMIT", "5 per hour"
        ),
        # The look: the design tokens file static/themes/<THEME>.css (NL Design System).
        "THEME": os.environ.get("HULPPUNT_THEME") or "hulppunt",
    }
    if overrides:
        config.update(overrides)
    config.setdefault("RATELIMIT_STORAGE_URI", config["REDIS_URL"] or "memory://")
    if config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        # A Redis that does not answer costs a request at most this long before the limits
        # move to memory (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED).
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT,
        })
    config["THEME_COLOR"] = theme_colour(config["THEME"])
    if env == "production" and config["REDIS_URL"] and not config["SITE_URL"]:
        raise ConfigError(
            "SITE_URL is not set. Background workers send e-mail with links and cannot see "
            "the public address: set SITE_URL, for example https://hulppunt.gemeente.nl."
        )
    return config

"""Security headers on every response, and safe answers when the database is away.

* Every response carries a Content-Security-Policy without inline script, nosniff, a
  same-origin referrer policy and ``frame-ancestors 'none'``.
* Session cookie flags (HttpOnly, SameSite=Lax, Secure in production) come from
  ``config.py``; :func:`check_cookie_config` refuses to start a production app without them.
* A database that cannot be reached gives a friendly 503 page (never a stack trace); the
  pool's ``pre_ping`` reconnects by itself once the database is back.
* Query and form values with a NUL byte are refused (400).
* An optimistic-locking conflict (``StaleDataError``) gives a clear 409 page.
* Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, werkzeug's ``ProxyFix`` takes the client's
  address and scheme from ``X-Forwarded-For``/``-Proto``, so rate limits count per visitor,
  not per proxy. Headers from anyone else are ignored (the count says how many to trust).
* A rate limit that brings its own answer (the login form's "wait a while" message) shows
  it; every other limit shows the friendly 429 page.
"""

from __future__ import annotations

import logging
from typing import cast

from flask import Flask, Response, abort, request
from flask_limiter import RateLimitExceeded
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.middleware.proxy_fix import ProxyFix

from marketplace.extensions import db

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)

# Last resort when even the error template cannot be rendered (it needs the database to
# load the current user): plain HTML, no detail.
FALLBACK_503 = (
    "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
    "<title>Tijdelijk niet beschikbaar · Hulppunt</title></head><body><main>"
    "<h1>Tijdelijk niet beschikbaar</h1>"
    "<p>Hulppunt is even niet bereikbaar. Probeer het over een paar minuten opnieuw.</p>"
    "</main></body></html>"
)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    return response


def check_cookie_config(app: Flask) -> None:
    """Raise ``RuntimeError`` when a production app would send unsafe session cookies."""
    if app.config.get("HULPPUNT_ENV") != "production":
        return
    wanted = {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
    }
    for key, value in wanted.items():
        if app.config.get(key) != value:
            raise RuntimeError(f"{key} must be {value!r} in production")


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; nothing more to undo
        log.debug("rollback after a database error failed", exc_info=True)


def _database_unavailable(error: Exception) -> tuple[str | Response, int]:
    """503 for a database that cannot be reached; logged, never shown to the user."""
    log.warning("database unavailable: %s", type(error).__name__)
    _rollback_quietly()
    from marketplace.errors import render_error

    try:
        response, code = render_error(503)
    except Exception:  # noqa: BLE001 - the error page itself needs the database
        _rollback_quietly()
        return FALLBACK_503, 503
    return response, code  # type: ignore[return-value]


def _stale_data(error: Exception) -> tuple[str | Response, int]:
    """Somebody else saved the same row first: the user reloads and tries again."""
    _rollback_quietly()
    from marketplace.errors import render_error

    return render_error(409)  # type: ignore[return-value]


def refuse_nul_bytes() -> None:
    """400 for a query or form value with a NUL byte: no person types one, and PostgreSQL
    cannot store one (it would otherwise surface as a server error)."""
    for values in (request.args, request.form):
        for key, items in values.lists():
            if "\x00" in key or any("\x00" in item for item in items):
                abort(400)


def _database_error(error: Exception) -> tuple[str | Response, int]:
    """Any other database error: roll back first, so the error page itself can use the
    session (otherwise rendering it fails again and the server answers with a bare 500)."""
    log.error("database error", exc_info=error)
    _rollback_quietly()
    from marketplace.errors import render_error

    try:
        response, code = render_error(500)
    except Exception:  # noqa: BLE001 - last resort, still without any detail
        _rollback_quietly()
        return FALLBACK_503.replace("Tijdelijk niet beschikbaar", "Er ging iets mis"), 500
    return response, code  # type: ignore[return-value]


def trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme from the headers of ``TRUSTED_PROXY_COUNT``
    proxies (0: none; the direct peer is the client)."""
    count = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count
        )


def _rate_limited(error: RateLimitExceeded) -> tuple[str | Response, int]:
    """The page a limit's ``on_breach`` made, else the friendly 429 page."""
    if error.response is not None:
        return cast(Response, error.response), 429
    from marketplace.errors import render_error

    return render_error(429)  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    check_cookie_config(app)
    trust_proxies(app)
    app.register_error_handler(RateLimitExceeded, _rate_limited)
    app.before_request(refuse_nul_bytes)
    app.after_request(set_security_headers)
    for error_class in (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError):
        app.register_error_handler(error_class, _database_unavailable)
    app.register_error_handler(StaleDataError, _stale_data)
    app.register_error_handler(sa_exc.SQLAlchemyError, _database_error)

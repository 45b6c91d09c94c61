"""Public pages: home, privacy statement, help in an emergency, language switch, health."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import text

from marketplace.config import REDIS_TIMEOUT
from marketplace.extensions import db
from marketplace.pages import statement
from marketplace.redirects import safe_next_url
from marketplace.transaction import commit

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
def home():  # type: ignore[no-untyped-def]
    return render_template("pages/home.html")


@blueprint.get("/privacy")
def privacy():  # type: ignore[no-untyped-def]
    return render_template("pages/privacy.html")


@blueprint.get("/hulp-bij-nood")
def emergency():  # type: ignore[no-untyped-def]
    return render_template("pages/emergency.html")


@blueprint.get("/toegankelijkheid")
def accessibility():  # type: ignore[no-untyped-def]
    """The accessibility statement; its figures are checked by the test suite."""
    return render_template(
        "pages/accessibility.html",
        statement=statement.load(),
        municipality=current_app.config["MUNICIPALITY"],
        website=current_app.config["SITE_URL"] or request.host_url.rstrip("/"),
    )


@blueprint.post("/taal")
def set_language():  # type: ignore[no-untyped-def]
    """Switch the interface language; remembered in the session and on the account."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            commit()
    return redirect(safe_next_url(request.form.get("next")))


def _redis_state() -> str | None:
    """``"ok"`` or ``"down"`` for the configured Redis (waits at most ``REDIS_TIMEOUT``
    seconds); None when ``REDIS_URL`` is not set."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    # Imported here: redis costs every process start-up about 90 ms, for this one check.
    import redis

    connection = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
    )
    try:
        connection.ping()
    except (redis.RedisError, OSError):
        return "down"
    finally:
        connection.close()
    return "ok"


@blueprint.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """For the load balancer: 503 only when the database is down (nothing works then).

    A Redis that does not answer leaves the site working (rate limits count in memory,
    rounds wait in the outbox), so it answers 200 with ``"status": "degraded"``. Without
    ``REDIS_URL`` the answer has no ``redis`` entry.
    """
    redis_state = _redis_state()
    state = {} if redis_state is None else {"redis": redis_state}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable", **state), 503
    status = "degraded" if redis_state == "down" else "ok"
    return jsonify(status=status, database="ok", **state)

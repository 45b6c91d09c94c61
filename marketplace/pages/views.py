"""Public pages: home, privacy statement, help in an emergency, language switch, health."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import text

from marketplace.extensions import db
from marketplace.redirects import safe_next_url

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
    return render_template("pages/accessibility.html")


@blueprint.post("/taal")
def set_language():  # type: ignore[no-untyped-def]
    """Switch the interface language; remembered in the session and on the account."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next_url(request.form.get("next")))


@blueprint.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")

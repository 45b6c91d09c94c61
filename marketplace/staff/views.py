"""Views of the staff feature."""

from __future__ import annotations

from flask import Blueprint, abort

blueprint = Blueprint("staff", __name__, url_prefix="/staff")


@blueprint.get("/")
def dashboard():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands

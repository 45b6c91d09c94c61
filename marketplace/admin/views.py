"""Views of the admin feature."""

from __future__ import annotations

from flask import Blueprint, abort

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.get("/")
def index():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands

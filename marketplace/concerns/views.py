"""Views of the concerns feature."""

from __future__ import annotations

from flask import Blueprint, abort

blueprint = Blueprint("concerns", __name__, url_prefix="/concerns")


@blueprint.get("/new")
def new_concern():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands

"""Views of the matches feature."""

from __future__ import annotations

from flask import Blueprint, abort

blueprint = Blueprint("matches", __name__, url_prefix="/matches")


@blueprint.get("/mine")
def my_matches():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands

"""Views of the account feature."""

from __future__ import annotations

from flask import Blueprint, abort

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.get("/")
def overview():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands

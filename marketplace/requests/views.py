"""Views of the requests feature."""

from __future__ import annotations

from flask import Blueprint, abort

blueprint = Blueprint("requests", __name__, url_prefix="/requests")


@blueprint.get("/")
def list_requests():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands


@blueprint.get("/new")
def new_request():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands

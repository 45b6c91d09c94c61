"""Views of the referrals feature."""

from __future__ import annotations

from flask import Blueprint, abort

blueprint = Blueprint("referrals", __name__, url_prefix="/referrals")


@blueprint.get("/")
def list_referrals():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands

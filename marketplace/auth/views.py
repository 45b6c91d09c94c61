"""Views of the auth feature."""

from __future__ import annotations

from flask import Blueprint, abort

blueprint = Blueprint("auth", __name__, url_prefix="/auth")


@blueprint.get("/login")
def login():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands


@blueprint.get("/register")
def register():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands


@blueprint.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    abort(404)  # placeholder until the feature lands

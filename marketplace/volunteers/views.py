"""Views of the volunteers feature."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("volunteers", __name__, url_prefix="/volunteers")

"""Views of the privacy feature."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("privacy", __name__, url_prefix="/privacy")

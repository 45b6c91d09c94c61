"""The ``socialmap`` blueprint: the public pages (``views``) and the maintainers' (``manage``)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("socialmap", __name__, url_prefix="/sociale-kaart")

"""Starting and ending a login in this browser (the session and the remember-me cookie)."""

from __future__ import annotations

from flask import session
from flask_login import login_user

from marketplace.models import User


def _clear_session_keeping_language() -> None:
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def start_session(user: User, remember: bool = False) -> None:
    """Log ``user`` in with a fresh session (keeping only the chosen language)."""
    _clear_session_keeping_language()
    login_user(user, remember=remember)

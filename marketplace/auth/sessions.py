"""Starting and ending a login in this browser (the session and the remember-me cookie)."""

from __future__ import annotations

from flask import session
from flask_login import login_user, logout_user

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


def end_session() -> None:
    """Log out in this browser: an empty session (but the language) and no remember cookie.

    ``logout_user`` runs after the clear: it leaves Flask-Login the instruction to delete the
    remember-me cookie in the session, and clearing the session afterwards would drop it
    (the cookie then logged the browser straight back in).
    """
    _clear_session_keeping_language()
    logout_user()

"""Languages: Dutch by default, English second; the user's choice is remembered."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_request_context, session
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import params
from marketplace.extensions import babel

# Shown when an anonymous visitor opens a page that needs an account (Flask-Login).
LOGIN_MESSAGE = _l("Log eerst in om deze pagina te zien.")


def select_locale() -> str:
    """Order: explicit choice in the session, the account's setting, then Dutch.

    The browser's Accept-Language is deliberately not used: Dutch is the product's language
    and English is a choice the user makes with the switch in the header.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return str(current_user.locale)
    override = params.choice_arg("lang", languages, message=None)
    if override:
        return override
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def gettext_str(message: str, **variables: Any) -> str:
    return str(gettext(message, **variables))


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories="translations",
    )

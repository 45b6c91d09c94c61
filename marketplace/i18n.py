"""Languages: Dutch by default, English second; the user's choice is remembered.

Dates and times are written in the active language, in Europe/Amsterdam time, by
:func:`format_day`, :func:`format_clock` and :func:`format_moment` (the template filters
``nl_date``, ``nl_datetime`` and ``moment`` use them). English pages write them the British
way ("30 Nov 2026", "14:05"), not the American one that CLDR's plain "en" gives.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from babel import Locale, dates
from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale, get_timezone, gettext, to_user_timezone
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


#: The locale whose date and time formats a language uses, where that is not the language
#: itself: English pages follow British usage (day before month, a 24-hour clock).
DATE_LOCALES = {"en": "en_GB"}
_Style = Literal["short", "medium", "long", "full"]
_STYLES: dict[str, _Style] = {"short": "short", "medium": "medium", "long": "long",
                              "full": "full"}


def date_locale() -> Locale:
    """The locale to format dates and times with, for the active language."""
    language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return Locale.parse(DATE_LOCALES.get(language, language))


def format_day(value: date, fmt: str = "medium") -> str:
    """A date in the active language ("30 nov 2026", "30 Nov 2026"); a datetime counts as
    its date in Europe/Amsterdam. ``fmt`` is short, medium, long, full or a CLDR pattern."""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return dates.format_date(value, fmt, locale=date_locale())


def format_clock(value: datetime, fmt: str = "HH:mm") -> str:
    """The time of ``value`` in Europe/Amsterdam, "14:05" (naive datetimes count as UTC)."""
    return dates.format_time(value, fmt, tzinfo=get_timezone(), locale=date_locale())


def format_moment(value: datetime, fmt: str = "medium") -> str:
    """Date and time in the active language, "30 nov 2026, 14:05" / "30/11/2026, 14:05"
    for ``short``: the date in ``fmt``, the time to the minute (seconds tell people nothing)."""
    locale = date_locale()
    style = _STYLES.get(fmt)
    if style is None:  # a CLDR pattern of its own
        return dates.format_datetime(value, fmt, tzinfo=get_timezone(), locale=locale)
    pattern = str(dates.get_datetime_format(style, locale=locale)).replace("'", "")
    return pattern.replace("{0}", format_clock(value)).replace("{1}", format_day(value, fmt))


def gettext_str(message: str, **variables: Any) -> str:
    return str(gettext(message, **variables))


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories="translations",
    )

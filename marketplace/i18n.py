"""Languages: Dutch by default, English second; the user's choice is remembered.

Dates and times are written in the active language, in Europe/Amsterdam time, by
:func:`format_day`, :func:`format_clock` and :func:`format_moment` (the template filters
``nl_date``, ``nl_datetime`` and ``moment`` use them). English pages write them the British
way ("30 Nov 2026", "14:05"), not the American one that CLDR's plain "en" gives.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import cache, lru_cache
from typing import Any, Literal, NamedTuple

from babel import Locale, dates, support
from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_locale, get_timezone, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from marketplace import params
from marketplace.extensions import babel


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


class Active(NamedTuple):
    """The active language as a page uses it, looked up once (see :func:`active`)."""

    locale: Locale  # Flask-Babel's, the object this record belongs to
    language: str  # "nl", "en"
    catalogue: support.NullTranslations
    date_locale: Locale
    timezone: tzinfo  # Europe/Amsterdam (pytz); UTC outside an app context


_ACTIVE = "hulppunt_active"  # the record's name in Flask-Babel's per-context namespace


def active() -> Active:
    """The active language, its catalogue and its date locale.

    Flask-Babel finds the catalogue anew for every string (each time through the app context,
    the domain and the locale), and ``Locale.parse`` reads a locale anew for every date: about
    a fifth of a page's time. This record is kept next to Flask-Babel's cached locale and
    trusted only while that locale is the same object, so ``refresh()`` and
    ``force_locale()``, which replace or remove it, take effect at once.
    """
    try:
        state = vars(g._flask_babel)
    except (AttributeError, RuntimeError):  # Babel not asked yet here, or no app context
        state = None
    if state is not None:
        record = state.get(_ACTIVE)
        if record is not None and record.locale is state.get("babel_locale"):
            return record  # type: ignore[no-any-return]
    locale = get_locale()
    if locale is None:  # no app context: the strings as written, as Flask-Babel gives them
        return _without_app()
    language = str(locale)
    record = Active(locale, language, get_translations(),
                    Locale.parse(DATE_LOCALES.get(language, language)), get_timezone())
    vars(g._flask_babel)[_ACTIVE] = record
    return record


@cache
def _without_app() -> Active:
    return Active(Locale.parse("nl"), "nl", support.NullTranslations(), Locale.parse("nl"),
                  UTC)


def gettext(message: str, **variables: Any) -> str:
    """Flask-Babel's ``gettext`` through the request's catalogue (:func:`active`)."""
    text = active().catalogue.ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's ``ngettext`` through the request's catalogue (:func:`active`)."""
    variables.setdefault("num", num)
    return active().catalogue.ungettext(singular, plural, num) % variables


def lazy_gettext(message: str, **variables: Any) -> LazyString:
    """Flask-Babel's ``lazy_gettext``, translated through :func:`gettext` when used."""
    return LazyString(gettext, message, **variables)


# Shown when an anonymous visitor opens a page that needs an account (Flask-Login).
LOGIN_MESSAGE = lazy_gettext("Log eerst in om deze pagina te zien.")


def current_language() -> str:
    """The active language's code, "nl" or "en"."""
    return active().language


def date_locale() -> Locale:
    """The locale to format dates and times with, for the active language."""
    return active().date_locale


def format_day(value: date, fmt: str = "medium") -> str:
    """A date in the active language ("30 nov 2026", "30 Nov 2026"); a datetime counts as
    its date in Europe/Amsterdam. ``fmt`` is short, medium, long, full or a CLDR pattern."""
    language = active()
    if isinstance(value, datetime):
        value = _local(value, language.timezone).date()
    return _formatted_day(value, fmt, language.date_locale)


def _local(value: datetime, zone: tzinfo) -> datetime:
    """Flask-Babel's ``to_user_timezone`` with the request's zone: naive counts as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    normalize = getattr(zone, "normalize", None)  # pytz's
    local = value.astimezone(zone)
    return normalize(local) if normalize else local  # type: ignore[no-any-return]


@lru_cache(maxsize=4096)
def _formatted_day(day: date, fmt: str, locale: Locale) -> str:
    """Babel's ``format_date``, kept: a page writes the same few dates over and over, and
    formatting one costs more than the rest of its card (a date and a language give one
    text)."""
    return dates.format_date(day, fmt, locale=locale)


def format_clock(value: datetime, fmt: str = "HH:mm") -> str:
    """The time of ``value`` in Europe/Amsterdam, "14:05" (naive datetimes count as UTC)."""
    language = active()
    return dates.format_time(value, fmt, tzinfo=language.timezone, locale=language.date_locale)


def format_moment(value: datetime, fmt: str = "medium") -> str:
    """Date and time in the active language, "30 nov 2026, 14:05" / "30/11/2026, 14:05"
    for ``short``: the date in ``fmt``, the time to the minute (seconds tell people nothing)."""
    locale = date_locale()
    style = _STYLES.get(fmt)
    if style is None:  # a CLDR pattern of its own
        return dates.format_datetime(value, fmt, tzinfo=active().timezone, locale=locale)
    pattern = str(dates.get_datetime_format(style, locale=locale)).replace("'", "")
    return pattern.replace("{0}", format_clock(value)).replace("{1}", format_day(value, fmt))


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories="translations",
    )
    # Flask-Babel's template callables, through the request's catalogue (same strings).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: active().catalogue.ugettext(s),
        ngettext=lambda s, p, n: active().catalogue.ungettext(s, p, n),
        pgettext=lambda c, s: active().catalogue.upgettext(c, s),
        npgettext=lambda c, s, p, n: active().catalogue.unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["gettext"] = app.jinja_env.globals["_"] = template_gettext


@pass_context
def template_gettext(context: Context, message: str, **variables: Any) -> str:
    """Templates' ``_()`` and ``gettext()``: Jinja's "new style" gettext (the translation
    is markup-safe and always a format string, ``%%`` gives ``%``) in one call instead of
    three, and without formatting a text that has nothing to format. Pages call it 50 to
    250 times; Jinja's own costs about 5 microseconds a call."""
    text: str = active().catalogue.ugettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - our own catalogue, as Jinja's gettext trusts it
    return text % variables if variables or "%" in text else text

"""Helpers available in every template: labels, dates, the active language.

Labels come from :mod:`marketplace.vocabulary`: ``{{ status | label }}`` for any of its
enums, ``slot_label`` and ``language_label`` for stored codes.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, KeysView, MutableMapping
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from babel import Locale, numbers
from flask import Flask, current_app, has_request_context, request, url_for
from flask.templating import Environment as FlaskEnvironment

from marketplace.i18n import active, current_language, format_clock, format_day, format_moment
from marketplace.i18n import gettext as _
from marketplace.models import Category
from marketplace.phones import display_phone, tel_href
from marketplace.vocabulary import (
    DAY_LABELS,
    PART_LABELS,
    PARTS,
    RequestSource,
    RequestStatus,
    label,
    language_label,
    slot_label,
    urgency_label,
)


def current_locale() -> str:
    return current_language()


def category_name(category: Category | None) -> str:
    return category.name(current_locale()) if category is not None else ""


def nl_date(value: date | None, fmt: str = "medium") -> str:
    """A date in the active language: "30 nov 2026" in Dutch, "30 Nov 2026" in English
    (:func:`marketplace.i18n.format_day`); "" for none. The name predates English pages."""
    return format_day(value, fmt) if value is not None else ""


def nl_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """A date and time in the active language and Amsterdam time, "30 Nov 2026, 14:05"."""
    return format_moment(value, fmt) if value is not None else ""


def datetime_attribute(value: datetime | date | None) -> str:
    """The machine-readable value of ``<time datetime="...">``: ISO 8601 to the second,
    "2026-11-30T13:05:00+00:00" (HTML allows at most three decimals, ``isoformat()`` gives
    six); a naive datetime is UTC, as the database stores it; a date stays a date."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="seconds")


def moment(value: datetime | None) -> str:
    """A date and time in words, e.g. "24 november 2026 om 14:30" (Europe/Amsterdam)."""
    if value is None:
        return ""
    return _("%(date)s om %(time)s", date=format_day(value, "long"), time=format_clock(value))


def percent(value: float | None) -> str:
    """A percentage in the active language with up to 3 decimals, e.g. "0,041%"."""
    return "" if value is None else _decimal(value, "#,##0.###") + "%"


def number(value: float | None) -> str:
    """A number in the active language, e.g. "1,5" in Dutch."""
    return "" if value is None else _decimal(value, "#,##0.##")


def decimal1(value: float | None) -> str:
    """A number with one decimal in the active language, e.g. "2,5" (distances in km)."""
    return "" if value is None else _decimal(value, "#,##0.0")


def decimal2(value: float | None) -> str:
    """A number with two decimals in the active language, e.g. "3,50" (cost points)."""
    return "" if value is None else _decimal(value, "#,##0.00")


def _decimal(value: float, pattern: str) -> str:
    """Flask-Babel's ``format_decimal`` (the active language's separators)."""
    return _formatted_decimal(value, pattern, active().locale)


@lru_cache(maxsize=4096)
def _formatted_decimal(value: float, pattern: str, locale: Locale) -> str:
    """Babel's ``format_decimal``, kept: cards repeat the same few distances (rounded to
    half a kilometre), and each formatting parses the pattern and the locale's symbols."""
    return numbers.format_decimal(value, pattern, locale=locale)


def source_label(source: RequestSource | str) -> str:
    """The label of a request's source, given as the enum or its stored code."""
    return RequestSource(source).label


def status_label(status: RequestStatus | str) -> str:
    """The label of a request's status, given as the enum or its stored code."""
    return RequestStatus(status).label


def _context() -> dict[str, Any]:
    return {
        "languages": current_app.config["LANGUAGES"],
        "meldpunt_phone": current_app.config["MELDPUNT_PHONE"],
        "current_locale": current_locale(),
        "category_name": category_name,
        "slot_label": slot_label,
        "status_label": status_label,
        "language_label": language_label,
        "day_labels": DAY_LABELS,
        "part_labels": PART_LABELS,
        "parts": PARTS,
    }


class _Globals(ChainMap[str, Any]):
    """Jinja's globals of a template (its own, then the environment's), whose ``keys()`` is a
    dict's: comparing it with a set runs in C, not in Python per global."""

    def keys(self) -> KeysView[str]:
        merged: dict[str, Any] = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, with :class:`_Globals`.

    Each ``{% from ... import %}`` asks which of the page's globals the imported template
    lacks, ``page_globals - template.globals.keys()``. On Jinja's ChainMap that difference
    runs in Python over all 34 globals, and it runs often: a page's top-level imports run
    again in each of its blocks, and a card's in each card (about 13 imports a page, 4 % of
    its instructions).
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> ChainMap[str, Any]:
        return _Globals({} if d is None else d, self.globals)


def fixed_addresses_once(app: Flask) -> Callable[..., str]:
    """Flask's ``url_for`` for ``app``'s templates. A page without parameters and a static file
    have the same address on every request of an app without URL defaults, so it is built
    once per script root: a page asks 15 to 20 of them (the menu, the footer, the style
    sheets). The app is held here, not looked up through ``current_app`` on every call."""
    addresses: dict[tuple[str, str, str | None], str] = {}

    def template_url_for(endpoint: str, **values: Any) -> str:
        filename = values.get("filename") if endpoint == "static" else None
        if ((values and (filename is None or len(values) > 1)) or endpoint.startswith(".")
                or app.url_default_functions  # defaults could add parameters
                or not has_request_context()):  # parameters, a blueprint's own name, a mail
            return url_for(endpoint, **values)
        key = (request.script_root, endpoint, filename)
        address = addresses.get(key)
        if address is None:
            address = addresses[key] = url_for(endpoint, **values)
        return address

    return template_url_for


def prepare_environment(app: Flask) -> None:
    """Before anything reads ``app.jinja_env``: :class:`Environment`, and every compiled
    template kept (Jinja's default keeps 400 in an LRU list, reordered on every lookup of a
    page, include or import; Hulppunt has fewer templates than that)."""
    app.jinja_environment = Environment
    app.jinja_options = {**app.jinja_options, "cache_size": -1}


def compile_all(app: Flask) -> int:
    """Compile every page and mail template into the Jinja cache; returns how many.

    Raises ``jinja2.TemplateSyntaxError`` for a broken template.
    """
    names = [name for name in app.jinja_env.list_templates() if name.endswith((".html", ".txt"))]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["url_for"] = fixed_addresses_once(app)
    app.context_processor(_context)
    app.add_template_filter(nl_date, "nl_date")
    app.add_template_filter(nl_datetime, "nl_datetime")
    app.add_template_filter(slot_label, "slot_label")
    app.add_template_filter(status_label, "status_label")
    app.add_template_filter(label, "label")
    app.add_template_filter(urgency_label, "urgency_label")
    app.add_template_filter(moment, "moment")
    app.add_template_filter(datetime_attribute, "datetime_attribute")
    app.add_template_filter(source_label, "source_label")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(number, "number")
    app.add_template_filter(decimal1, "decimal1")
    app.add_template_filter(decimal2, "decimal2")
    app.add_template_filter(display_phone, "phone")
    app.add_template_filter(tel_href, "tel_href")

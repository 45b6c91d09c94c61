"""Query parameters, read in one place: plain numbers in range and known choices only.

Every view reads ``request.args`` through these functions. A value that does not fit (``²``,
``٣``, ``-1``, twenty digits, a status that does not exist) never reaches ``int()`` or the
database: the view gets "no filter" and the page says so in one short message. An old
bookmark or a hand-edited address still opens the page; it never answers 404 or 500.

An absent parameter and an empty one (what a form sends for "all") are the same: the default,
without a message.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

#: The largest id a row can have (PostgreSQL ``integer``, as every primary key here).
MAX_DATABASE_ID = 2**31 - 1
#: Page numbers stop here (50 rows a page: far more rows than Hulppunt will hold).
MAX_PAGE = 100_000
#: The value of an id filter that means "every one" (as an empty value does).
ALL = "all"

FILTER_IGNORED = _l("Dit filter klopt niet; we tonen alles.")
PAGE_IGNORED = _l("Dit paginanummer klopt niet; we tonen de eerste pagina.")

_ASCII_NUMBER = re.compile(r"[0-9]{1,20}")
_ISO_DATE = re.compile(r"2[01][0-9]{2}-[0-9]{2}-[0-9]{2}")


def parse_int(raw: str, low: int, high: int) -> int | None:
    """``raw`` as a number when it is plain ASCII digits with a value in ``low..high``;
    ``None`` for anything else (signs, spaces, other scripts' digits, too many digits).
    Needs ``0 <= low``."""
    if not _ASCII_NUMBER.fullmatch(raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None


def int_arg(
    name: str, default: int | None = None, *, low: int = 1, high: int = MAX_DATABASE_ID,
    message: LazyString | None = FILTER_IGNORED,
) -> int | None:
    """``?name=`` as a number in ``low..high``. Absent or empty: ``default``. Anything
    else: ``default`` too, and ``message`` is shown (``None``: no message)."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    number = parse_int(raw, low, high)
    if number is None:
        _tell(message)
        return default
    return number


def page_arg(name: str = "page") -> int:
    """``?page=``: a page number from 1 (a number past the last page is the caller's to
    handle); anything that is not a page number is the first page, with a message."""
    return int_arg(name, 1, low=1, high=MAX_PAGE, message=PAGE_IGNORED) or 1


def id_arg(name: str, allowed: Collection[int], default: int | None = None) -> int | None:
    """An id filter such as ``?wijk=3``: one of ``allowed``. Absent: ``default``; empty or
    ``all``: ``None`` (no filter); anything else: ``None`` with :data:`FILTER_IGNORED`."""
    if name not in request.args:
        return default
    if request.args[name] in ("", ALL):
        return None
    number = int_arg(name)
    if number is not None and number not in allowed:
        _tell(FILTER_IGNORED)
        return None
    return number


def choice_arg(
    name: str, choices: Collection[str], default: str | None = None, *,
    message: LazyString | None = FILTER_IGNORED,
) -> str | None:
    """``?name=`` when it is one of ``choices``. Absent or empty: ``default``; anything
    else: ``None`` (no filter), and ``message`` is shown (``None``: no message)."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if raw in choices:
        return raw
    _tell(message)
    return None


def date_arg(name: str) -> date | None:
    """``?name=`` as a date written 2026-12-02 (what ``<input type="date">`` sends), in the
    years 2000-2199. Absent or empty: ``None``; anything else: ``None`` and
    :data:`FILTER_IGNORED` is shown."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    if _ISO_DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:  # 2026-02-30
            pass
    _tell(FILTER_IGNORED)
    return None


def text_arg(name: str, max_length: int) -> str:
    """``?name=`` as free text (a search box): stripped, at most ``max_length`` characters."""
    return request.args.get(name, "").strip()[:max_length]


def _tell(message: LazyString | None) -> None:
    """Flash ``message`` once per request, however many parameters were wrong."""
    if message is None:
        return
    # Kept in the WSGI environ, which is this request's alone (``g`` belongs to the app
    # context, which a test may keep open across requests).
    told: set[str] = request.environ.setdefault("hulppunt.params_told", set())
    text = str(message)
    if text not in told:
        told.add(text)
        flash(text, "warning")

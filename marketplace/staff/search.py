"""One search box for the back office: requests by number, people by name, phone, postcode
or e-mail address.

Comparisons work the same on SQLite and PostgreSQL without database extensions: names are
compared lower-cased and without accents (both sides folded by :func:`fold` in Python and
:func:`folded` in SQL), phone numbers on their digits only, postcodes without spaces.
Read-only: nothing here writes or audits (opening a person's page does, see ``services``).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement

from marketplace.extensions import db
from marketplace.models import HelpRequest, Role, User
from marketplace.models.users import UserRole

#: Rows per group; one more found means "refine your search".
GROUP_LIMIT = 25
#: Longest search text read from the address.
QUERY_MAX = 100
#: A phone search needs at least this many digits (fewer would match most numbers).
PHONE_MIN_DIGITS = 6
#: The roles whose accounts the search finds (staff accounts are not "people" here).
PEOPLE_ROLES = (Role.RESIDENT, Role.VOLUNTEER, Role.REFERRER)

# Accented letters people type or store and their plain letter, for PostgreSQL's
# translate() (both cases: the database's lower() may leave non-ASCII letters alone).
_ACCENTED = "áàâäãåÁÀÂÄÃÅéèêëÉÈÊËíìîïÍÌÎÏóòôöõÓÒÔÖÕúùûüÚÙÛÜýÿÝçÇñÑšŠžŽ"
_PLAIN = "".join(unicodedata.normalize("NFKD", char.lower())[0] for char in _ACCENTED)
#: The SQLite function :func:`fold` is registered as (SQLite has no translate()).
SQLITE_FOLD = "hulppunt_fold"
# What people write between the digits of a phone number.
_PHONE_SIGNS = " -+().,/"
_REQUEST_NUMBER = re.compile(r"(?:#|a-?)?\s*([0-9]{1,9})", re.IGNORECASE)
_POSTCODE = re.compile(r"([0-9]{4})\s*([a-z]{2})?", re.IGNORECASE)
_PHONE_TEXT = re.compile(r"\+?[0-9 ()\-./]+")


def fold(text: str) -> str:
    """``text`` lower-cased without accents: "Ümit Özdemir" -> "umit ozdemir"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class folded(sa.sql.functions.FunctionElement[str]):  # noqa: N801  reads as a function
    """The SQL for :func:`fold` on a column: lower case, common accents removed."""

    type = sa.String()
    inherit_cache = True


@compiles(folded)
def _folded_portable(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"translate(lower({column}), '{_ACCENTED}', '{_PLAIN}')"


@compiles(folded, "sqlite")
def _folded_sqlite(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


@sa.event.listens_for(sa.engine.Engine, "connect")
def _register_sqlite_fold(connection: Any, _record: Any) -> None:
    """Give every SQLite connection :func:`fold` (PostgreSQL uses translate())."""
    if isinstance(connection, sqlite3.Connection):
        connection.create_function(
            SQLITE_FOLD, 1, lambda text: None if text is None else fold(text),
            deterministic=True,
        )


def _digits_only(column: sa.ColumnExpressionArgument[str | None]) -> ColumnElement[str]:
    expression: ColumnElement[str] = sa.func.coalesce(column, "")
    for sign in _PHONE_SIGNS:
        expression = sa.func.replace(expression, sign, "")
    return expression


def phone_core(text: str) -> str | None:
    """The digits that identify a phone number whatever its spelling, or None when ``text``
    is no phone number: "06-1234 5678", "0612345678" and "+31612345678" all give
    "612345678" (a Dutch number without its leading 0 or country code 31)."""
    if not _PHONE_TEXT.fullmatch(text.strip()):
        return None
    digits = re.sub(r"[^0-9]", "", text)
    if text.strip().startswith("+"):
        digits = digits[2:] if digits.startswith("31") else digits
    elif digits.startswith("0031"):
        digits = digits[4:]
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    return digits if len(digits) >= PHONE_MIN_DIGITS else None


def _postcode(text: str) -> str | None:
    """"1211AB" for "1211 ab"; "1211" for a four-digit area; None for anything else."""
    match = _POSTCODE.fullmatch(text.strip())
    if match is None:
        return None
    return (match.group(1) + (match.group(2) or "")).upper()


def request_number(text: str) -> int | None:
    """The request id in "123", "#123" or "A-123"; None when ``text`` is no number."""
    match = _REQUEST_NUMBER.fullmatch(text.strip())
    return int(match.group(1)) if match else None


@dataclass
class Results:
    """What a search found: requests and people, each at most :data:`GROUP_LIMIT`, and
    whether there were more."""

    query: str
    requests: list[HelpRequest] = field(default_factory=list)
    people: list[User] = field(default_factory=list)
    more_requests: bool = False
    more_people: bool = False

    @property
    def empty(self) -> bool:
        return not self.requests and not self.people


def is_person(user: User) -> bool:
    """Whether ``user`` is one of the people the search finds and the person page shows: not
    anonymised and holding one of :data:`PEOPLE_ROLES` (not a staff-only account)."""
    return user.anonymised_at is None and user.has_role(*PEOPLE_ROLES)


def person_conditions(text: str) -> list[ColumnElement[bool]]:
    """Conditions on :class:`User` for ``text``: name, e-mail, phone, postcode (any fits)."""
    conditions: list[ColumnElement[bool]] = []
    words = fold(text).split()
    if words and any(char.isalpha() for char in text):
        conditions.append(sa.and_(*(
            folded(User.name).contains(word, autoescape=True) for word in words
        )))
        conditions.append(sa.func.lower(User.email).contains(fold(text), autoescape=True))
    core = phone_core(text)
    if core is not None:
        conditions.append(_digits_only(User.phone).contains(core, autoescape=True))
    postcode = _postcode(text)
    if postcode is not None:
        stored = sa.func.upper(sa.func.replace(sa.func.coalesce(User.postcode, ""), " ", ""))
        conditions.append(stored.startswith(postcode, autoescape=True))
    return conditions


def _people(viewer: User, text: str) -> tuple[list[User], bool]:
    conditions = person_conditions(text)
    if not conditions or not viewer.is_staff:
        return [], False
    has_role = sa.exists().where(UserRole.user_id == User.id, UserRole.role.in_(PEOPLE_ROLES))
    query = (
        sa.select(User)
        .where(User.anonymised_at.is_(None), has_role, sa.or_(*conditions))
        .order_by(User.name, User.id)
        .limit(GROUP_LIMIT + 1)
    )
    found = list(db.session.scalars(query).unique())
    return found[:GROUP_LIMIT], len(found) > GROUP_LIMIT


def _requests(viewer: User, text: str, people_ids: list[int]) -> tuple[list[HelpRequest], bool]:
    """Requests with the number in ``text``, at the postcode in it, or of the people found.

    Every coordinator may open every request today (``access.require_staff``), so staff see
    them all; anyone else finds none.
    """
    if not viewer.is_staff:
        return [], False
    conditions: list[ColumnElement[bool]] = []
    number = request_number(text)
    if number is not None:
        conditions.append(HelpRequest.id == number)
    postcode = _postcode(text)
    if postcode is not None:
        stored = sa.func.upper(sa.func.replace(HelpRequest.postcode, " ", ""))
        conditions.append(stored.startswith(postcode, autoescape=True))
    if people_ids:
        conditions.append(HelpRequest.requester_id.in_(people_ids))
    if not conditions:
        return [], False
    query = (
        sa.select(HelpRequest)
        .where(HelpRequest.anonymised_at.is_(None), sa.or_(*conditions))
        .order_by((HelpRequest.id == (number or 0)).desc(), HelpRequest.created_at.desc(),
                  HelpRequest.id.desc())
        .limit(GROUP_LIMIT + 1)
    )
    found = list(db.session.scalars(query).unique())
    return found[:GROUP_LIMIT], len(found) > GROUP_LIMIT


def search(viewer: User, text: str) -> Results:
    """Everything ``viewer`` may see that fits ``text`` (empty text finds nothing)."""
    text = text.strip()[:QUERY_MAX]
    results = Results(query=text)
    if not text:
        return results
    results.people, results.more_people = _people(viewer, text)
    results.requests, results.more_requests = _requests(
        viewer, text, [person.id for person in results.people]
    )
    return results

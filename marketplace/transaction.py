"""One commit per request, and what follows it.

Services change rows and flush; they never commit. A view (or a CLI command, or a job) ends
its unit of work with :func:`commit`, which commits once and only then hands the outbox
messages written in that transaction to delivery. :func:`perform` wraps the common shape of a
view that changes something: run one service call, commit, flash, redirect; a
:class:`~marketplace.errors.DomainError` rolls everything back and is flashed in the user's
language instead; :func:`submit` and :func:`attempt` do the same for a form page that is
shown again when refused (the message then on its field when it names one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from flask import Flask, flash, has_request_context, redirect, request
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import Pool
from werkzeug.wrappers import Response

from marketplace import outbox, writes
from marketplace.errors import Conflict, DomainError, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

T = TypeVar("T")
Message = str | Callable[[Any], str] | None
Target = str | Callable[[Any], str]


def commit() -> None:
    """Commit the current transaction, then deliver (or queue) the outbox messages it wrote.

    Raises :class:`~marketplace.errors.Conflict` when somebody else saved the same row first
    (optimistic locking), and what else the commit raises; the transaction is then rolled back
    and nothing is sent.
    """
    session = db.session
    try:
        session.flush()
        ids = [message.id for message in outbox.written_in(session())]
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise Conflict(_l("Iemand anders heeft dit net veranderd. Bekijk het opnieuw.")) from error
    except Exception:
        session.rollback()
        raise
    outbox.dispatch(ids)


def rollback() -> None:
    """Undo the current transaction; the outbox messages it wrote are forgotten with it."""
    db.session.rollback()


class _Refused:
    """What :func:`_run` returns when a domain rule refused the change."""


_REFUSED = _Refused()


def _run(
    change: Callable[[], T], form: FlaskForm | None, field: str | None = None
) -> T | _Refused:
    try:
        result = change()
        commit()
    except NotFound:
        rollback()
        raise  # the error handler answers 404: nothing to flash about what does not exist
    except DomainError as error:
        rollback()
        _show(error, form, field)
        return _REFUSED
    return result


@dataclass(frozen=True)
class Done(Generic[T]):
    """A change that was committed, and what it returned."""

    value: T


def attempt(
    change: Callable[[], T], form: FlaskForm | None = None, field: str | None = None
) -> Done[T] | None:
    """Run ``change`` (one service call) and commit; ``Done(result)`` when it went through.

    None when a :class:`DomainError` refused it: everything is rolled back and the message is
    shown on a field of ``form`` (the one a :class:`~marketplace.errors.FieldError` names,
    else ``field``), or flashed when there is no such field.
    """
    result = _run(change, form, field)
    return None if isinstance(result, _Refused) else Done(result)


def submit(
    change: Callable[[], T],
    form: FlaskForm,
    *,
    done: Message,
    to: Target,
    field: str | None = None,
) -> Response | None:
    """A form page's save: :func:`attempt`, then flash ``done`` and redirect to ``to`` (303).

    Returns None when refused, so the view shows the form again with the message on it.
    ``done`` and ``to`` may be callables of ``change``'s result.
    """
    result = _run(change, form, field)
    if isinstance(result, _Refused):
        return None
    return _finish(result, done, to)


def _finish(result: Any, done: Message, to: Target) -> Response:
    message = done(result) if callable(done) else done
    if message:
        flash(message, "success")
    return redirect(to(result) if callable(to) else to, code=303)


def _show(error: DomainError, form: FlaskForm | None, field: str | None) -> None:
    name = getattr(error, "field", None) or field
    target = getattr(form, name, None) if form is not None and name else None
    if target is not None:
        target.errors = [*target.errors, str(error.message)]
    else:
        flash(str(error.message), "error")


def perform(
    change: Callable[[], T],
    *,
    done: Message,
    to: Target,
    refused_to: Target | None = None,
) -> Response:
    """Run ``change`` (one service call), commit, flash ``done`` and redirect to ``to`` (303).

    A :class:`DomainError` from ``change`` or from the commit's flush rolls back, is flashed
    as an error and redirects to ``refused_to`` (default: ``to``; a callable target then gets
    None); :class:`~marketplace.errors.NotFound` is left to its error handler (404). ``done``
    and ``to`` may be callables of ``change``'s result.
    """
    result = _run(change, None)
    if isinstance(result, _Refused):
        target = refused_to if refused_to is not None else to
        return redirect(target(None) if callable(target) else target, code=303)
    return _finish(result, done, to)


def _forget_outbox(session: Session, *transaction: Any) -> None:
    # A savepoint's end (``begin_nested``, as in registering) fires these events too; the outer
    # transaction goes on, and so must the messages it wrote before the savepoint.
    nested = transaction[0].nested if transaction else session.in_nested_transaction()
    if nested:
        return
    outbox.forget(session)


#: ``Connection.info`` key: this page reads without a transaction on the server until its
#: first write (see :func:`_read_without_transaction`).
_READING = "hulppunt_reading"
#: Requests that, by HTTP's rules, only read; their pages rarely write (and then safely).
_SAFE_METHODS = frozenset({"GET", "HEAD"})


def _transaction_began(connection: sa.Connection) -> None:
    writes.note_begin(connection)
    connection.info[_READING] = False


def _before_statement(connection: sa.Connection, _cursor: Any, statement: str, *_: Any) -> None:
    # When in doubt a statement is a write, and the request rolls back (writes.is_write).
    if not writes.is_write(statement):
        return
    writes.note_write(connection)
    if connection.info.get(_READING):
        # From this statement on, one transaction again (psycopg sends BEGIN first): the
        # page's writes are saved together by its commit, or not at all.
        connection.info[_READING] = False
        connection.connection.dbapi_connection.autocommit = False  # type: ignore[union-attr]


def _read_without_transaction(
    _session: Session, transaction: Any, connection: sa.Connection
) -> None:
    """A GET page on PostgreSQL reads without BEGIN and COMMIT: two of the three round trips
    of a page that loads only the account, and a quarter or more of PostgreSQL's work for it.

    Under READ COMMITTED every statement sees its own snapshot inside a transaction too, so
    the page reads the same rows. The first statement that writes or locks (see
    :func:`_before_statement`) starts the transaction, so a page that writes still saves all
    of it or nothing. The connection goes back to the pool in transaction mode
    (:func:`_back_in_transaction_mode`).
    """
    if (transaction.nested or connection.dialect.name != "postgresql"
            or not has_request_context() or request.method not in _SAFE_METHODS):
        return
    from psycopg.pq import TransactionStatus  # PostgreSQL's driver, present here

    dbapi_connection: Any = connection.connection.dbapi_connection
    if (dbapi_connection.autocommit
            or dbapi_connection.info.transaction_status != TransactionStatus.IDLE):
        return  # autocommit already, or inside a transaction (a test's outer one): leave it
    dbapi_connection.autocommit = True
    connection.info[_READING] = True


def _back_in_transaction_mode(dbapi_connection: Any, record: Any) -> None:
    """Pool check-in: a connection a page read on without a transaction goes back in
    transaction mode, so whoever takes it next starts in a transaction again."""
    if not record.info.get(_READING):
        return  # not switched here, or switched back by a write
    record.info[_READING] = False
    try:
        dbapi_connection.autocommit = False
    except Exception:  # noqa: BLE001 - a broken connection: the pool discards it
        log.debug("could not leave autocommit on check-in", exc_info=True)


def end_read_only_request(error: BaseException | None) -> None:
    """End a request that wrote nothing with COMMIT instead of the ROLLBACK its session's
    close would send.

    For a transaction that only read, both leave the database as it was; but psycopg forgets
    every prepared statement on a ROLLBACK (a rolled-back transaction may have dropped what
    they refer to), so ending each page with one meant that no statement was ever prepared
    and PostgreSQL planned every query of every page again (a third of its CPU under load).

    A request that failed, holds unflushed changes, or sent any statement but a SELECT is
    left alone: its transaction is rolled back as before and nothing of it is saved.
    """
    if error is not None:
        return
    session = db.session()
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    expire = session.expire_on_commit
    try:
        if writes.wrote(session):
            return
        session.expire_on_commit = False  # the request is over: nothing will be read again
        session.commit()
    except Exception:  # noqa: BLE001 - the answer is made; the close that follows rolls back
        log.warning("could not end a read-only transaction", exc_info=True)
        _rollback_quietly(session)
    finally:
        session.expire_on_commit = expire


def _rollback_quietly(session: Session) -> None:
    try:
        session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool replaces it
        log.debug("rollback after a failed read-only commit failed too", exc_info=True)


def init_app(app: Flask) -> None:
    """A rollback forgets the outbox messages of the transaction it undid; so does a plain
    ``session.commit()`` outside :func:`commit` (its messages wait for ``flask outbox
    deliver`` or the next hand-out instead of being dispatched by a later, unrelated commit).

    A request that only read ends with COMMIT (:func:`end_read_only_request`); a GET page on
    PostgreSQL reads without a transaction until it writes (:func:`_read_without_transaction`)."""
    for event in ("after_soft_rollback", "after_commit"):
        if not sa.event.contains(Session, event, _forget_outbox):
            sa.event.listen(Session, event, _forget_outbox)
    for event, listener in (("begin", _transaction_began),
                            ("before_cursor_execute", _before_statement)):
        if not sa.event.contains(sa.Engine, event, listener):
            sa.event.listen(sa.Engine, event, listener)
    if not sa.event.contains(Session, "after_begin", _read_without_transaction):
        sa.event.listen(Session, "after_begin", _read_without_transaction)
    if not sa.event.contains(Pool, "checkin", _back_in_transaction_mode):
        sa.event.listen(Pool, "checkin", _back_in_transaction_mode)
    app.teardown_request(end_read_only_request)

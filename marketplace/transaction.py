"""One commit per request, and what follows it.

Services change rows and flush; they never commit. A view (or a CLI command, or a job) ends
its unit of work with :func:`commit`, which commits once and only then hands the outbox
messages written in that transaction to delivery. :func:`perform` wraps the common shape of a
view that changes something: run one service call, commit, flash, redirect; a
:class:`~marketplace.errors.DomainError` rolls everything back and is flashed in the user's
language instead; :func:`attempt` does the same for a form page that is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, flash, redirect
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from marketplace import outbox
from marketplace.errors import DomainError
from marketplace.extensions import db

T = TypeVar("T")
Message = str | Callable[[Any], str] | None
Target = str | Callable[[Any], str]


def commit() -> None:
    """Commit the current transaction, then deliver (or queue) the outbox messages it wrote.

    Raises what the commit raises (the transaction is then rolled back and nothing is sent).
    """
    session = db.session
    session.flush()
    written = outbox.written_in(session())
    ids = [message.id for message in written]
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
    outbox.dispatch(ids)


def rollback() -> None:
    """Undo the current transaction; the outbox messages it wrote are forgotten with it."""
    db.session.rollback()


def refuse(error: DomainError) -> None:
    """Roll back and show the domain's message (already in the user's language)."""
    rollback()
    flash(str(error.message), "error")


def attempt(change: Callable[[], T], form: FlaskForm | None = None) -> T | None:
    """Run ``change`` (one service call) and commit. Returns its result, or None when a
    :class:`DomainError` refused it: everything is rolled back and the message is shown, on
    its field of ``form`` for a :class:`~marketplace.errors.FieldError` naming one, else
    flashed. For form pages that render the form again when refused."""
    try:
        result = change()
        commit()
    except DomainError as error:
        rollback()
        _show(error, form)
        return None
    return result


def _show(error: DomainError, form: FlaskForm | None) -> None:
    field = getattr(form, getattr(error, "field", ""), None) if form is not None else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
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
    None). ``done`` and ``to`` may be callables of ``change``'s result.
    """
    try:
        result = change()
        commit()
    except DomainError as error:
        refuse(error)
        target = refused_to if refused_to is not None else to
        return redirect(target(None) if callable(target) else target, code=303)
    message = done(result) if callable(done) else done
    if message:
        flash(message, "success")
    return redirect(to(result) if callable(to) else to, code=303)


def _forget_outbox(session: Session, previous_transaction: Any = None) -> None:
    outbox.forget(session)


def init_app(app: Flask) -> None:
    """A rollback forgets the outbox messages of the transaction it undid."""
    if not sa.event.contains(Session, "after_soft_rollback", _forget_outbox):
        sa.event.listen(Session, "after_soft_rollback", _forget_outbox)

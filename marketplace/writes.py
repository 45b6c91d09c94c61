"""Whether a transaction wrote anything: noted per statement by an engine event that
:mod:`marketplace.transaction` installs, read wherever somebody must know if there is
something to commit (the end of a request that only read, the outbox's delivery)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

#: ``Connection.info`` key: the connection's current transaction sent something other than a
#: plain SELECT (set per statement, cleared when a transaction begins).
WROTE = "hulppunt_wrote"
#: A SELECT that takes a lock must run inside the transaction that the lock is for: row locks
#: and PostgreSQL's advisory locks, compared in capitals (SQLAlchemy writes them so,
#: hand-written SQL may not; words apart by one space, as both write them).
_LOCKS = ("FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE", "PG_ADVISORY",
          "PG_TRY_ADVISORY")


def is_write(statement: str) -> bool:
    """Anything but a plain SELECT counts as a write (INSERT, UPDATE, a savepoint, a WITH that
    may hold a write, a SELECT that locks): when in doubt, a write."""
    if statement[:6].upper() != "SELECT":
        return True
    capitals = statement.upper()  # a microsecond for a long SELECT; a regex took 50
    return any(lock in capitals for lock in _LOCKS)


def note_begin(connection: sa.Connection) -> None:
    connection.info[WROTE] = False


def note_write(connection: sa.Connection) -> None:
    connection.info[WROTE] = True


def wrote(session: Session) -> bool:
    """Whether the session's current transaction changed anything: unflushed changes, or a
    statement that :func:`is_write` sent."""
    if session.new or session.dirty or session.deleted:
        return True
    if not session.in_transaction():
        return False
    return bool(session.connection().info.get(WROTE, True))

"""Unbound extension objects; ``create_app`` binds them with ``init_app``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click
import psycopg
from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# Models subclass ``Model``: Flask-SQLAlchemy's ``db.Model`` at run time, which mypy cannot
# see through (it is an attribute), so the type checker is shown the declarative base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


class LazyMigrate:
    """Flask-Migrate with its ``flask db`` commands, imported when first needed: importing it
    imports Alembic, about 0.15 s of every server start and every ``flask`` command (a
    round, the RQ worker) that never migrates. ``flask db ...`` loads it on its own;
    code that calls Flask-Migrate's functions directly calls :meth:`load` first."""

    def __init__(self) -> None:
        self.options: dict[str, Any] = {}

    def init_app(self, app: Flask, **options: Any) -> None:
        self.options = options
        app.cli.add_command(_MigrationCommands(lambda: self.load(app)))

    def load(self, app: Flask) -> click.Group:
        """Bind Flask-Migrate to ``app`` (once) and give its command group."""
        from flask_migrate import Migrate  # noqa: PLC0415 - Alembic only when migrating
        from flask_migrate.cli import db as commands  # noqa: PLC0415

        if "migrate" not in app.extensions:
            Migrate(app, db, **self.options)
        return commands


class _MigrationCommands(click.Group):
    """``flask db``: stands in for Flask-Migrate's group until the command line names it,
    then hands over (its options, subcommands and help are Flask-Migrate's own)."""

    def __init__(self, load: Callable[[], click.Group]) -> None:
        super().__init__("db", help="Perform database migrations.")
        self._load = load

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return self._load().make_context(info_name, args, parent=parent, **extra)


migrate = LazyMigrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def ping_idle_connections(app: Flask) -> None:
    """Check a pooled database connection before use only when it has been idle for
    ``DATABASE_PING_AFTER`` seconds; a dead one is replaced before the request sees it.

    SQLAlchemy's ``pool_pre_ping`` checks every checkout: a round trip before every
    transaction, four in a request that commits and then delivers two outbox messages. A
    connection handed back a moment ago was alive then. When the database did go away in
    that moment, the request's first statement fails, it gets the friendly 503 page, and the
    pool replaces every connection from before (SQLAlchemy's handling of a disconnect).
    """
    import time

    import sqlalchemy as sa

    after = float(app.config.get("DATABASE_PING_AFTER", 1.0))
    with app.app_context():
        engine = db.engine

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["hulppunt_idle_since"] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("hulppunt_idle_since")
        if idle_since is None or time.monotonic() - idle_since < after:
            return  # new, or handed back a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure: the pool tries a new one
            raise sa.exc.DisconnectionError(str(error)) from error

    for event, listener in (("checkin", checked_in), ("checkout", checked_out)):
        sa.event.listen(engine, event, listener)


class _ColumnsOnDemand(Sequence[Any]):
    """A result's ``cursor.description``, each column read from the result when first asked."""

    __slots__ = ("_columns", "_count", "_cursor")

    def __init__(self, cursor: psycopg.Cursor[Any], count: int) -> None:
        self._cursor = cursor
        self._count = count
        self._columns: list[psycopg.Column] | None = None

    def _read(self) -> list[psycopg.Column]:
        if self._columns is None:
            self._columns = [psycopg.Column(self._cursor, index) for index in range(self._count)]
        return self._columns

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self._read()[index]

    def __iter__(self) -> Iterator[psycopg.Column]:
        return iter(self._read())


class DescribedOnDemand(psycopg.Cursor[Any]):
    """psycopg's cursor, whose ``description`` builds its columns only when they are read.

    psycopg builds a :class:`psycopg.Column` per column (name, type, size) each time
    ``description`` is asked, and SQLAlchemy asks it after every statement; for a statement
    it has run before, it keeps the result's layout and only checks that there is one. An
    account with its roles is 30 columns, a page's statements 40 on average: 5 % of a page's
    work, for nothing.
    """

    @property  # a sequence, not a list: DB-API asks a sequence, SQLAlchemy reads no more
    def description(self) -> Sequence[psycopg.Column] | None:  # type: ignore[override]
        result = self.pgresult
        if result is None or not (result.nfields or result.status in _RETURNS_ROWS):
            return None  # as psycopg: no result, or a statement that returns no rows
        return _ColumnsOnDemand(self, result.nfields)


_RETURNS_ROWS = frozenset(
    status for name in ("TUPLES_OK", "SINGLE_TUPLE", "TUPLES_CHUNK")
    if (status := getattr(psycopg.pq.ExecStatus, name, None)) is not None
)


def describe_columns_on_demand(app: Flask) -> None:
    """Every new PostgreSQL connection makes :class:`DescribedOnDemand` cursors."""
    import sqlalchemy as sa

    with app.app_context():
        engine = db.engine

    def connected(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, psycopg.Connection):
            dbapi_connection.cursor_factory = DescribedOnDemand

    sa.event.listen(engine, "connect", connected)

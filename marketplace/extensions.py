"""Unbound extension objects; ``create_app`` binds them with ``init_app``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
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

"""The migrations build the schema from nothing, and agree with the models."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from marketplace.extensions import db, migrate
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL, make_app


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database: a file on SQLite, a fresh database on PostgreSQL."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"hulppunt_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    base = sa.engine.make_url(TEST_DATABASE_URL)
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrating_app(database_url: str) -> Flask:
    """An app on ``database_url`` with Flask-Migrate bound (the app loads it only for
    ``flask db``; these tests call its functions directly)."""
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    migrate.load(app)
    return app


def test_upgrade_from_empty_matches_the_models(empty_database_url: str) -> None:
    app = migrating_app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {"users", "help_requests", "matches", "volunteer_profiles", "audit_log"} <= tables


def test_downgrade_to_base_and_up_again(empty_database_url: str) -> None:
    app = migrating_app(empty_database_url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert "help_requests" not in sa.inspect(connection).get_table_names()
        upgrade()
        with db.engine.connect() as connection:
            assert "help_requests" in sa.inspect(connection).get_table_names()
        db.engine.dispose()


def test_audit_action_names_are_renamed_in_stored_rows_and_back(empty_database_url: str) -> None:
    from tests.test_audit import migration_module

    migration = migration_module()
    app = migrating_app(empty_database_url)
    with app.app_context():
        upgrade(revision=migration.down_revision)
        with db.engine.begin() as connection:
            for action in ("approve_request", "view_personal_data", "match.accepted"):
                connection.execute(sa.text(
                    "INSERT INTO audit_log (action, target_type, detail, at) "
                    "VALUES (:action, '', '', CURRENT_TIMESTAMP)"
                ), {"action": action})
        upgrade(revision=migration.revision)
        assert _stored_actions() == ["match.accepted", "personal_data.viewed", "request.approved"]
        downgrade(revision=migration.down_revision)
        assert _stored_actions() == ["approve_request", "match.accepted", "view_personal_data"]
        db.engine.dispose()


def _stored_actions() -> list[str]:
    with db.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT action FROM audit_log ORDER BY action"))
        return [row[0] for row in rows]

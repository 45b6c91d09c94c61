"""Pooled database connections: checked only after they were idle a while, and a dead idle
one is replaced before a page sees it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask

from marketplace.extensions import db
from marketplace.models import Category
from tests.conftest import ON_POSTGRES, app_with_routes


@pytest.fixture(scope="module")
def pooled_app() -> Iterator[Flask]:
    def count() -> str:
        return str(db.session.scalar(sa.select(sa.func.count(Category.id))))

    with app_with_routes({"/_t/count": count}, DATABASE_PING_AFTER=0.2) as application:
        yield application


def _pings(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    with app.app_context():
        dialect = db.engine.dialect
    pings: list[float] = []
    real = dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(time.monotonic())
        return real(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return pings


def test_a_connection_used_a_moment_ago_is_not_checked_again(
    pooled_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = pooled_app.test_client()
    assert client.get("/_t/count").status_code == 200
    pings = _pings(pooled_app, monkeypatch)
    for _ in range(5):
        assert client.get("/_t/count").status_code == 200
    assert pings == []
    time.sleep(0.3)  # idle longer than DATABASE_PING_AFTER: checked before use
    assert client.get("/_t/count").status_code == 200
    assert len(pings) == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="ends a PostgreSQL server process")
def test_a_dead_idle_connection_is_replaced_before_the_page_sees_it(pooled_app: Flask) -> None:
    client = pooled_app.test_client()
    assert client.get("/_t/count").status_code == 200
    with pooled_app.app_context():
        engine = db.engine
    with engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        connection.rollback()
    # The pool hands out its most recent connection again: end that server process.
    with sa.create_engine(engine.url, poolclass=sa.pool.NullPool).connect() as other:
        other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid or 0)})")
    time.sleep(0.3)
    response = client.get("/_t/count")
    assert response.status_code == 200
    assert response.text.isdigit()


@pytest.mark.skipif(not ON_POSTGRES, reason="the cursor is psycopg's")
def test_a_statement_run_before_builds_no_column_descriptions(
    pooled_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLAlchemy keeps the layout of a result it has seen; psycopg would still build a
    description of every column after every statement."""
    client = pooled_app.test_client()
    assert client.get("/_t/count").status_code == 200
    built: list[int] = []
    real = psycopg.Column.__init__

    def counted(self: psycopg.Column, cursor: Any, index: int) -> None:
        built.append(index)
        real(self, cursor, index)

    monkeypatch.setattr(psycopg.Column, "__init__", counted)
    assert client.get("/_t/count").text.isdigit()
    assert built == []


@pytest.mark.skipif(not ON_POSTGRES, reason="the cursor is psycopg's")
def test_results_still_name_their_columns(pooled_app: Flask) -> None:
    with pooled_app.app_context(), db.engine.begin() as connection:
        row = connection.execute(sa.text("SELECT 1 AS one, 'twee' AS two")).mappings().one()
        assert dict(row) == {"one": 1, "two": "twee"}
        cursor = connection.connection.cursor()
        cursor.execute("SELECT 3 AS three")
        assert [column.name for column in cursor.description] == ["three"]
        assert cursor.description[0].type_code == psycopg.adapters.types["int4"].oid
        cursor.execute("CREATE TEMPORARY TABLE scratch (id integer)")
        assert cursor.description is None  # no rows, as psycopg says it
        updated = connection.execute(sa.text("UPDATE scratch SET id = 2"))
        assert not updated.returns_rows

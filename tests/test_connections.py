"""Pooled database connections: checked only after they were idle a while, and a dead idle
one is replaced before a page sees it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

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

"""How a request's transaction ends: a request that only read commits (so PostgreSQL keeps
its prepared statements), a request that wrote without committing saves nothing; a GET page
on PostgreSQL reads without a transaction until it writes or locks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from marketplace import writes
from marketplace.extensions import db
from marketplace.models import Category
from tests.conftest import ON_POSTGRES, app_with_routes


@pytest.fixture(scope="module")
def plain_app() -> Iterator[Flask]:
    """An app of its own, with routes that read or write and then end without committing;
    no app context stays open between requests, as in production."""
    def read() -> str:
        return db.session.scalar(sa.select(Category.slug).order_by(Category.id).limit(1)) or ""

    def write_orm() -> str:
        category = db.session.scalars(sa.select(Category).order_by(Category.id)).first()
        assert category is not None
        category.name_nl = "Gewijzigd"
        db.session.flush()
        return "flushed, not committed"

    def write_core() -> str:
        db.session.execute(sa.update(Category).values(name_nl="Gewijzigd"))
        return "written, not committed"

    def write_then_fail() -> str:
        db.session.execute(sa.update(Category).values(name_nl="Gewijzigd"))
        raise RuntimeError("after the write")

    def in_transaction() -> str:
        """After a read, a lock, a write: was the server inside a transaction each time?"""
        seen = []
        for step in (sa.select(Category.id).limit(1),
                     sa.select(Category.id).limit(1).with_for_update(),
                     sa.update(Category).where(Category.id == -1).values(name_nl="x")):
            db.session.execute(step)
            status = db.session.connection().connection.dbapi_connection.info.transaction_status
            seen.append(status.name)
        return " ".join(seen)

    def write_twice_then_fail() -> str:
        read()
        db.session.execute(sa.update(Category).values(name_nl="Gewijzigd"))
        read()
        db.session.execute(sa.update(Category).values(name_en="Changed"))
        raise RuntimeError("after the writes")

    def autocommit() -> str:
        read()
        return str(db.session.connection().connection.dbapi_connection.autocommit)

    routes = {"/_t/read": read, "/_t/write-orm": write_orm, "/_t/write-core": write_core,
              "/_t/write-fail": write_then_fail, "/_t/in-transaction": in_transaction,
              "/_t/write-twice-fail": write_twice_then_fail, "/_t/autocommit": autocommit}
    with app_with_routes(routes) as application:
        application.add_url_rule("/_t/autocommit-post", "autocommit_post", autocommit,
                                 methods=["POST"])
        application.config["WTF_CSRF_ENABLED"] = False
        yield application


@pytest.fixture
def seeded(plain_app: Flask) -> Flask:
    from marketplace.admin.services import seed_catalogue

    with plain_app.app_context():
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        seed_catalogue()
        db.session.commit()
    return plain_app


def _ends(app: Flask, path: str) -> tuple[int, list[str]]:
    ends: list[str] = []
    with app.app_context():
        engine = db.engine

    def on_commit(_connection: sa.Connection) -> None:
        ends.append("commit")

    def on_rollback(_connection: sa.Connection) -> None:
        ends.append("rollback")

    sa.event.listen(engine, "commit", on_commit)
    sa.event.listen(engine, "rollback", on_rollback)
    try:
        status = app.test_client().get(path).status_code
    finally:
        sa.event.remove(engine, "commit", on_commit)
        sa.event.remove(engine, "rollback", on_rollback)
    return status, ends


def _ends_in_error(app: Flask, path: str) -> tuple[int, list[str]]:
    """:func:`_ends` for a route that raises: the app answers 500 instead of raising."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        return _ends(app, path)
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None


def _names(app: Flask) -> set[str]:
    with app.app_context():
        names = set(db.session.scalars(sa.select(Category.name_nl)))
        db.session.remove()
    return names


def test_a_request_that_only_read_ends_with_commit(seeded: Flask) -> None:
    assert _ends(seeded, "/_t/read") == (200, ["commit"])


@pytest.mark.parametrize("path", ["/_t/write-orm", "/_t/write-core"])
def test_a_request_that_wrote_without_committing_saves_nothing(seeded: Flask, path: str) -> None:
    status, ends = _ends(seeded, path)
    assert (status, ends) == (200, ["rollback"])
    assert "Gewijzigd" not in _names(seeded)


def test_a_request_that_failed_after_a_write_saves_nothing(seeded: Flask) -> None:
    status, ends = _ends_in_error(seeded, "/_t/write-fail")
    assert status == 500
    assert "commit" not in ends
    assert "Gewijzigd" not in _names(seeded)


@pytest.mark.skipif(not ON_POSTGRES, reason="prepared statements are psycopg's (PostgreSQL)")
def test_pages_that_only_read_keep_their_prepared_statements(seeded: Flask) -> None:
    client = seeded.test_client()
    for _ in range(8):  # psycopg prepares a statement on its fifth run on a connection
        assert client.get("/_t/read").status_code == 200
    with seeded.app_context():
        prepared = db.session.scalars(sa.text("SELECT statement FROM pg_prepared_statements"))
        assert any("categories" in statement for statement in prepared)
        db.session.remove()


def test_a_page_that_wrote_twice_and_failed_saves_neither(seeded: Flask) -> None:
    status, ends = _ends_in_error(seeded, "/_t/write-twice-fail")
    assert (status, "commit" in ends) == (500, False)
    with seeded.app_context():
        changed = db.session.scalar(sa.select(sa.func.count()).where(
            sa.or_(Category.name_nl == "Gewijzigd", Category.name_en == "Changed")))
        db.session.remove()
    assert changed == 0


@pytest.mark.skipif(not ON_POSTGRES, reason="reading without a transaction is PostgreSQL's")
def test_a_get_page_reads_without_a_transaction_until_it_locks_or_writes(seeded: Flask) -> None:
    answer = seeded.test_client().get("/_t/in-transaction")
    assert answer.get_data(as_text=True) == "IDLE INTRANS INTRANS"


@pytest.mark.skipif(not ON_POSTGRES, reason="reading without a transaction is PostgreSQL's")
def test_a_post_after_a_get_on_the_same_connection_is_one_transaction(seeded: Flask) -> None:
    client = seeded.test_client()
    assert client.get("/_t/autocommit").get_data(as_text=True) == "True"
    assert client.post("/_t/autocommit-post").get_data(as_text=True) == "False"
    assert client.get("/_t/autocommit").get_data(as_text=True) == "True"


@pytest.mark.parametrize("statement", [
    "SELECT id FROM users WHERE id = %(id)s FOR UPDATE",
    "select id from users where id = 1 for update",
    "SELECT id FROM help_requests FOR NO KEY UPDATE OF help_requests",
    "select id from users for share skip locked",
    "SELECT id FROM users WHERE id = 1 FOR UPDATE SKIP LOCKED",
    "Select id From users For Key Share",
    "select pg_advisory_xact_lock(42)",
    "SELECT pg_try_advisory_lock(42)",
    "UPDATE users SET name = 'x'",
    "WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone",
])
def test_a_statement_that_writes_or_locks_in_any_case_counts_as_a_write(statement: str) -> None:
    # Counted as a read, a hand-written "for update" would run outside a transaction on a
    # GET page, and its lock would end with the statement.
    assert writes.is_write(statement)


@pytest.mark.parametrize("statement", [
    "SELECT id FROM users WHERE id = %(id)s",
    "select users.for_update_count, information from users",
    "SELECT id FROM forms_shared",
])
def test_a_plain_select_is_a_read(statement: str) -> None:
    assert not writes.is_write(statement)

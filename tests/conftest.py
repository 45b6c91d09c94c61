"""Fixtures: ``app``, ``client``, ``db``, ``runner``, and ``login`` for any user.

The suite runs on SQLite in memory by default and on PostgreSQL when ``TEST_DATABASE_URL``
is set (``.ci/run`` does both).

``make test`` runs it on two processes (pytest-xdist, ``-n 2 --dist loadgroup``). SQLite in
memory is private to each process already; on PostgreSQL every worker gets a database of its
own, ``<name>_gw0``, ``<name>_gw1``, ... next to the one ``TEST_DATABASE_URL`` names, created
when missing (``TEST_DATABASE_URL`` below is the worker's). Servers a test starts (SMTP, Redis,
the browser tests' live server) listen on a free port the system picks, never a fixed one.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from marketplace import create_app
from marketplace.extensions import db as _db
from marketplace.models import User
from tests.redis_server import RedisServer
from tests.smtp_server import SmtpServer

# "gw0", "gw1", ... in a pytest-xdist worker (xdist sets it before this file is imported);
# "" in a plain, single-process run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_database_url(url: str, worker: str = WORKER) -> str:
    """The database this process tests on: ``<name>_<worker>`` on PostgreSQL under xdist.

    Two workers must never share a PostgreSQL database: each one drops the schema at its start
    and empties every table before each test.
    """
    if not url.startswith("postgresql") or not worker:
        return url
    parsed = sa.engine.make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(
        hide_password=False
    )


TEST_DATABASE_URL = worker_database_url(os.environ.get("TEST_DATABASE_URL", ""))
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")
if ON_POSTGRES:
    # The testing config reads the variable too (an app made without a database URL).
    os.environ["TEST_DATABASE_URL"] = TEST_DATABASE_URL


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database ``url`` names if it does not exist yet.

    Connects to the server's ``postgres`` maintenance database, since the one to create cannot
    be connected to.
    """
    parsed = sa.engine.make_url(url)
    maintenance = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            )
            if not exists:
                # Created by another process a moment ago: a duplicate, and it is there.
                with contextlib.suppress(sa.exc.ProgrammingError, sa.exc.IntegrityError):
                    connection.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        maintenance.dispose()


@pytest.fixture(scope="session", autouse=True)
def _test_database() -> None:
    """Before the first test of this process: its PostgreSQL database exists."""
    if ON_POSTGRES:
        ensure_database(TEST_DATABASE_URL)


#: A fixture wider than one test: such a file runs whole on one xdist worker (below).
_WIDER_FIXTURE = re.compile(r"""scope\s*=\s*["'](?:class|module|package|session)["']""")


def _shares_fixtures(path: str, root: Path) -> bool:
    """Whether the tests of the file at ``path`` (relative to ``root``) share a fixture wider
    than one test: the browser tests (the browser, the live server, the stories) or a module
    with its own module-scoped fixture (the crawl of the demo site)."""
    if path.startswith("tests/browser/"):
        return True
    file = root / path
    return file.suffix == ".py" and bool(_WIDER_FIXTURE.search(file.read_text("utf-8")))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` (``make test``): tests go to the workers one by one, so both stay
    busy to the end, but a file whose tests share a wider fixture goes whole to one worker, so
    that fixture is built once and the browser stories keep their order. The largest such
    files go first; the single tests fill the gaps.

    xdist's own loadgroup (``xdist_group`` marks) renames ``item._nodeid``, which pytest 9 no
    longer has, so it would distribute test by test without any group.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FilesWithSharedFixturesWhole(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if _shares_fixtures(path, config.rootpath) else nodeid

    return FilesWithSharedFixturesWhole(config, log)


def make_app(**overrides: Any) -> Flask:
    config: dict[str, Any] = {
        "HULPPUNT_ENV": "testing",
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or "sqlite://",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_ENABLED": False,
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return create_app(config)


@contextlib.contextmanager
def app_with_routes(routes: dict[str, Callable[[], str]], **overrides: Any) -> Iterator[Flask]:
    """An app of its own with extra routes (``{rule: view}``), its tables made, and no app
    context kept open between its requests (as in production); its engine closed after."""
    application = make_app(**overrides)
    for rule, view in routes.items():
        application.add_url_rule(rule, view_func=view)
    with application.app_context():
        _db.create_all()
    try:
        yield application
    finally:
        with application.app_context():
            _db.session.remove()
            _db.engine.dispose()


def _empty_database() -> None:
    """Remove every row (PostgreSQL keeps its tables between tests, SQLite is new each time)."""
    _db.session.remove()
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override in a test module to change the app's configuration."""
    return {}


# One app per distinct configuration for the whole run: SQLAlchemy caches compiled SQL per
# engine, so reusing the engine makes the suite several times faster. Each test still starts
# from an empty database with the catalogue seeded, a fresh config and fresh rate limits.
_APPS: dict[str, tuple[Flask, dict[str, Any]]] = {}


def _forget_per_request_state(application: Flask) -> None:
    """Make every test-client request start like a real one.

    A test keeps one app context open, and Flask reuses it for the requests the test makes,
    so Flask-Login's cached user and Flask-Babel's cached locale would leak from one request
    into the next (a test could then not log in as someone else, or switch language twice).
    """
    from flask import g, request_started
    from flask_babel import refresh

    def reset(sender: Flask, **extra: Any) -> None:
        g.pop("_login_user", None)
        refresh()

    request_started.connect(reset, application, weak=False)


_SCHEMA_FRESH: list[bool] = []


def _create_tables() -> None:
    """Create the tables; on PostgreSQL first empty the schema once per run.

    The PostgreSQL test database outlives a run, and ``create_all`` does not add columns to
    a table made by an older version of the models: start every run from an empty schema.
    """
    if ON_POSTGRES and not _SCHEMA_FRESH:
        with _db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        _SCHEMA_FRESH.append(True)
    _db.create_all()


def _shared_app(app_config: dict[str, Any]) -> Flask:
    from marketplace.extensions import limiter

    if app_config.get("RATELIMIT_ENABLED"):
        # Flask-Limiter keeps one storage for the last app it was bound to: rebuild.
        application = make_app(**app_config)
        with application.app_context():
            _create_tables()
        _forget_per_request_state(application)
        return application
    limiter.enabled = False
    key = repr(sorted(app_config.items()))
    if key not in _APPS:
        application = make_app(**app_config)
        with application.app_context():
            _create_tables()
        _forget_per_request_state(application)
        _APPS[key] = (application, dict(application.config))
    application, pristine = _APPS[key]
    application.config.clear()
    application.config.update(pristine)
    return application


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    from marketplace.admin.services import seed_catalogue
    from marketplace.extensions import limiter

    application = _shared_app(app_config)
    with application.app_context():
        _empty_database()
        if limiter.enabled:
            limiter.reset()
        seed_catalogue()
        _db.session.commit()
        yield application
        _db.session.rollback()
        _db.session.remove()
    if app_config.get("RATELIMIT_ENABLED"):
        with application.app_context():
            _db.engine.dispose()
        # The one limiter of the process follows the last app bound to it: off again, or the
        # browser tests' live server (which never passes here) would answer its next
        # registrations with 429 when it runs after a rate-limit test on this worker.
        limiter.enabled = False


@pytest.fixture
def db(app: Flask) -> Any:
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """``login(user)`` logs the test client in as ``user`` without the login form."""

    def do_login(user: User) -> FlaskClient:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    return do_login


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 with a free port; ``.messages`` holds what
    arrived. A module that checks e-mail overrides ``app_config`` like this::

        @pytest.fixture
        def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
            return smtp_server.app_config()
    """
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="module")
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of the module's own on a free port, which a test may stop and start
    (``tests/redis_server.py``). A module that uses it overrides ``app_config``::

        @pytest.fixture
        def app_config(own_redis: RedisServer) -> dict[str, str]:
            return {"REDIS_URL": own_redis.url, "RQ_QUEUE": QUEUE}
    """
    with RedisServer() as server:
        yield server

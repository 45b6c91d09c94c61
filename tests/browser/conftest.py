"""End-to-end fixtures: the real app on a local port, driven by Debian's Chromium.

The server runs with CSRF on and mail off, on its own database (a temporary SQLite file, or
``<TEST_DATABASE_URL>_browser`` on PostgreSQL so it never clashes with the unit tests, which
empty their tables). Only staff accounts that cannot register themselves are created here;
every other step goes through the pages, as a new user would do it.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import TEST_DATABASE_URL, WORKER, ensure_database, make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = "een-lang-wachtwoord-42"
# ``make screenshots`` sets SCREENSHOT_DIR=docs/screenshots to refresh the README's pictures
# (one process); a plain test run writes them to a temporary folder, so it leaves the work tree
# clean, one folder per xdist worker so two workers never write the same file.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR")
    or Path(tempfile.gettempdir()) / "hulppunt-screenshots" / (WORKER or "main")
).resolve()
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


class QuietRequestHandler(WSGIRequestHandler):
    """No access log lines in the test output (failures still show the page)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def buffered(app: Any) -> Any:
    """Read every response whole and close it before sending.

    When the browser navigates away mid-download, werkzeug drops the response iterator
    without closing it, and the open static file becomes a ResourceWarning (an error here).
    """

    def wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    return wsgi


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    name: str


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Any
    coordinator: Account
    admin: Account
    referrer: Account


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in this folder is a browser test."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _browser_database_url(tmp_dir: Path) -> str:
    """A dedicated database: ``<name>_browser`` on PostgreSQL (``<name>`` is this xdist
    worker's database, so ``test_gw0_browser``), a temporary file otherwise."""
    if not TEST_DATABASE_URL.startswith("postgresql"):
        return f"sqlite:///{tmp_dir / 'browser.sqlite3'}"
    url = sa.engine.make_url(TEST_DATABASE_URL)
    browser_url = url.set(database=f"{url.database}_browser").render_as_string(
        hide_password=False
    )
    ensure_database(browser_url)
    return browser_url


def _create_staff() -> tuple[Account, Account, Account]:
    """Coordinator, admin and referrer: accounts nobody can make through the public pages."""
    from marketplace.auth.services import create_admin_account
    from marketplace.extensions import db
    from marketplace.geo import neighbourhood_for_pc4
    from marketplace.models import Role, User

    admin = Account("beheer@hulppunt-demo.nl", PASSWORD, "Bea Beheer")
    create_admin_account(admin.email, admin.name, admin.password)
    coordinator = Account("coordinator@hulppunt-demo.nl", PASSWORD, "Cor Coördinator")
    referrer = Account("huisarts@hulppunt-demo.nl", PASSWORD, "Dokter Ria Verwijzer")
    for account, role in ((coordinator, Role.COORDINATOR), (referrer, Role.REFERRER)):
        user = User(email=account.email, name=account.name, phone="035 111 22 33")
        user.set_password(account.password)
        user.add_role(role)
        user.neighbourhood = neighbourhood_for_pc4("1211")
        db.session.add(user)
    db.session.flush()
    return coordinator, admin, referrer


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    from marketplace.admin.services import seed_catalogue
    from marketplace.extensions import db

    tmp = tempfile.TemporaryDirectory(prefix="hulppunt-browser-")
    app = make_app(
        SQLALCHEMY_DATABASE_URI=_browser_database_url(Path(tmp.name)),
        WTF_CSRF_ENABLED=True,
        MAIL_ENABLED=False,
        RATELIMIT_ENABLED=False,
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_catalogue()
        coordinator, admin, referrer = _create_staff()
        db.session.commit()
        db.session.remove()
    server = make_server(
        "127.0.0.1", 0, buffered(app), threaded=True, request_handler=QuietRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(
            f"http://127.0.0.1:{server.server_port}", app, coordinator, admin, referrer
        )
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        tmp.cleanup()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'apt-get install -y chromium'")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


def new_page(browser: Any, live_server: LiveServer, viewport: dict[str, int] | None = None) -> Any:
    """A fresh browser context (no cookies) with one page, in Dutch, in Amsterdam."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=viewport or DESKTOP,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    page = new_page(browser, live_server)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    page = new_page(browser, live_server, PHONE)
    yield page
    page.context.close()


@pytest.fixture
def open_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """``open_page(viewport=None)``: more fresh pages in one test (one per person)."""
    pages: list[Any] = []

    def factory(viewport: dict[str, int] | None = None) -> Any:
        opened = new_page(browser, live_server, viewport)
        pages.append(opened)
        return opened

    yield factory
    for opened in pages:
        opened.context.close()


# key -> (kind of help, postcode, neighbourhood, keyboard only, viewport, screenshots).
# Every story has its own kind of help and neighbourhood, so their matching rounds never mix.
STORIES: dict[str, tuple[str, str, str, bool, dict[str, int] | None, bool]] = {
    "muis": ("Boodschappen", "1211 AB", "Centrum", False, None, True),
    "toetsenbord": ("Klusjes in huis", "1221 AB", "Noordoost", True, None, False),
    "telefoon": ("Tuin", "1212 AB", "Oost", False, PHONE, True),
    "axe": ("Computer- en telefoonhulp", "1213 AB", "Zuidoost", False, None, False),
}


@pytest.fixture(scope="session")
def stories() -> dict[str, Any]:
    return {}


@pytest.fixture
def story_for(
    stories: dict[str, Any], live_server: LiveServer, open_page: Callable[..., Any]
) -> Callable[[str], Any]:
    """``story_for(key)``: the story of that key, created the first time it is asked for."""
    from tests.browser.story import Story

    def get(key: str) -> Story:
        if key not in stories:
            category, postcode, neighbourhood, keyboard, viewport, screenshots = STORIES[key]
            stories[key] = Story(
                key, category, postcode, neighbourhood, live_server, open_page,
                keyboard=keyboard, viewport=viewport, screenshots=screenshots,
            )
        stories[key].open_page = open_page  # the pages of each test close after it
        return stories[key]

    return get

"""Redis is optional at run time: with REDIS_URL set and Redis stopped mid-test, logging in
still works (the rate limits move to memory) and /healthz says "degraded" with 200.

Each test runs its own redis-server on a spare port (the shared one on 6379 keeps running).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from marketplace.extensions import limiter
from marketplace.models import User
from tests import factories
from tests.redis_server import RedisServer


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server
    # The limiter is one object for every app of the run: do not hand its "storage is dead,
    # count in memory" state on to the next test's app.
    limiter._storage_dead = False


@pytest.fixture
def app_config(redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """As production: REDIS_URL in the environment, rate limits on (stored in that Redis)."""
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    return {"REDIS_URL": redis_server.url, "RATELIMIT_ENABLED": True}


@pytest.fixture
def annie(db: Any) -> User:
    account = factories.user(email="annie@example.nl")
    db.session.commit()
    return account


def post_login(client: FlaskClient, password: str) -> int:
    data = {"email": "annie@example.nl", "password": password}
    return client.post("/auth/login", data=data).status_code


def test_the_limits_are_kept_in_redis(app: Any, redis_server: RedisServer) -> None:
    assert app.config["RATELIMIT_STORAGE_URI"] == redis_server.url
    assert limiter.storage.check()


def test_logging_in_works_while_redis_is_down(
    client: FlaskClient, annie: User, redis_server: RedisServer
) -> None:
    assert post_login(client, factories.PASSWORD) == 302
    client.post("/auth/logout")
    redis_server.stop()
    started = time.monotonic()
    assert post_login(client, "not-the-password") == 400
    assert post_login(client, factories.PASSWORD) == 302
    assert client.get("/account/").status_code == 200
    client.post("/auth/logout")
    assert time.monotonic() - started < 5, "a dead Redis must not hang the login"


def test_the_limits_still_count_while_redis_is_down(
    client: FlaskClient, annie: User, redis_server: RedisServer
) -> None:
    redis_server.stop()
    for _ in range(10):
        assert post_login(client, "not-the-password") == 400
    assert post_login(client, factories.PASSWORD) == 429
    assert client.post("/auth/forgot", data={"email": "annie@example.nl"}).status_code == 302


def test_healthz_reports_redis(client: FlaskClient, redis_server: RedisServer) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}
    redis_server.stop()
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded", "database": "ok", "redis": "down"}

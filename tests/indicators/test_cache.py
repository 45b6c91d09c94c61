"""The dashboard, the downloads and the report of one selection share one computation for a
few minutes (Redis); without Redis every page computes its own figures, never an error."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import redis

from marketplace.models import RequestSource, RequestStatus, Role
from tests import factories
from tests.indicators import fixture
from tests.redis_server import RedisServer

H1 = "periode=2026-H1"


@pytest.fixture
def app_config(own_redis: RedisServer) -> dict[str, Any]:
    return {"REDIS_URL": own_redis.url, "RQ_QUEUE": f"hulppunt-test-{uuid.uuid4().hex[:12]}",
            "INDICATORS_CACHE_SECONDS": 60}


@pytest.fixture(autouse=True)
def empty_redis(own_redis: RedisServer) -> None:
    """Each test starts with its own Redis up and holding nothing."""
    try:
        redis.Redis.from_url(own_redis.url).flushall()
    except redis.ConnectionError:
        own_redis.start()


@pytest.fixture
def world(db) -> dict[str, Any]:
    built = fixture.build()
    db.session.commit()
    return built


def _one_more_request(db, world: dict[str, Any]) -> None:
    fixture._request(fixture.utc(2026, 3, 1, 9, 0), RequestSource.ONLINE, RequestStatus.OPEN,
                     "1211", "boodschappen", world["centrum"])
    db.session.commit()


def test_the_downloads_reuse_the_dashboards_figures_until_they_expire(
        db, world, own_redis: RedisServer, login) -> None:
    client = login(factories.user(Role.MUNICIPALITY))
    page = client.get(f"/indicators/?{H1}").get_data(as_text=True)
    assert "Cijfers berekend op" in page
    before = client.get(f"/indicators/export.csv?{H1}").get_data(as_text=True)

    _one_more_request(db, world)
    kept = client.get(f"/indicators/export.csv?{H1}").get_data(as_text=True)
    assert kept == before  # the same figures, computed once

    own_redis.stop()  # Redis away: the page computes the figures itself
    fresh = client.get(f"/indicators/export.csv?{H1}")
    assert fresh.status_code == 200
    assert fresh.get_data(as_text=True) != before
    assert client.get(f"/indicators/?{H1}").status_code == 200


def test_the_tick_computes_the_first_opened_figures_ahead(db, world, own_redis, login) -> None:
    from marketplace.notifications.schedule import tick

    tick(fixture.utc(2026, 7, 15, 9, 0))  # the previous half year is 2026-H1
    client = login(factories.user(Role.MUNICIPALITY))
    _one_more_request(db, world)
    page = client.get(f"/indicators/export.csv?{H1}").get_data(as_text=True)
    assert "Totaal;10\r\n" in page  # computed by the tick, before the eleventh request
    redis.Redis.from_url(own_redis.url).flushall()
    assert "Totaal;11\r\n" in client.get(f"/indicators/export.csv?{H1}").get_data(as_text=True)


def test_the_tick_computes_the_current_and_previous_year_ahead_too(
        db, world, own_redis, login) -> None:
    from marketplace.notifications.schedule import tick

    tick(fixture.utc(2027, 1, 15, 9, 0))  # the previous year is 2026 (11 requests)
    client = login(factories.user(Role.MUNICIPALITY))
    _one_more_request(db, world)
    page = client.get("/indicators/export.csv?periode=2026").get_data(as_text=True)
    assert "Totaal;11\r\n" in page  # computed by the tick, before the twelfth request
    redis.Redis.from_url(own_redis.url).flushall()
    assert "Totaal;12\r\n" in client.get(
        "/indicators/export.csv?periode=2026").get_data(as_text=True)


def test_an_unreadable_kept_entry_is_computed_anew(db, world, own_redis, login) -> None:
    client = login(factories.user(Role.MUNICIPALITY))
    assert "Totaal;10\r\n" in client.get(f"/indicators/export.csv?{H1}").get_data(as_text=True)
    _one_more_request(db, world)
    kept = redis.Redis.from_url(own_redis.url)
    for key in kept.scan_iter("hulppunt:indicators:*"):
        # A class an older release had (pickle names it; loading it fails).
        kept.set(key, b"cmarketplace.indicators.tables\nTableOfAnOlderRelease\n.")
    page = client.get(f"/indicators/export.csv?{H1}")
    assert page.status_code == 200
    assert "Totaal;11\r\n" in page.get_data(as_text=True)

"""make run without Redis: after a response, at most once a minute, a tick is asked for
through the outbox and runs in the same process (no scheduler to set up)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from marketplace.models import OutboxMessage
from marketplace.notifications import schedule


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"NOTIFICATIONS_TICK_ON_REQUESTS": True}


def _ticks(db) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == schedule.OUTBOX_KIND)))


def test_a_page_view_runs_a_due_tick_once_a_minute(db, client, monkeypatch) -> None:
    monkeypatch.setattr(schedule, "_last_check", [float("-inf")])

    response = client.get("/")
    response.close()  # the server closes the response once it was sent
    assert [row.status for row in _ticks(db)] == ["done"]

    client.get("/").close()  # within the minute: not even a look at the database
    monkeypatch.setattr(schedule, "_last_check", [float("-inf")])
    client.get("/").close()  # another process: the outbox row says one ran a moment ago
    assert len(_ticks(db)) == 1


def test_off_by_default_in_tests_and_with_redis(app) -> None:
    from marketplace.config import load_config

    assert load_config({"HULPPUNT_ENV": "testing"})["NOTIFICATIONS_TICK_ON_REQUESTS"] is False

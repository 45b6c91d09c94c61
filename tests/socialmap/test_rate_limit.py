"""Suggesting corrections needs no login, so it is rate-limited per visitor."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from marketplace.models import Suggestion
from tests.socialmap import helpers


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
            "SOCIAL_MAP_SUGGESTION_LIMIT": "2 per hour"}


def test_suggestions_are_rate_limited(client, db) -> None:
    service = helpers.service(name="Repair Café")
    db.session.commit()
    url = f"/sociale-kaart/dienst/{service.uuid}/correctie"
    for _ in range(2):
        assert client.post(url, data={"message": "Nieuw adres"}).status_code == 303
    assert client.post(url, data={"message": "Nog een"}).status_code == 429
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suggestion)) == 2
    assert client.get(f"/sociale-kaart/dienst/{service.uuid}").status_code == 200

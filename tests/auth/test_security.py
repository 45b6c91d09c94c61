"""CSRF on every form, and rate limits on login, registration and password reset."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests import factories


class TestCsrf:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/auth/forgot"])
    def test_post_without_token_gives_friendly_400(self, client: FlaskClient, path: str) -> None:
        response = client.post(path, data={"email": "a@example.nl", "password": "x" * 12})
        assert response.status_code == 400
        assert "Het formulier is verlopen" in response.get_data(as_text=True)

    def test_logout_without_token_is_refused(self, client: FlaskClient, login: Any,
                                             db: Any) -> None:
        login(factories.user())
        db.session.commit()
        assert client.post("/auth/logout").status_code == 400
        assert client.get("/account/").status_code == 200

    def test_login_with_token_works(self, client: FlaskClient, db: Any) -> None:
        factories.user(email="annie@example.nl")
        db.session.commit()
        html = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert token is not None
        response = client.post("/auth/login", data={
            "csrf_token": token.group(1), "email": "annie@example.nl",
            "password": factories.PASSWORD,
        })
        assert response.status_code == 302


class TestRateLimits:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    @pytest.mark.parametrize(
        ("path", "data", "advice"),
        [
            # Logins count failures only (tests/auth/test_login_throttle.py).
            ("/auth/login", {"email": "a@example.nl", "password": "wrong-password"},
             "Probeer het over 15 minuten opnieuw"),
            ("/auth/forgot", {"email": "a@example.nl"}, "Wacht een paar minuten"),
            ("/auth/register", {"name": "A"}, "Wacht een paar minuten"),
        ],
    )
    def test_too_many_posts_get_friendly_429(
        self, client: FlaskClient, path: str, data: dict[str, str], advice: str
    ) -> None:
        for _ in range(10):
            assert client.post(path, data=data).status_code != 429
        response = client.post(path, data=data)
        assert response.status_code == 429
        html = response.get_data(as_text=True)
        assert "Even rustig aan" in html
        assert advice in html

    def test_get_is_not_limited(self, client: FlaskClient) -> None:
        for _ in range(15):
            assert client.get("/auth/login").status_code == 200

"""Safe ``next`` redirects, session cookie flags and the database-down answers."""

from __future__ import annotations

import pytest
from flask import Flask

from marketplace.redirects import safe_next_url
from tests.conftest import make_app

HOSTILE = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/path",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "///evil.example",
    "evil.example",
    "ftp://evil.example",
    "/" + "a" * 5000,
    "",
    None,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_next_goes_home(app: Flask, target: str | None) -> None:
    with app.test_request_context():
        assert safe_next_url(target) == "/"


@pytest.mark.parametrize("target", ["/requests/", "/requests/3?tab=x", "/account/#top"])
def test_local_next_is_kept(app: Flask, target: str) -> None:
    with app.test_request_context():
        assert safe_next_url(target) == target


def test_language_switch_refuses_open_redirect(client) -> None:
    for target in ("//evil.example", "https://evil.example", "/\\evil.example"):
        response = client.post("/taal", data={"locale": "en", "next": target})
        assert response.status_code == 302
        assert response.headers["Location"] in ("/", "http://localhost/")


def test_session_cookie_flags_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = make_app(HULPPUNT_ENV="production", TESTING=False, SESSION_COOKIE_SECURE=True,
                   REMEMBER_COOKIE_SECURE=True)
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True

    @app.get("/_set")
    def set_session():  # type: ignore[no-untyped-def]
        from flask import session

        session["x"] = 1
        return "ok"

    cookie = app.test_client().get("/_set").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=Lax" in cookie


def test_production_secure_cookie_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from marketplace.config import load_config

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    config = load_config({"HULPPUNT_ENV": "production"})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True


def test_unsafe_cookie_config_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(RuntimeError, match="SESSION_COOKIE_HTTPONLY"):
        make_app(HULPPUNT_ENV="production", SESSION_COOKIE_HTTPONLY=False)

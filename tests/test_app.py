"""The factory and configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketplace import create_app, warm_up
from marketplace.config import ConfigError, load_config


def test_production_refuses_to_start_without_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HULPPUNT_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_with_secret_key_uses_secure_cookies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HULPPUNT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/hulppunt")
    config = load_config()
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/hulppunt"


def test_production_workers_need_the_public_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HULPPUNT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(ConfigError, match="SITE_URL"):
        load_config()
    monkeypatch.setenv("SITE_URL", "https://hulppunt.example.nl")
    assert load_config()["SITE_URL"] == "https://hulppunt.example.nl"


def test_development_defaults_to_sqlite_in_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HULPPUNT_ENV", "development")
    config = load_config()
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SQLALCHEMY_DATABASE_URI"].endswith("instance/hulppunt.sqlite3")
    assert config["SESSION_COOKIE_SECURE"] is False


def test_redis_url_switches_rate_limit_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HULPPUNT_ENV", "testing")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert load_config()["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    monkeypatch.delenv("REDIS_URL")
    assert load_config()["RATELIMIT_STORAGE_URI"] == "memory://"


def test_testing_app_is_in_testing_mode(app) -> None:  # type: ignore[no-untyped-def]
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "nl"


def test_every_blueprint_is_registered(app) -> None:  # type: ignore[no-untyped-def]
    expected = {"pages", "auth", "account", "requests", "volunteers", "referrals", "staff",
                "admin", "matches", "concerns", "privacy"}
    assert expected <= set(app.blueprints)


def test_unknown_page_is_a_friendly_404_in_dutch(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)



def test_warm_up_compiles_every_template(app) -> None:  # type: ignore[no-untyped-def]
    templates = [
        path for path in (Path(app.root_path).parent / "templates").rglob("*")
        if path.suffix in (".html", ".txt")
    ]
    warm_up(app)
    assert len(templates) >= 60
    assert len(app.jinja_env.cache) >= len(templates)


@pytest.mark.parametrize("value", ["9223372036854775808", "2147483648", "0", "-1", "٣"])
def test_ids_out_of_the_database_range_are_not_found(client, value: str) -> None:
    """Every route with an id answers 404 for an id no row can have (it was a 500 from the
    SQLite driver for 2**63 and from PostgreSQL for 2**31)."""
    from werkzeug.routing import IntegerConverter

    app = client.application
    checked = 0
    for rule in app.url_map.iter_rules():
        ids = [name for name, conv in rule._converters.items()
               if isinstance(conv, IntegerConverter)]
        if not ids:
            continue
        path = rule.rule
        for name in rule.arguments:
            placeholder = next(part for part in path.split("/") if f":{name}>" in part)
            path = path.replace(placeholder, value if name in ids else "x")
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        response = client.open(path, method=method)
        assert response.status_code == 404, (rule.endpoint, path, response.status_code)
        checked += 1
    assert checked >= 15

"""Public pages, the language switch, the health check and the security headers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_app

PUBLIC_PAGES = ["/", "/privacy", "/hulp-bij-nood", "/toegankelijkheid"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_renders_in_dutch_with_one_h1(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert html.count("<h1") == 1
    assert 'href="#main"' in html  # skip link
    assert "Hulp bij nood" in html  # the footer link on every page


def test_home_offers_both_ways_in(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "Hulp vragen" in html
    assert "Vrijwilliger worden" in html


def test_emergency_page_lists_crisis_numbers_and_is_not_a_crisis_service(
    client: FlaskClient,
) -> None:
    html = client.get("/hulp-bij-nood").get_data(as_text=True)
    for number in ("0800 2000", "112", "113", "0800 0113"):
        assert number in html
    assert "Veilig Thuis" in html
    assert "geen crisisdienst" in html


def test_privacy_and_accessibility_pages_have_their_content(client: FlaskClient) -> None:
    assert "Hoe wij met uw gegevens omgaan" in client.get("/privacy").get_data(as_text=True)
    assert "WCAG 2.1" in client.get("/toegankelijkheid").get_data(as_text=True)


def test_language_switch_sets_english(client: FlaskClient) -> None:
    response = client.post("/taal", data={"locale": "en", "next": "/privacy"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/privacy")
    html = client.get("/privacy").get_data(as_text=True)
    assert '<html lang="en">' in html
    # The switch now offers Dutch, labelled in Dutch.
    assert 'lang="nl">Nederlands</button>' in html


def test_language_switch_back_to_dutch(client: FlaskClient) -> None:
    client.post("/taal", data={"locale": "en", "next": "/"})
    client.post("/taal", data={"locale": "nl", "next": "/"})
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client: FlaskClient) -> None:
    client.post("/taal", data={"locale": "xx", "next": "/"})
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "unsafe_next", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_language_switch_never_redirects_off_site(client: FlaskClient, unsafe_next: str) -> None:
    response = client.post("/taal", data={"locale": "en", "next": unsafe_next})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in ("/", "http://localhost/")


def test_language_is_remembered_on_the_account(
    client: FlaskClient, login: Any, db: Any
) -> None:
    from tests import factories

    user = factories.user("resident")
    db.session.commit()
    login(user)
    client.post("/taal", data={"locale": "en", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"


def test_healthz_reports_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_is_unreachable() -> None:
    broken = make_app(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.is_json
    assert response.get_json()["status"] != "ok"


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/healthz", "/does-not-exist"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"]


def test_not_found_page_is_friendly(client: FlaskClient) -> None:
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Pagina niet gevonden" in html
    assert "Naar de startpagina" in html


def test_templates_have_no_inline_scripts_or_styles(app: Flask) -> None:
    from pathlib import Path

    templates = Path(app.root_path).parent / "templates"
    for template in templates.rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text, template
        assert " style=" not in text, template
        assert "<style" not in text, template


def test_flash_messages_are_announced(app: Flask, client: FlaskClient) -> None:
    from flask import flash, render_template_string

    with app.test_request_context("/"):
        flash("Opgeslagen.", "success")
        flash("Dat ging mis.", "error")
        html = render_template_string("{% extends 'base.html' %}")
    assert re.search(r'<div class="flashes" role="status"><p class="flash flash-success[ "][^>]*>'
                     r'Opgeslagen.', html)
    assert re.search(r'<div class="flashes" role="alert"><p class="flash flash-error[ "][^>]*>'
                     r'Dat ging mis.', html)


def test_dates_are_dutch_in_amsterdam_time(app: Flask) -> None:
    from datetime import UTC, datetime

    from marketplace.templating import nl_datetime

    with app.test_request_context("/"):
        text = nl_datetime(datetime(2025, 7, 1, 22, 30, tzinfo=UTC))
    assert "2 jul" in text  # 22:30 UTC is already the next day in Amsterdam (summer time)
    assert "00:30" in text

"""Security headers on every response of every GET route, for guests and staff."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.security.test_authz_matrix import GET_RULES, request_as, url_for_rule
from tests.security.world import build_world


def assert_headers(response, label: str) -> None:  # type: ignore[no-untyped-def]
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, label
    assert "script-src 'self'" in csp, label
    assert "unsafe-inline" not in csp, label
    assert headers.get("X-Content-Type-Options") == "nosniff", label
    assert headers.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin",
                                              "no-referrer"), label


def test_headers_on_every_route(app: Flask, client: FlaskClient) -> None:
    world = build_world()
    for rule in GET_RULES:
        url = url_for_rule(rule, world.ids)
        for kind in ("anonymous", "resident", "admin"):
            response = request_as(client, world, kind, "GET", url)
            assert_headers(response, f"GET {url} as {kind}")


def test_headers_on_errors_and_static(client: FlaskClient) -> None:
    for url in ("/does-not-exist", "/static/css/hulppunt.css", "/healthz"):
        with client.get(url) as response:
            assert_headers(response, url)
    assert_headers(client.post("/"), "405")


def test_pages_have_no_inline_script(app: Flask, client: FlaskClient) -> None:
    world = build_world()
    for rule in GET_RULES:
        url = url_for_rule(rule, world.ids)
        response = request_as(client, world, "admin", "GET", url)
        if response.mimetype != "text/html":
            continue
        body = response.get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", body):
            assert "src=" in tag, f"inline script on {url}"
        assert " style=" not in body, f"style attribute on {url}"
        assert " onclick=" not in body.lower(), f"inline handler on {url}"

"""With CSRF on, every state-changing request without a token is refused (400)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.security.test_authz_matrix import RULES, request_as, url_for_rule
from tests.security.world import build_world, snapshot


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


#: POSTs that carry their own proof instead of a CSRF token, and the answer they give to a
#: forged one: the digest's one-click unsubscribe (RFC 8058; a mail program has no session,
#: the signed token in the address is the proof).
OWN_PROOF = {"unsubscribe.unsubscribe": 404}


def test_every_post_without_token_is_refused(app: Flask, client: FlaskClient) -> None:
    world = build_world()
    failures = []
    for rule in RULES:
        if "POST" not in (rule.methods or set()):
            continue
        url = url_for_rule(rule, world.ids)
        refused = OWN_PROOF.get(rule.endpoint, 400)
        for kind in ("anonymous", "resident", "admin"):
            before = snapshot()
            response = request_as(client, world, kind, "POST", url)
            if response.status_code != refused or snapshot() != before:
                failures.append(f"POST {url} as {kind}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_csrf_error_is_a_friendly_page(app: Flask, client: FlaskClient) -> None:
    response = client.post("/auth/login", data={"email": "a@b.nl", "password": "x"})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_token_from_the_page_is_accepted(app: Flask, client: FlaskClient) -> None:
    import re

    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert token is not None
    response = client.post("/taal", data={"csrf_token": token.group(1), "locale": "en"})
    assert response.status_code == 302

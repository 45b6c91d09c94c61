"""Login limits behind a reverse proxy: failures count per account and per client address,
successful logins do not count, and a locked account opens again by itself or through a
password reset."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from flask import request
from flask.testing import FlaskClient

from marketplace.auth.tokens import make_reset_token
from marketplace.models import User
from tests import factories
from tests.conftest import make_app

PROXY = "10.0.0.1"
ANNIE_PC = "203.0.113.7"
BOB_PC = "198.51.100.9"
LIBRARY_PC = "192.0.2.44"
WRONG = "not-the-password"
NEW_PASSWORD = "een-heel-nieuw-wachtwoord"
ACCOUNT_PAUSED = "Er is te vaak een verkeerd wachtwoord ingevuld bij dit e-mailadres"
ADDRESS_PAUSED = "Er is vanaf deze verbinding te vaak een verkeerd wachtwoord ingevuld"
PAUSE_MINUTES = 15  # the window of both limits (throttle.LOCK_MINUTES)


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "TRUSTED_PROXY_COUNT": 1,
    }


@pytest.fixture
def annie(db: Any) -> User:
    account = factories.user(email="annie@example.nl")
    db.session.commit()
    return account


@pytest.fixture
def bob(db: Any) -> User:
    account = factories.user(email="bob@example.nl")
    db.session.commit()
    return account


def post_login(client: FlaskClient, client_address: str, email: str, password: str) -> Any:
    """A login POST as the reverse proxy passes it on: from the proxy, for ``client_address``."""
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        headers={"X-Forwarded-For": client_address},
        environ_base={"REMOTE_ADDR": PROXY},
    )


def test_failures_for_one_account_do_not_stop_another_client(
    client: FlaskClient, annie: User, bob: User
) -> None:
    """Behind one trusted proxy, 20 failed logins for Annie from one client leave Bob, at
    another address, free to log in (before: one limit for everybody behind the proxy)."""
    answers = [post_login(client, ANNIE_PC, "annie@example.nl", WRONG).status_code
               for _ in range(20)]
    assert answers[:10] == [400] * 10
    assert set(answers[10:]) == {429}
    response = post_login(client, BOB_PC, "bob@example.nl", factories.PASSWORD)
    assert response.status_code == 302


def test_the_pause_is_friendly_and_shows_the_form(client: FlaskClient, annie: User) -> None:
    for _ in range(10):
        post_login(client, ANNIE_PC, "annie@example.nl", WRONG)
    response = post_login(client, ANNIE_PC, "annie@example.nl", WRONG)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Even rustig aan" in html
    assert ACCOUNT_PAUSED in html
    assert "15 minuten" in html
    assert 'name="password"' in html  # the form, not a dead end


def test_a_locked_form_says_the_same_for_unknown_addresses(
    client: FlaskClient, annie: User
) -> None:
    """The pause tells a stranger nothing: the same answer for an address without account."""
    pages = {}
    for email in ("annie@example.nl", "nobody@example.nl"):
        for _ in range(10):
            post_login(client, ANNIE_PC, email, WRONG)
        response = post_login(client, LIBRARY_PC, email, WRONG)
        assert response.status_code == 429
        pages[email] = response.get_data(as_text=True).replace(email, "EMAIL")
    assert pages["annie@example.nl"] == pages["nobody@example.nl"]


def test_a_locked_account_waits_even_with_the_right_password(
    client: FlaskClient, annie: User
) -> None:
    for _ in range(10):
        post_login(client, ANNIE_PC, "annie@example.nl", WRONG)
    response = post_login(client, LIBRARY_PC, "annie@example.nl", factories.PASSWORD)
    assert response.status_code == 429
    assert client.get("/account/").status_code == 302


def test_successful_logins_do_not_count(client: FlaskClient, annie: User) -> None:
    """A busy morning behind one address: 30 logins in a row all work."""
    for _ in range(30):
        assert post_login(client, LIBRARY_PC, "annie@example.nl", factories.PASSWORD
                          ).status_code == 302
        client.post("/auth/logout")
    assert post_login(client, LIBRARY_PC, "annie@example.nl", WRONG).status_code == 400


def test_failures_per_address_pause_that_address_only(
    client: FlaskClient, annie: User, bob: User
) -> None:
    """Guessing across many accounts from one address pauses that address (20 failures)."""
    for number in range(20):
        assert post_login(client, LIBRARY_PC, f"guess{number}@example.nl", WRONG
                          ).status_code == 400
    response = post_login(client, LIBRARY_PC, "bob@example.nl", factories.PASSWORD)
    assert response.status_code == 429
    assert ADDRESS_PAUSED in response.get_data(as_text=True)
    assert post_login(client, ANNIE_PC, "annie@example.nl", factories.PASSWORD
                      ).status_code == 302


def test_the_account_opens_after_a_password_reset(
    client: FlaskClient, annie: User
) -> None:
    for _ in range(10):
        post_login(client, ANNIE_PC, "annie@example.nl", WRONG)
    assert post_login(client, LIBRARY_PC, "annie@example.nl", factories.PASSWORD
                      ).status_code == 429
    token = make_reset_token(annie)
    response = client.post(f"/auth/reset/{token}",
                           data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                           headers={"X-Forwarded-For": LIBRARY_PC},
                           environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 302
    assert post_login(client, LIBRARY_PC, "annie@example.nl", NEW_PASSWORD).status_code == 302


def test_the_account_opens_by_itself_after_the_window(
    client: FlaskClient, annie: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import limits.storage.memory

    for _ in range(10):
        post_login(client, ANNIE_PC, "annie@example.nl", WRONG)
    assert post_login(client, ANNIE_PC, "annie@example.nl", factories.PASSWORD
                      ).status_code == 429
    later = time.time() + PAUSE_MINUTES * 60 + 1
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=lambda: later))
    assert post_login(client, ANNIE_PC, "annie@example.nl", factories.PASSWORD
                      ).status_code == 302


def test_without_a_trusted_proxy_forwarded_headers_are_ignored() -> None:
    """With TRUSTED_PROXY_COUNT 0 (the default) a client cannot choose its own address."""
    direct = make_app()
    with direct.test_request_context(
        "/", headers={"X-Forwarded-For": ANNIE_PC}, environ_base={"REMOTE_ADDR": PROXY}
    ):
        assert request.remote_addr == PROXY
    behind_proxy = make_app(TRUSTED_PROXY_COUNT=1)
    environ = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ANNIE_PC,
               "HTTP_X_FORWARDED_PROTO": "https"}
    seen: dict[str, Any] = {}

    @behind_proxy.get("/_whoami")
    def whoami() -> str:
        seen.update(address=request.remote_addr, secure=request.is_secure)
        return ""

    behind_proxy.test_client().get("/_whoami", environ_base=environ)
    assert seen == {"address": ANNIE_PC, "secure": True}

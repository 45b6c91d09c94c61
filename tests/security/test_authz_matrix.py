"""The authorisation matrix, generated from the app's URL map.

Every rule (except ``static``) x every kind of user gets the answer the expectation table in
``policies.py`` promises. A new route without an expectation fails
``test_every_endpoint_has_an_expectation`` with "add an expectation for <endpoint>".

Coordinators of another neighbourhood: the meldpunt is central, so a coordinator sees every
neighbourhood (and filters by their own). The world's coordinator works in Oost and reaches the
objects of Centrum; residents, volunteers and referrers reach only their own objects.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from marketplace.extensions import db
from tests.conftest import make_app
from tests.security.data import login_as
from tests.security.policies import ANY, LOGIN, expectation
from tests.security.world import KINDS, World, build_world, snapshot

UNKNOWN_ID = 987654


def all_rules() -> list[Rule]:
    app = make_app()
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    return sorted(rules, key=lambda rule: (rule.endpoint, rule.rule))


RULES = all_rules()


def url_for_rule(rule: Rule, ids: dict[str, Any]) -> str:
    """The rule's path with the world's object for each argument (KeyError if unknown)."""
    path = rule.rule
    for argument in rule.arguments:
        if argument not in ids:
            raise KeyError(f"add a value for the URL argument <{argument}> in world.py")
        converter = rule._converters[argument]  # noqa: SLF001 - only the name is needed
        pattern = f"<{argument}>"
        for name in ("int", "string", "path", "any", "uuid"):
            path = path.replace(f"<{name}:{argument}>", pattern)
        del converter
        path = path.replace(pattern, str(ids[argument]))
    return path


def method_of(rule: Rule) -> str:
    methods = rule.methods or set()
    return "GET" if "GET" in methods else "POST"


def check(response: Any, wanted: Any, label: str) -> None:
    status = response.status_code
    assert status < 500, f"{label}: server error {status}"
    if wanted == ANY:
        return
    if wanted == LOGIN:
        assert status == 302, f"{label}: expected a redirect to login, got {status}"
        assert "/auth/login" in response.headers["Location"], label
        return
    assert status in wanted, f"{label}: expected {sorted(wanted)}, got {status}"


def request_as(client: FlaskClient, world: World, kind: str, method: str, url: str) -> Any:
    login_as(client, _user(world, kind))
    response = client.open(url, method=method, data={})
    db.session.rollback()  # as at the end of a real request: nothing half-done survives
    return response


def _user(world: World, kind: str) -> Any:
    from marketplace.models import User

    user_id = world.user_ids[kind]
    return None if user_id is None else db.session.get(User, user_id)


def _allowed_post(wanted: Any) -> bool:
    return wanted == ANY or (isinstance(wanted, frozenset) and 200 in wanted)


def test_every_endpoint_has_an_expectation() -> None:
    missing = []
    for rule in RULES:
        try:
            expectation(rule.endpoint)
        except KeyError:
            missing.append(rule.endpoint)
    assert not missing, "add an expectation for " + ", ".join(sorted(set(missing)))


def test_every_url_argument_has_a_value(app: Flask) -> None:
    world = build_world()
    for rule in RULES:
        url_for_rule(rule, world.ids)


GET_RULES = [rule for rule in RULES if method_of(rule) == "GET"]
POST_RULES = [rule for rule in RULES if method_of(rule) == "POST"]


def test_get_matrix(app: Flask, client: FlaskClient) -> None:
    """Every GET rule x every kind of user, on one world (GETs change nothing)."""
    world = build_world()
    failures = []
    for rule in GET_RULES:
        try:
            policy = expectation(rule.endpoint)
        except KeyError:
            continue  # reported by test_every_endpoint_has_an_expectation
        url = url_for_rule(rule, world.ids)
        for kind in KINDS:
            response = request_as(client, world, kind, "GET", url)
            try:
                check(response, policy[kind], f"{rule.endpoint}: GET {url} as {kind}")
            except AssertionError as error:
                failures.append(str(error).splitlines()[0])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda rule: rule.endpoint)
def test_post_matrix(app: Flask, client: FlaskClient, rule: Rule) -> None:
    """POST-only rules: refused users first (nothing may change), then allowed ones."""
    try:
        policy = expectation(rule.endpoint)
    except KeyError:
        pytest.skip("no expectation yet (test_every_endpoint_has_an_expectation fails)")
    world = build_world()
    url = url_for_rule(rule, world.ids)
    refused = [kind for kind in KINDS if not _allowed_post(policy[kind])]
    allowed = [kind for kind in KINDS if _allowed_post(policy[kind])]
    for kind in refused:
        before = snapshot()
        response = request_as(client, world, kind, "POST", url)
        check(response, policy[kind], f"POST {url} as {kind}")
        assert snapshot() == before, f"POST {url} as {kind} changed the database"
    for kind in allowed:
        response = request_as(client, world, kind, "POST", url)
        assert response.status_code < 500, f"POST {url} as {kind}: {response.status_code}"


def test_guessed_ids_are_not_found(app: Flask, client: FlaskClient) -> None:
    """Ids that do not exist give 404 (or 403 to users who may not use the page at all),
    and change nothing."""
    world = build_world()
    ids = {key: (UNKNOWN_ID if key.endswith("_id") else value) for key, value in world.ids.items()}
    failures = []
    for rule in RULES:
        if not any(argument.endswith("_id") for argument in rule.arguments):
            continue
        url = url_for_rule(rule, ids)
        for kind in ("resident", "volunteer", "coordinator", "admin"):
            before = snapshot()
            response = request_as(client, world, kind, method_of(rule), url)
            if response.status_code not in (403, 404) or snapshot() != before:
                failures.append(f"{method_of(rule)} {url} as {kind}: {response.status_code}")
    assert not failures, "\n".join(failures)

"""Hostile and random values posted to every form: never a 500, and a rejected submission
changes nothing.

Field names are found by reading the pages that show each form (``forms.discover``); POST
endpoints without a visible form get a table of likely names. Each endpoint is posted to by a
user who may use it (see ``policies.py``), so the values reach the validation, not the door.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from marketplace.extensions import db
from tests.security.data import login_as
from tests.security.forms import discover
from tests.security.policies import ANY, expectation
from tests.security.test_authz_matrix import GET_RULES, RULES, _user, url_for_rule
from tests.security.world import KINDS, World, build_world, row_counts

MAX_EXAMPLES = 12
EXTRA_FIELDS = ("reason", "note", "comment", "rating", "hours", "message", "locale", "next")
HOSTILE = [
    "", " ", "\x00", "abc\x00def", "A" * 10_000, "' OR 1=1 --", "'; DROP TABLE users; --",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "-1", "0",
    "99999999999999999999999", "1e309", "NaN", "sNaN", "Infinity", "inf", "2024-13-45",
    "0000-00-00", "9999-12-31",
    "1900-01-01", "true", "on", "y", "[]", "{}", "null", "../../etc/passwd", "\u202e",
    "😀" * 300, "mon-morning", "1211 AB", "9999 ZZ", "a@b", "x@example.nl", "%s%s%n",
]
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
POST_RULES = [rule for rule in RULES if "POST" in (rule.methods or set())]
_FIELDS: dict[str, set[str]] = {}


def _fields_by_endpoint(app: Flask, client: FlaskClient, world: World) -> dict[str, set[str]]:
    """Discovered once per run: ``{endpoint: field names}``."""
    if not _FIELDS:
        urls = [url_for_rule(rule, world.ids) for rule in GET_RULES]
        adapter = app.url_map.bind("localhost")
        for path, names in discover(client, world, urls, KINDS).items():
            try:
                endpoint, _args = adapter.match(path, method="POST")
            except HTTPException:
                continue
            _FIELDS.setdefault(endpoint, set()).update(names)
        _FIELDS.setdefault("_discovered", set()).add("yes")
    return _FIELDS


def _poster(endpoint: str) -> str:
    """A kind of user allowed to use ``endpoint`` (admin when nobody in particular)."""
    policy = expectation(endpoint)
    for kind in KINDS:
        wanted = policy[kind]
        if wanted == ANY or (isinstance(wanted, frozenset) and 200 in wanted):
            return kind
    return "admin"


def _rejected(response: Any) -> bool:
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200 and response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        return "error-summary" in body or "error-message" in body
    return False


def payloads(fields: set[str]) -> st.SearchStrategy[dict[str, Any]]:
    names = sorted(fields) + ["unexpected_field"]
    return st.dictionaries(
        st.sampled_from(names), st.one_of(VALUE, st.lists(VALUE, max_size=3)),
        max_size=len(names),
    )


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda rule: rule.endpoint)
def test_fuzz_post(app: Flask, client: FlaskClient, rule: Rule) -> None:
    world = build_world()
    fields = _fields_by_endpoint(app, client, world).get(rule.endpoint) or set(EXTRA_FIELDS)
    url = url_for_rule(rule, world.ids)
    kind = _poster(rule.endpoint)

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(payload=payloads(fields))
    def post(payload: dict[str, Any]) -> None:
        login_as(client, _user(world, kind))
        before = row_counts()
        response = client.post(url, data=payload)
        db.session.rollback()
        assert response.status_code < 500, f"{url} as {kind} with {payload!r}"
        body = response.get_data(as_text=True)
        assert "Traceback" not in body
        if _rejected(response):
            assert row_counts() == before, f"{url} changed rows on a rejected {payload!r}"

    post()


def test_forms_were_discovered() -> None:
    """Guards the discovery itself: the main forms are found with their fields."""
    if not _FIELDS:
        pytest.skip("runs after the fuzz tests")
    assert "message" in _FIELDS.get("concerns.new_concern", set())

"""Hostile addresses on every route in the URL map: never a 5xx, and a bad filter is ignored.

For each rule (except ``static``) and each kind of user, hypothesis builds addresses from the
world's real ids mixed with hostile path arguments (huge, negative, zero, other scripts'
digits, text) and hostile values for the query parameters the views read
(``QUERY_PARAMETERS``, one table; ``test_the_table_names_every_parameter_the_code_reads``
keeps it complete). NUL bytes are left out: they are refused (400) before any view runs
(``security.refuse_nul_bytes``, tested in ``test_fuzz_forms``).

A GET of one of the world's own objects answers with the same status with or without the
hostile query string: a filter that does not fit is ignored, never a 400, 404 or 500.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from tests.security.test_authz_matrix import RULES, request_as
from tests.security.world import World, build_world

ROLES = ("anonymous", "resident", "volunteer", "referrer", "coordinator", "admin")
#: Generated examples per rule and role, after the explicit ones (``_explicit``).
EXAMPLES = 2
EXAMPLES_WITH_QUERY = 4

#: The query parameters each endpoint reads. ``lang`` is read on every page (``i18n``).
QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "staff.dashboard": ("bellen",),
    "staff.phone_calls": ("bellen",),
    "notifications.mark_phoned": ("terug", "bellen"),
    "matches.open_requests": ("toon",),
    "staff.queue": ("wijk", "page"),
    "staff.list_requests": ("wijk", "page", "status"),
    "staff.list_volunteers": ("wijk", "pending", "q"),
    "staff.search_all": ("q",),
    "concerns.list_concerns": ("wijk", "status"),
    "concerns.new_concern": ("request", "match"),
    "privacy.audit_log": ("action", "page", "persoon", "van", "tot"),
    "admin.list_users": ("q",),
    "auth.login": ("next",),
    "auth.register": ("volunteer", "mantelzorger"),
    "carers.self_check": ("cares", "hours", "months"),
    "notifications.list_notifications": ("page",),
    "notifications.mark_read": ("page",),
    "tasks.list_all": ("wijk", "soort", "te_laat"),
    "socialmap.directory": ("q", "soort", "wijk", "page"),
    "hsds.list_services": ("search", "taxonomy_term_id", "taxonomy_id", "organization_id",
                           "modified_after", "page", "per_page", "full"),
    "hsds.list_organizations": ("search", "page", "per_page", "full", "full_service"),
    "hsds.list_service_at_locations": ("search", "taxonomy_term_id", "taxonomy_id",
                                       "organization_id", "modified_after", "page", "per_page"),
    "hsds.list_taxonomy_terms": ("search", "taxonomy_id", "top_only", "page", "per_page"),
    "hsds.list_taxonomies": ("page", "per_page"),
    "indicators.dashboard": ("periode", "van", "tot", "wijk", "kaart"),
    "indicators.export_csv": ("periode", "van", "tot", "wijk"),
    "indicators.export_xlsx": ("periode", "van", "tot", "wijk"),
    "indicators.report": ("periode", "van", "tot", "wijk", "kaart"),
    "indicators.report_pdf": ("periode", "van", "tot", "wijk", "kaart"),
    "indicators.list_stories": ("periode", "van", "tot", "wijk"),
}
EVERY_PAGE = ("lang",)

HOSTILE_NUMBERS = [
    "0", "-1", "00", "²", "٣", "１２", "߁", "2147483648", "9223372036854775808",
    "99999999999999999999", "9" * 400, "1e3", "1.5", " 1", "1 ", "+1", "0x1f", "1_000",
]
HOSTILE_TEXT = [
    "", " ", "abc", "all", "ALL", "null", "true", "' OR 1=1 --", "<script>alert(1)</script>",
    "../../etc/passwd", "%", "_", "\\", "%25", "\u202e", "😀" * 50, "x" * 5000, "open",
    "done", "personal_data.exported", "//evil.example/", "https://evil.example/",
]
#: Always tried: every parameter a view reads set to each of these at once...
QUERY_CORNERS = ["²", "٣", "99999999999999999999", "-1", "abc"]
#: ... and every path argument set to one of these (a different one for each kind of user).
PATH_CORNERS = dict(zip(ROLES, ["9223372036854775808", "²", "-1", "0", "٣", "abc"], strict=True))
SAFE_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
VALUE = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS + HOSTILE_TEXT),
    SAFE_TEXT,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def _path(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with each argument replaced by its (percent-encoded) value."""
    def argument(match: re.Match[str]) -> str:
        return quote(values[match.group(1)], safe="")

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", argument, rule.rule)


def _path_values(rule: Rule, world: World) -> st.SearchStrategy[dict[str, str]]:
    """Per argument: the world's value (so the view is reached) or a hostile one."""
    return st.fixed_dictionaries({
        name: st.one_of(
            st.just(str(world.ids[name])),
            st.sampled_from(HOSTILE_NUMBERS + HOSTILE_TEXT).filter(bool),
            st.integers(min_value=-(2**70), max_value=2**70).map(str),
            SAFE_TEXT.filter(bool),
        )
        for name in rule.arguments
    })


def _query(endpoint: str) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Pairs, so a parameter may come twice (``?page=1&page=²``)."""
    names = (*QUERY_PARAMETERS.get(endpoint, ()), *EVERY_PAGE, "unexpected")
    return st.lists(st.tuples(st.sampled_from(names), VALUE), max_size=4)


def _visit(client: FlaskClient, world: World, rule: Rule, kind: str, method: str,
           path_values: dict[str, str], query: list[tuple[str, str]],
           plain_status: dict[str, int]) -> None:
    """One hostile request; ``plain_status`` remembers each real path's status without a
    query string (forgotten after a POST, which may change what a GET answers)."""
    path = _path(rule, path_values)
    url = f"{path}?{urlencode(query)}" if query else path
    response = request_as(client, world, kind, method, url)
    label = f"{method} {url[:300]} as {kind}"
    assert response.status_code < 500, f"{label}: {response.status_code}"
    assert "Traceback" not in response.get_data().decode("utf-8", "replace"), label
    if method != "GET":
        plain_status.clear()
        return
    real_path = all(value == str(world.ids[name]) for name, value in path_values.items())
    if real_path and query:
        if path not in plain_status:
            plain_status[path] = request_as(client, world, kind, "GET", path).status_code
        assert response.status_code == plain_status[path], (
            f"{label}: {response.status_code}, without the query {plain_status[path]}"
        )


def _explicit(rule: Rule, world: World, kind: str) -> list[dict[str, Any]]:
    """The corners tried before any generated example (a few values find most crashes, and
    random draws would meet them only now and then)."""
    method = "GET" if "GET" in _methods(rule) else _methods(rule)[0]
    cases: list[dict[str, Any]] = []
    if rule.arguments:
        hostile = dict.fromkeys(rule.arguments, PATH_CORNERS[kind])
        cases.append({"method": method, "path_values": hostile, "query": []})
    names = QUERY_PARAMETERS.get(rule.endpoint, ())
    real = {name: str(world.ids[name]) for name in rule.arguments}
    cases += [
        {"method": method, "path_values": real, "query": [(name, value) for name in names]}
        for value in (QUERY_CORNERS if names else [])
    ]
    return cases


def _explore(client: FlaskClient, world: World, rule: Rule, kind: str) -> None:
    """Hypothesis's examples for one rule as one kind of user."""
    examples = EXAMPLES_WITH_QUERY if rule.endpoint in QUERY_PARAMETERS else EXAMPLES
    plain_status: dict[str, int] = {}

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(method=st.sampled_from(_methods(rule)), path_values=_path_values(rule, world),
           query=_query(rule.endpoint))
    def visit(method: str, path_values: dict[str, str], query: list[tuple[str, str]]) -> None:
        _visit(client, world, rule, kind, method, path_values, query, plain_status)

    for case in _explicit(rule, world, kind):
        visit = example(**case)(visit)
    visit()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.endpoint} {rule.rule}")
def test_hostile_urls(app: Any, client: FlaskClient, rule: Rule) -> None:
    """One world per rule (building it is most of the time); every kind of user visits."""
    world = build_world()
    for kind in ROLES:
        _explore(client, world, rule, kind)


def test_the_table_names_every_parameter_the_code_reads() -> None:
    """Every query parameter read in ``marketplace/`` appears in ``QUERY_PARAMETERS``."""
    source = Path(__file__).resolve().parents[2] / "marketplace"
    read = re.compile(
        r"""(?:params\.\w+_arg|request\.(?:args|values)\.get)\(\s*["'](\w+)["']"""
    )
    found = {
        name for path in source.rglob("*.py") for name in read.findall(path.read_text("utf-8"))
    }
    listed = {name for names in QUERY_PARAMETERS.values() for name in names} | set(EVERY_PAGE)
    assert found, "the pattern finds nothing: has the helper been renamed?"
    assert found <= listed, f"add to QUERY_PARAMETERS: {sorted(found - listed)}"

"""axe-core on every page each role can reach, in Dutch and in English: zero violations of
WCAG 2.1 A and AA. Each page is also checked at 360px for sideways scrolling.

The list of pages comes from the app's URL map: every GET route without arguments, plus the
detail pages whose ids the 'axe' story created (a request, a match, a round, a volunteer).
New pages are therefore covered without touching this file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from flask import Flask

from marketplace.pages import statement
from tests.browser import story as s
from tests.browser.conftest import PHONE, Account, LiveServer
from tests.browser.driver import PAGE_WIDTH

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ROLES = ["anonymous", "resident", "volunteer", "referrer", "coordinator", "admin"]
SKIPPED_ENDPOINTS = {"static", "pages.healthz"}
# Pages we expect each role to reach at least (so a broken crawl cannot pass silently).
MUST_REACH = {
    "anonymous": {"/", "/auth/login", "/auth/register", "/hulp-bij-nood"},
    "resident": {"/requests/", "/requests/new", "/account/", "/notifications",
                 "/account/notifications"},
    "volunteer": {"/matches/mine", "/volunteers/profile", "/notifications"},
    "referrer": {"/referrals/", "/referrals/new"},
    "coordinator": {"/staff/", "/staff/queue", "/staff/intake", "/matches/rounds"},
    "admin": {"/admin/", "/staff/"},
}

# The pages each (role, language) checked, for the accessibility statement's figure.
CHECKED: dict[tuple[str, str], set[str]] = {}

# axe-core as shipped with axe-playwright-python, loaded once per browser context.
AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js")
RUN_AXE = "options => axe.run(document, options).then(results => results.violations)"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page (the script is added to every page of the context)."""
    return list(page.evaluate(RUN_AXE, WCAG))


def _id_from(url: str) -> str | None:
    match = re.search(r"/(\d+)(?:[/?#]|$)", url)
    return match.group(1) if match else None


def candidate_paths(app: Flask, ids: dict[str, str | None]) -> list[str]:
    """GET pages from the URL map; routes with one id argument get the story's id."""
    paths: set[str] = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or set()) or rule.endpoint in SKIPPED_ENDPOINTS:
                continue
            arguments = set(rule.arguments)
            if not arguments:
                paths.add(rule.rule)
            elif len(arguments) == 1 and ids.get(next(iter(arguments))):
                name = next(iter(arguments))
                paths.add(rule.rule.replace(f"<int:{name}>", str(ids[name])))
    return sorted(path for path in paths if "<" not in path)


def _reachable(page: Any, path: str) -> bool:
    """An HTML page this user may see (no redirect to the login page, no 403/404, no file)."""
    response = page.request.get(path, max_redirects=0)
    content_type = response.headers.get("content-type", "")
    return response.status == 200 and content_type.startswith("text/html")


def _describe(path: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{path}: [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:3]:
            lines.append(f"    at {node['target']}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


def _account(role: str, story: s.Story, server: LiveServer) -> Account | None:
    return {
        "anonymous": None,
        "resident": story.resident,
        "volunteer": story.volunteer,
        "referrer": server.referrer,
        "coordinator": server.coordinator,
        "admin": server.admin,
    }[role]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_and_fits_a_phone(
    role: str, language: str, story_for: Any, live_server: LiveServer
) -> None:
    story = story_for("axe")
    s.tell(story, s.volunteer_accepts)  # a request, a round, a volunteer and a match exist
    ids = {
        "request_id": _id_from(story.request_url),
        "match_id": _id_from(story.match_url),
        "round_id": _id_from(story.round_url),
        "profile_id": _id_from(story.profile_url),
    }
    d = story.driver()
    page = d.page
    page.context.add_init_script(path=str(AXE_SCRIPT))
    account = _account(role, story, live_server)
    if account is not None:
        s.log_in(d, account)
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    try:
        checked, problems = _check_pages(page, language, candidate_paths(live_server.app, ids))
    finally:
        if language == "en":  # the account remembers the language; give it back its Dutch
            page.goto("/")
            page.get_by_role("button", name="Nederlands").click()
    CHECKED[(role, language)] = checked
    missing = MUST_REACH[role] - checked
    assert not missing, f"{role} could not reach {sorted(missing)}"
    print(f"\n{role}/{language}: {len(checked)} pages checked: {sorted(checked)}")
    assert not problems, "\n" + "\n".join(problems)


def test_the_accessibility_statement_tells_how_many_pages_axe_checked() -> None:
    """Runs after the checks above (same module): the statement's figure is the number of
    different pages axe checked over all roles and both languages."""
    if len(CHECKED) < len(ROLES) * 2:
        pytest.skip("needs every role and language of the axe check in the same run")
    pages = set().union(*CHECKED.values())
    claimed = statement.load().axe_pages
    assert claimed == len(pages), (
        f"axe checked {len(pages)} pages; the accessibility statement says {claimed}: update "
        f"axe_pages (and last_checked) in {statement.FIGURES}")


def _check_pages(page: Any, language: str, paths: list[str]) -> tuple[set[str], list[str]]:
    """axe and the 360px check on every reachable page; returns (checked, problems)."""
    problems: list[str] = []
    checked: set[str] = set()
    for path in paths:
        if not _reachable(page, path):
            continue
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        violations = axe_violations(page)
        if violations:
            problems.append(_describe(path, violations))
        page.set_viewport_size(PHONE)
        scroll_width, width = page.evaluate(PAGE_WIDTH)
        if scroll_width > width:
            problems.append(f"{path}: scrolls sideways at 360px ({scroll_width}px wide)")
        page.set_viewport_size({"width": 1280, "height": 800})
        checked.add(path)
    return checked, problems


def test_axe_finds_a_known_violation(page: Any) -> None:
    """The checker itself works: a page with an unlabelled field and no language fails."""
    page.set_content("<html><body><main><input type='text'></main></body></html>")
    page.evaluate(AXE_SCRIPT.read_text())
    violations = {violation["id"] for violation in axe_violations(page)}
    assert {"html-has-lang", "label"} <= violations


# The second theme (static/themes/gemeente-voorbeeld.css) on a few pages with forms, errors,
# badges and tables: its colours pass axe's contrast rules too (the default theme is checked
# on every page above).
OTHER_THEME = "gemeente-voorbeeld"
OTHER_THEME_PAGES = {None: ["/", "/auth/register"], "coordinator": ["/staff/", "/staff/queue"]}


def test_the_second_theme_passes_axe(page: Any, live_server: LiveServer) -> None:
    """The live server's templates read THEME per request: switched for this test only."""
    from marketplace.config import theme_colour
    from tests.browser.driver import Driver

    config = live_server.app.config
    saved = config["THEME"], config["THEME_COLOR"]
    config["THEME"], config["THEME_COLOR"] = OTHER_THEME, theme_colour(OTHER_THEME)
    page.context.add_init_script(path=str(AXE_SCRIPT))
    problems: list[str] = []
    try:
        for role, paths in OTHER_THEME_PAGES.items():
            if role == "coordinator":
                s.log_in(Driver(page), live_server.coordinator)
            for path in paths:
                page.goto(path)
                stylesheets = page.eval_on_selector_all(
                    "link[rel=stylesheet]", "links => links.map(link => link.href)"
                )
                assert any(href.endswith(f"/themes/{OTHER_THEME}.css") for href in stylesheets)
                if path == "/auth/register":  # the error styles as well
                    page.get_by_role("main").get_by_role("button").last.click()
                    page.wait_for_load_state()
                problems.extend(_describe(path, v) for v in [axe_violations(page)] if v)
    finally:
        config["THEME"], config["THEME_COLOR"] = saved
    assert not problems, "\n" + "\n".join(problems)

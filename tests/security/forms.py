"""Find the fields of every form by reading the pages that show them."""

from __future__ import annotations

import html
import re
from collections import defaultdict

from flask.testing import FlaskClient

from tests.security.world import World

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ACTION = re.compile(r'action="([^"]*)"', re.I)
METHOD = re.compile(r'method="([^"]*)"', re.I)
NAME = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"', re.I)


def form_fields(body: str) -> dict[str, set[str]]:
    """``{action path: field names}`` of the POST forms on a page."""
    found: dict[str, set[str]] = defaultdict(set)
    for attributes, inner in FORM.findall(body):
        method = METHOD.search(attributes)
        if not method or method.group(1).lower() != "post":
            continue
        action = ACTION.search(attributes)
        path = html.unescape(action.group(1)).split("?")[0] if action else ""
        found[path] |= {name for name in NAME.findall(inner) if name != "csrf_token"}
    return found


def discover(client: FlaskClient, world: World, urls: list[str], kinds: tuple[str, ...]) -> (
    dict[str, set[str]]
):
    """Crawl ``urls`` as each kind and collect the fields posted to each action path."""
    from tests.security.test_authz_matrix import request_as

    fields: dict[str, set[str]] = defaultdict(set)
    for kind in kinds:
        for url in urls:
            response = request_as(client, world, kind, "GET", url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for action, names in form_fields(response.get_data(as_text=True)).items():
                fields[action or url] |= names
    return fields

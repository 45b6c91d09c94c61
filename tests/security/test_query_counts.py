"""SQL statements per page stay under a small bound and do not grow with the data (no N+1).

Every GET page is fetched by a user who may see it, first with a little data, then with
ten times as much; the number of statements must stay under ``BOUND`` and must not grow.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from marketplace.extensions import db
from marketplace.models import (
    AuditEntry,
    Concern,
    MatchStatus,
    RequestSource,
    RequestStatus,
    User,
)
from marketplace.notifications import notify
from marketplace.vocabulary import NotificationKind
from tests import factories
from tests.security import data
from tests.security.policies import ANY, LOGIN, OK
from tests.security.test_authz_matrix import GET_RULES, request_as, url_for_rule
from tests.security.world import KINDS, World, build_world

BOUND = 25
SLACK = 2  # e.g. a pagination count that appears once there is a second page
#: Pages of figures run one aggregate per indicator (each a single grouped statement, flat
#: in the data): their own, larger bound.
REPORT_BOUNDS = {"indicators.": 40}


@contextmanager
def count_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


def grow(world: World, count: int) -> None:
    """Add ``count`` requests, matches, concerns, volunteers and audit rows for the world."""
    users = {kind: db.session.get(User, uid) for kind, uid in world.user_ids.items() if uid}
    for number in range(count):
        own = factories.help_request(users["resident"], status=RequestStatus.OPEN)
        factories.help_request(
            users["resident"], status=RequestStatus.SUBMITTED, source=RequestSource.REFERRER,
            created_by_id=users["referrer"].id, consent_given=True,
        )
        helper = data.volunteer(password=None)
        data.match(own, users["volunteer"], MatchStatus.ACCEPTED if number % 2 else
                   MatchStatus.PROPOSED)
        data.match(factories.help_request(status=RequestStatus.PROPOSED), helper,
                   MatchStatus.SUGGESTED, round_id=world.ids["round_id"])
        db.session.add(Concern(reporter_id=users["resident"].id, message=f"Zorg {number}",
                               neighbourhood_id=world.ids["neighbourhood_id"]))
        db.session.add(AuditEntry(actor_id=users["admin"].id, action="test.grow",
                                  target_type="User", target_id=users["resident"].id))
        # The bell's list, and a call on the coordinators' "to phone" list.
        notify(users["resident"], NotificationKind.REQUEST_APPROVED, key=f"grow:{own.id}",
               help_request=own, title=own.title)
        desk = factories.user(email=None, email_confirmed_at=None, password=None)
        notify(desk, NotificationKind.REQUEST_INFO_NEEDED, key=f"grow:desk:{own.id}",
               help_request=factories.help_request(desk, status=RequestStatus.NEEDS_INFO))
    db.session.commit()


def _viewer(policy: dict[str, Any]) -> str | None:
    """A kind that surely gets the page (exactly {200}), else one that may."""
    for exact in (True, False):
        for kind in KINDS:
            wanted = policy[kind]
            if wanted in (LOGIN, ANY):
                continue
            if (wanted == OK) if exact else (200 in wanted):
                return kind
    return None


def measure(client: FlaskClient, world: World) -> dict[str, tuple[int, str]]:
    from tests.security.policies import expectation

    counts: dict[str, tuple[int, str]] = {}
    for rule in GET_RULES:
        if rule.endpoint in ("pages.healthz",):
            continue
        kind = _viewer(expectation(rule.endpoint))
        if kind is None:
            continue
        url = url_for_rule(rule, world.ids)
        request_as(client, world, kind, "GET", url)  # warm up caches (babel, templates)
        # A real request starts with an empty session. The test's session lives on, and
        # what it still holds from earlier requests depends on when the garbage collector
        # last ran: without this, a page's count changed between runs by objects that
        # happened to survive, not by the data.
        db.session.expunge_all()
        with count_queries() as statements:
            response = request_as(client, world, kind, "GET", url)
        if response.status_code == 200:
            counts[f"{rule.endpoint} as {kind}"] = (len(statements), url)
    return counts


def _bound(page: str) -> int:
    return next((bound for prefix, bound in REPORT_BOUNDS.items() if page.startswith(prefix)),
                BOUND)


def test_queries_per_page_are_bounded_and_flat(app: Flask, client: FlaskClient) -> None:
    world = build_world()
    grow(world, 2)
    small = measure(client, world)
    grow(world, 18)
    large = measure(client, world)
    report = "\n".join(
        f"{page}: {small[page][0]} -> {large.get(page, (0, ''))[0]}" for page in sorted(small)
    )
    too_many = [page for page, (count, _url) in large.items() if count > _bound(page)]
    growing = [
        page for page in small
        if page in large and large[page][0] > small[page][0] + SLACK
    ]
    print(report)  # shown with -s
    assert len(small) > 20, report
    assert not too_many, f"more than {BOUND} statements:\n{report}"
    assert not growing, f"statements grow with the data (N+1?) on {growing}:\n{report}"

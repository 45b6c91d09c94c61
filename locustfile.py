"""Load test users for Hulppunt (run by ``scripts/loadtest.py``; loopback only).

Residents browse their requests and post new ones, volunteers look at their proposals and
open requests and accept proposals, coordinators look at the queues and a matching round.
Everyone logs in through the real login form, with the CSRF token read from the page.
Accounts come from ``scripts/seed_load.py``.

Every write is written to a ledger (the file named by ``LOADTEST_LEDGER``, one line per
event) so that the load test can prove afterwards that no write was lost: ``sent`` just
before a write goes out, then ``ok`` or ``failed`` when its answer came back. A posted request
carries a unique token in its description; an accept is identified by its match id.

When locust quits (after the users stopped), the final per-page statistics are written as
JSON to the file named by ``LOADTEST_STATS``. Locust's own ``--csv`` files are rewritten once
a second by a background task and miss what finished in the last second, including the
graceful stop.

Locust starts each second's new users (the spawn rate) at the same instant. People do not
arrive in lockstep, so each user first waits a random moment within its second; with
``LOADTEST_ARRIVAL=lockstep`` they start at once, as locust spawns them (a burst of logins).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
from collections.abc import Callable
from datetime import date, timedelta

import gevent
from locust import FastHttpUser, between, events, task
from locust.env import Environment

PASSWORD = "load-test-password"  # noqa: S105 - seeded load-test accounts only
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ACTIVE_VOLUNTEERS = 200
RESIDENTS = 5_000
# Each simulated user gets its own account, so nobody races themselves.
_NUMBERS = {"resident": itertools.count(), "volunteer": itertools.count()}
TOKEN_PREFIX = "loadtest-"  # noqa: S105 - a marker in the description, not a secret


def ledger(event: str, kind: str, key: str) -> None:
    """Append one write event (``sent``/``ok``/``failed``, ``post``/``accept``, key)."""
    path = os.environ.get("LOADTEST_LEDGER")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{event} {kind} {key}\n")


_ENVIRONMENT: list[Environment] = []


@events.init.add_listener
def remember_environment(environment: Environment, **_kwargs: object) -> None:
    _ENVIRONMENT.append(environment)


@events.quit.add_listener
def write_final_stats(**_kwargs: object) -> None:
    """Per page and in total: requests, failures, req/s and the 50/95/99th percentile (ms)."""
    path = os.environ.get("LOADTEST_STATS")
    if not path or not _ENVIRONMENT or _ENVIRONMENT[0].stats is None:
        return
    stats = _ENVIRONMENT[0].stats
    entries = sorted(stats.entries.values(), key=lambda entry: entry.name)
    rows = [
        {"Name": entry.name, "Request Count": entry.num_requests,
         "Failure Count": entry.num_failures, "Requests/s": entry.total_rps,
         **{f"{p}%": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)}}
        for entry in [*entries, stats.total]
    ]
    rows[-1]["Name"] = "Aggregated"
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(rows, handle)


def redirected_home(response: object) -> bool:
    """A 302/303 redirect that does not lead to the login page: the post was accepted."""
    status = getattr(response, "status_code", 0)
    location = getattr(response, "headers", {}).get("Location", "")
    return status in (302, 303) and "/auth/login" not in location


def csrf_token(html: str) -> str:
    found = TOKEN.search(html)
    return found.group(1) if found else ""


class LoggedInUser(FastHttpUser):
    # geventhttpclient, not python-requests: a fraction of the CPU per request, which on a
    # machine shared with the server under test is CPU the server gets back.
    abstract = True
    wait_time = between(0.5, 1.5)
    email = ""

    def on_start(self) -> None:
        if os.environ.get("LOADTEST_ARRIVAL") != "lockstep":
            # Spread this second's arrivals; ten logins in the same millisecond would share
            # the two cores ten ways (ten Argon2id hashes of 21 ms each: each takes ~0.1 s).
            gevent.sleep(random.uniform(0.0, 1.0))  # noqa: S311 - timing, not a secret
        page = self.client.get("/auth/login", name="GET /auth/login")
        with self.client.post(
            "/auth/login",
            data={"email": self.email, "password": PASSWORD, "csrf_token": csrf_token(page.text)},
            name="POST /auth/login", allow_redirects=False, catch_response=True,
        ) as response:
            if not redirected_home(response):
                response.failure(f"login failed for {self.email}: {response.status_code}")

    def post_form(self, page_url: str, action: str, data: dict[str, str], name: str) -> bool:
        """Fetch ``page_url`` for a CSRF token, post ``data`` to ``action``; True on redirect."""
        page = self.client.get(page_url, name=f"GET {page_url.split('?')[0]} (form)")
        data = {**data, "csrf_token": csrf_token(page.text)}
        with self.client.post(action, data=data, name=name, allow_redirects=False,
                              catch_response=True) as response:
            if not redirected_home(response):
                response.failure(f"{name}: {response.status_code}")
                return False
        return True

    def post_recorded(self, kind: str, key: str, post: Callable[[], bool]) -> None:
        """Run ``post`` between a ``sent`` and an ``ok``/``failed`` line in the ledger."""
        ledger("sent", kind, key)
        ledger("ok" if post() else "failed", kind, key)


class Resident(LoggedInUser):
    weight = 3

    def on_start(self) -> None:
        self.email = f"resident{next(_NUMBERS['resident']) % RESIDENTS}@hulppunt-load.nl"
        self.own_ids: list[str] = []
        super().on_start()

    @task(5)
    def list_requests(self) -> None:
        page = self.client.get("/requests/", name="GET /requests/")
        self.own_ids = re.findall(r'href="/requests/(\d+)"', page.text) or self.own_ids

    @task(3)
    def show_request(self) -> None:
        if self.own_ids:
            self.client.get(f"/requests/{random.choice(self.own_ids)}", name="GET /requests/<id>")

    @task(1)
    def new_request(self) -> None:
        day = date.today() + timedelta(days=random.randint(3, 30))
        token = TOKEN_PREFIX + secrets.token_hex(8)
        data = {
            "category_id": "1", "title": "Boodschappen deze week",
            "description": f"Wie kan voor mij boodschappen doen bij de supermarkt? {token}",
            "timing": "once", "date_start": day.isoformat(), "part_of_day": "morning",
            "postcode": "1211 AB", "address": "Kerkstraat 1", "urgency": "2",
            "preferred_language": "nl",
        }
        self.post_recorded("post", token, lambda: self.post_form(
            "/requests/new", "/requests/new", data, "POST /requests/new"
        ))


class Volunteer(LoggedInUser):
    weight = 3

    def on_start(self) -> None:
        self.email = f"volunteer{next(_NUMBERS['volunteer']) % ACTIVE_VOLUNTEERS}@hulppunt-load.nl"
        super().on_start()

    @task(4)
    def my_matches(self) -> None:
        self.client.get("/matches/mine", name="GET /matches/mine")

    @task(3)
    def open_requests(self) -> None:
        self.client.get("/matches/open", name="GET /matches/open")

    @task(1)
    def accept(self) -> None:
        page = self.client.get("/matches/mine", name="GET /matches/mine")
        proposals = re.findall(r'action="/matches/(\d+)/accept"', page.text)
        if not proposals:
            return
        match_id = random.choice(proposals)
        self.post_recorded("accept", match_id, lambda: self.accept_one(match_id, page.text))

    def accept_one(self, match_id: str, page: str) -> bool:
        with self.client.post(
            f"/matches/{match_id}/accept", data={"csrf_token": csrf_token(page)},
            name="POST /matches/<id>/accept", allow_redirects=False, catch_response=True,
        ) as response:
            if not redirected_home(response):
                response.failure(f"accept: {response.status_code}")
                return False
        return True


class Coordinator(LoggedInUser):
    weight = 1

    def on_start(self) -> None:
        self.email = f"coordinator{random.randrange(8)}@hulppunt-load.nl"
        self.round_ids: list[str] = []
        super().on_start()

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/staff/", name="GET /staff/")

    @task(3)
    def queue(self) -> None:
        self.client.get("/staff/queue", name="GET /staff/queue")

    @task(2)
    def rounds(self) -> None:
        page = self.client.get("/matches/rounds", name="GET /matches/rounds")
        self.round_ids = re.findall(r'href="/matches/rounds/(\d+)"', page.text) or self.round_ids

    @task(1)
    def show_round(self) -> None:
        if self.round_ids:
            self.client.get(f"/matches/rounds/{random.choice(self.round_ids)}",
                            name="GET /matches/rounds/<id>")

    @task(2)
    def staff_request(self) -> None:
        self.client.get(f"/staff/requests/{random.randint(1, 20_000)}",
                        name="GET /staff/requests/<id>")

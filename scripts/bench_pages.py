"""Benchmark (not a test): the CPU one process spends on each page of the load test's mix.

    .venv/bin/python -m scripts.bench_pages [--repeat 30] [--database hulppunt_pages]

Creates and seeds its own PostgreSQL database with ``scripts.seed_load`` (as ``make loadtest``
does), starts the app in process with the production configuration, logs in as a resident, a
volunteer and a coordinator through the login form, and asks each GET page of the load test
``--repeat`` times. Prints per page the median CPU time of the process (``time.process_time``:
the web process's own work, not PostgreSQL's) and the round trips to PostgreSQL; the mix's
average, weighted as the locustfile's users and tasks ask the pages; what being logged in costs
on a page with nothing of its own (``/privacy``); and the time of a fixed Python loop, which
says how fast the machine was at that moment (the figures of two machines compare only
together with it).
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scripts.loadtest import BIN, ROOT, recreate_database
from scripts.seed_load import LOAD_PASSWORD

# As the locustfile reads it (importing the locustfile would import locust and its gevent).
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

#: The GET page each task of the locustfile reads (the accept and the new request each read
#: a page first: /matches/mine and the form); a task missing here stops the benchmark.
TASK_PAGES = {
    "list_requests": "/requests/",
    "show_request": "/requests/<id>",
    "new_request": "/requests/new",
    "my_matches": "/matches/mine",
    "open_requests": "/matches/open",
    "accept": "/matches/mine",
    "dashboard": "/staff/",
    "queue": "/staff/queue",
    "rounds": "/matches/rounds",
    "show_round": "/matches/rounds/<id>",
    "staff_request": "/staff/requests/<id>",
}


def mix(locustfile: Path = ROOT / "locustfile.py") -> dict[str, float]:
    """How often the load test asks each GET page, relative to each other, read from the
    locustfile (without importing locust): a user class's ``weight`` times a task's
    ``@task(n)`` over the sum of its class's task weights."""
    rates: dict[str, float] = {}
    for node in ast.parse(locustfile.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ClassDef):
            continue
        weight = next((int(statement.value.value) for statement in node.body
                       if isinstance(statement, ast.Assign)
                       and any(isinstance(target, ast.Name) and target.id == "weight"
                               for target in statement.targets)
                       and isinstance(statement.value, ast.Constant)
                       and isinstance(statement.value.value, int)), None)
        tasks = {function.name: _task_weight(function) for function in node.body
                 if isinstance(function, ast.FunctionDef) and _task_weight(function)}
        if weight is None or not tasks:
            continue
        for name, task_weight in tasks.items():
            if name not in TASK_PAGES:
                raise ValueError(f"locustfile task {node.name}.{name} has no page in TASK_PAGES")
            page = TASK_PAGES[name]
            rates[page] = rates.get(page, 0.0) + weight * task_weight / sum(tasks.values())
    return rates


def _task_weight(function: ast.FunctionDef) -> int:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == "task":
            first = decorator.args[0] if decorator.args else None
            given = first.value if isinstance(first, ast.Constant) else None
            return given if isinstance(given, int) else 1
        if isinstance(decorator, ast.Name) and decorator.id == "task":
            return 1
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (loopback), without database name")
    parser.add_argument("--database", default="hulppunt_pages")
    parser.add_argument("--repeat", type=int, default=30, help="times each page is asked")
    return parser.parse_args()


def speed_index_ms() -> float:
    """A fixed single-threaded Python loop, median of 5 (milliseconds)."""
    times = []
    for _ in range(5):
        started, total = time.perf_counter(), 0
        for number in range(3_000_000):
            total += number * number % 7
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


class RoundTrips:
    """Counts round trips to PostgreSQL: psycopg's waits on the server that sent or read
    anything (a statement, a COMMIT or ROLLBACK that travels), and the BEGIN psycopg sends
    and waits for inside the first statement's wait. A COMMIT outside a transaction or
    switching autocommit (a GET page reads without a transaction) changes nothing on the
    server and is not counted."""

    def __init__(self) -> None:
        import psycopg
        from psycopg import _connection_base  # its BEGIN, private: a benchmark may look

        self.count = 0
        original = psycopg.Connection.wait

        def counted(connection: Any, generator: Any, *args: Any, **kwargs: Any) -> Any:
            return original(connection, self._noting_io(generator), *args, **kwargs)

        psycopg.Connection.wait = counted  # type: ignore[method-assign,assignment]
        start_query = _connection_base.BaseConnection._start_query

        def begin_counted(connection: Any) -> Any:
            if (not connection.autocommit and connection.pgconn.transaction_status
                    == psycopg.pq.TransactionStatus.IDLE):
                self.count += 1  # BEGIN, sent and answered before the statement
            return (yield from start_query(connection))

        _connection_base.BaseConnection._start_query = begin_counted  # type: ignore[method-assign,assignment]

    def _noting_io(self, generator: Any) -> Any:
        """``generator`` as psycopg's wait runs it, counting one round trip if it waits on the
        socket at all (a generator that needs no I/O returns without yielding)."""
        try:
            waiting = next(generator)
        except StopIteration as done:
            return done.value
        self.count += 1
        while True:
            ready = yield waiting
            try:
                waiting = generator.send(ready)
            except StopIteration as done:
                return done.value


def cpu_ms(ask: Callable[[], Any], repeat: int) -> float:
    for _ in range(3):  # warm: prepared statements, caches
        ask()
    times = []
    for _ in range(repeat):
        started = time.process_time()
        ask()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000


def main() -> int:
    args = parse_args()
    database_url = f"{args.pg.replace('postgresql://', 'postgresql+psycopg://')}/{args.database}"
    print(f"Creating and seeding {args.database} ...", flush=True)
    recreate_database(args.pg, args.database)
    env = {**os.environ, "DATABASE_URL": database_url, "HULPPUNT_ENV": "development"}
    subprocess.run([str(BIN / "python"), "-m", "scripts.seed_load"], cwd=ROOT, check=True,
                   env=env)
    os.environ.update(HULPPUNT_ENV="production", SECRET_KEY=secrets.token_hex(32),
                      DATABASE_URL=database_url, RATELIMIT_ENABLED="0", MAIL_ENABLED="0",
                      SESSION_COOKIE_SECURE="0")
    from app import app  # as gunicorn starts it: warm, collector frozen

    trips = RoundTrips()

    def login(email: str) -> Any:
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        match = TOKEN.search(page)
        answer = client.post("/auth/login", data={
            "email": email, "password": LOAD_PASSWORD,
            "csrf_token": match.group(1) if match else "",
        })
        if answer.status_code != 302:
            sys.exit(f"could not log in as {email}: {answer.status_code}")
        return client

    resident = login("resident7@hulppunt-load.nl")
    volunteer = login("volunteer7@hulppunt-load.nl")
    coordinator = login("coordinator1@hulppunt-load.nl")
    own = re.findall(r'href="/requests/(\d+)"', resident.get("/requests/").get_data(as_text=True))
    rounds = re.findall(r'href="/matches/rounds/(\d+)"',
                        coordinator.get("/matches/rounds").get_data(as_text=True))
    if not own or not rounds:
        sys.exit("the seeded database has no request of resident7 or no round")
    pages = {
        "/requests/": (resident, "/requests/"),
        "/requests/<id>": (resident, f"/requests/{own[0]}"),
        "/requests/new": (resident, "/requests/new"),
        "/matches/mine": (volunteer, "/matches/mine"),
        "/matches/open": (volunteer, "/matches/open"),
        "/staff/": (coordinator, "/staff/"),
        "/staff/queue": (coordinator, "/staff/queue"),
        "/matches/rounds": (coordinator, "/matches/rounds"),
        "/matches/rounds/<id>": (coordinator, f"/matches/rounds/{rounds[0]}"),
        "/staff/requests/<id>": (coordinator, "/staff/requests/123"),
    }
    speed_before = speed_index_ms()
    print(f"\nMachine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average "
          f"{' / '.join(f'{value:.2f}' for value in os.getloadavg())}\n")
    print("| page | CPU ms (median) | round trips |")
    print("|---|---:|---:|")
    weights = mix()
    weighted = 0.0
    for name, (client, path) in pages.items():

        def ask(client: Any = client, path: str = path) -> None:
            answer = client.get(path)
            if answer.status_code != 200:
                sys.exit(f"{path}: {answer.status_code}")

        spent = cpu_ms(ask, args.repeat)
        trips.count = 0
        ask()
        weighted += spent * weights[name]
        print(f"| GET {name} | {spent:.1f} | {trips.count} |")
    print(f"| **the mix, weighted** | **{weighted / sum(weights.values()):.1f}** | |")
    visitor = app.test_client()
    as_visitor = cpu_ms(lambda: visitor.get("/privacy"), args.repeat * 2)
    as_resident = cpu_ms(lambda: resident.get("/privacy"), args.repeat * 2)
    print(f"\n/privacy as a visitor {as_visitor:.2f} ms, logged in {as_resident:.2f} ms "
          f"(being logged in: {as_resident - as_visitor:.2f} ms)")
    print(f"Fixed Python loop: {speed_before:.0f} ms before, {speed_index_ms():.0f} ms after "
          "(median of 5; smaller is a faster machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

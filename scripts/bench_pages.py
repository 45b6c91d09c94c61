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
import shutil
import statistics
import subprocess
import sys
import tempfile
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
    parser.add_argument("--repeat", type=int, default=None,
                        help="times each page is asked (30; with --instructions 6)")
    parser.add_argument("--instructions", action="store_true",
                        help="count the machine instructions per page under valgrind's "
                             "callgrind instead of timing them: the same on a fast or a "
                             "slow minute of the host (about 50 times slower to run)")
    parser.add_argument("--inside-callgrind", action="store_true", help=argparse.SUPPRESS)
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


def database_url(args: argparse.Namespace) -> str:
    return f"{args.pg.replace('postgresql://', 'postgresql+psycopg://')}/{args.database}"


def seed(args: argparse.Namespace) -> None:
    print(f"Creating and seeding {args.database} ...", flush=True)
    recreate_database(args.pg, args.database)
    env = {**os.environ, "DATABASE_URL": database_url(args), "HULPPUNT_ENV": "development"}
    subprocess.run([str(BIN / "python"), "-m", "scripts.seed_load"], cwd=ROOT, check=True,
                   env=env)


Pages = dict[str, tuple[Any, str]]
#: The pages measured, in this order: the mix's, then a page with nothing of its own (what
#: any page costs) as a visitor and logged in.
PAGE_NAMES = ["/requests/", "/requests/<id>", "/requests/new", "/matches/mine", "/matches/open",
              "/staff/", "/staff/queue", "/matches/rounds", "/matches/rounds/<id>",
              "/staff/requests/<id>", "/privacy (visitor)", "/privacy (logged in)"]


def open_pages(app: Any) -> Pages:
    """Logs a resident, a volunteer and a coordinator in through the form; each page of the
    mix with the client that asks it."""

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
    clients = [resident, resident, resident, volunteer, volunteer, coordinator, coordinator,
               coordinator, coordinator, coordinator, app.test_client(), resident]
    paths = ["/requests/", f"/requests/{own[0]}", "/requests/new", "/matches/mine",
             "/matches/open", "/staff/", "/staff/queue", "/matches/rounds",
             f"/matches/rounds/{rounds[0]}", "/staff/requests/123", "/privacy", "/privacy"]
    return dict(zip(PAGE_NAMES, zip(clients, paths, strict=True), strict=True))


def asker(client: Any, path: str) -> Callable[[], None]:
    def ask() -> None:
        answer = client.get(path)
        if answer.status_code != 200:
            sys.exit(f"{path}: {answer.status_code}")

    return ask


def machine_line() -> str:
    return (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, load average "
            f"{' / '.join(f'{value:.2f}' for value in os.getloadavg())}")


def print_table(unit: str, figures: dict[str, float], trips: dict[str, int] | None = None,
                digits: int = 1) -> None:
    """The pages of the mix, the mix weighted as the locustfile asks them, then the rest."""
    weights = mix()
    print(f"| page | {unit} | round trips |" if trips else f"| page | {unit} |")
    print("|---|---:|---:|" if trips else "|---|---:|")
    for name, figure in figures.items():
        if name in weights:
            extra = f" {trips[name]} |" if trips else ""
            print(f"| GET {name} | {figure:.{digits}f} |{extra}")
    weighted = sum(figures[name] * weight for name, weight in weights.items())
    print(f"| **the mix, weighted** | **{weighted / sum(weights.values()):.{digits}f}** |"
          + (" |" if trips else ""))
    visitor, member = figures["/privacy (visitor)"], figures["/privacy (logged in)"]
    print(f"\n/privacy as a visitor {visitor:.{digits + 1}f}, logged in {member:.{digits + 1}f} "
          f"(being logged in: {member - visitor:.{digits + 1}f}) {unit}")


def time_pages(pages: Pages, repeat: int) -> None:
    speed_before = speed_index_ms()
    print(f"\n{machine_line()}\n")
    trips = RoundTrips()
    spent, counted = {}, {}
    for name, (client, path) in pages.items():
        ask = asker(client, path)
        spent[name] = cpu_ms(ask, repeat)
        trips.count = 0
        ask()
        counted[name] = trips.count
    print_table("CPU ms (median)", spent, counted)
    print(f"Fixed Python loop: {speed_before:.0f} ms before, {speed_index_ms():.0f} ms after "
          "(median of 5; smaller is a faster machine)")


def count_pages_inside(pages: Pages, repeat: int) -> None:
    """Under callgrind: every page asked 3 times, then instructions counted from here on,
    and written out (a "dump") after each page's ``repeat`` requests."""
    asks = {name: asker(client, path) for name, (client, path) in pages.items()}
    for ask in asks.values():
        for _ in range(3):  # warm: prepared statements, caches
            ask()
    control = ["callgrind_control", str(os.getpid())]
    subprocess.run([*control[:1], "--instr=on", *control[1:]], check=True, capture_output=True)
    for number, ask in enumerate(asks.values()):
        for _ in range(repeat):
            ask()
        subprocess.run([*control[:1], f"--dump=page{number}", *control[1:]], check=True,
                       capture_output=True)


def count_instructions(args: argparse.Namespace, repeat: int) -> int:
    """Runs this script under callgrind and prints millions of instructions per request."""
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        sys.exit("--instructions needs valgrind: apt-get install -y valgrind")
    version = subprocess.run(["valgrind", "--version"], check=True, capture_output=True,
                             text=True).stdout.strip()
    print(f"\n{machine_line()}, {version}")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                   f"--callgrind-out-file={out}", str(BIN / "python"), "-m",
                   "scripts.bench_pages", "--inside-callgrind", "--repeat", str(repeat),
                   "--pg", args.pg, "--database", args.database]
        ran = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if ran.returncode:
            sys.exit(f"the run under callgrind failed:\n{ran.stdout}{ran.stderr[-3000:]}")
        counts = read_dumps(out)
    names = PAGE_NAMES
    if len(counts) != len(names):
        sys.exit(f"expected {len(names)} dumps from callgrind, found {len(counts)}")
    print(f"\nInstructions per request (millions; {repeat} requests a page after 3 to warm; "
          "the same whatever the host's speed):\n")
    print_table("M instructions", {name: count / repeat / 1e6
                                   for name, count in zip(names, counts, strict=True)})
    return 0


def read_dumps(out: Path) -> list[int]:
    """Instructions of each ``--dump=pageN``, in page order."""
    counts: dict[int, int] = {}
    for dump in out.parent.glob(f"{out.name}.*"):
        text = dump.read_text(encoding="utf-8", errors="replace")
        trigger = re.search(r"^desc: Trigger: .*?page(\d+)\s*$", text, re.MULTILINE)
        summary = re.search(r"^summary: (\d+)$", text, re.MULTILINE)
        if trigger and summary:
            counts[int(trigger.group(1))] = int(summary.group(1))
    return [counts[number] for number in sorted(counts)]


def main() -> int:
    args = parse_args()
    repeat = args.repeat or (6 if args.instructions or args.inside_callgrind else 30)
    if not args.inside_callgrind:
        seed(args)
        if args.instructions:
            return count_instructions(args, repeat)
    os.environ.update(HULPPUNT_ENV="production", SECRET_KEY=secrets.token_hex(32),
                      DATABASE_URL=database_url(args), RATELIMIT_ENABLED="0", MAIL_ENABLED="0",
                      SESSION_COOKIE_SECURE="0")
    from app import app  # as gunicorn starts it: warm, collector frozen

    pages = open_pages(app)
    if args.inside_callgrind:
        count_pages_inside(pages, repeat)
    else:
        time_pages(pages, repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())

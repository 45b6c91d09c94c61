"""``make loadtest``: gunicorn (4 workers) on PostgreSQL, seeded, under locust, on loopback.

Steps: (re)create the database ``hulppunt_load``, create the tables and seed 10,000
volunteers and 20,000 requests (``scripts/seed_load.py``), start gunicorn on 127.0.0.1,
run locust headless for a bounded time (users finish their task when the time is up), stop
gunicorn, then check every write against the ledger locust kept (see ``locustfile.py``) and
print throughput and p50/p95/p99 per page.

The write check is exact: every posted request locust saw succeed must be in the database
(by its unique token), every accept locust saw succeed must be an accepted match, and every
new row or newly accepted match must be one locust sent. A write that was sent but whose
answer never came back (still in flight when locust stopped) is reported on its own line;
it is not a lost write (nobody was told it succeeded), but it is not silently counted as one
either. Exit code 1 when a page's p95 is 200 ms or more, a request failed, or the write
check finds a lost, duplicated, unexplained or failed-but-saved write.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psycopg

from scripts.write_check import Ledger, check

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_P95_MS = 200
#: Pages with a target of their own (issue 18): a login hashes the password with Argon2id at
#: OWASP's setting on purpose.
PAGE_TARGETS_MS = {"POST /auth/login": 500}


def target_ms(page: str) -> int:
    """The p95 a page must stay under."""
    return PAGE_TARGETS_MS.get(page, TARGET_P95_MS)
TOKEN = re.compile(r"loadtest-[0-9a-f]{16}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (loopback), without database name")
    parser.add_argument("--database", default="hulppunt_load")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--spawn-rate", type=int, default=4)
    parser.add_argument("--lockstep", action="store_true",
                        help="start each second's users at the same instant, as locust spawns "
                             "them (default: each at a random moment within its second)")
    parser.add_argument("--time", default="60s", help="locust run time, e.g. 60s")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--stop-timeout", type=int, default=15,
                        help="seconds locust lets users finish their task after --time")
    return parser.parse_args()


def recreate_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


@dataclass(frozen=True)
class Snapshot:
    """What the write check needs from the database."""

    request_rows: int
    tokens: list[str]  # one per posted request that carries a token (duplicates kept)
    accepted: set[int]  # ids of accepted matches


def snapshot(server: str, name: str) -> Snapshot:
    with psycopg.connect(f"{server}/{name}") as connection:
        count = connection.execute("SELECT count(*) FROM help_requests").fetchone()
        descriptions = connection.execute(
            "SELECT description FROM help_requests WHERE description LIKE '%loadtest-%'"
        ).fetchall()
        accepted = connection.execute("SELECT id FROM matches WHERE status = 'accepted'")
        return Snapshot(
            request_rows=count[0] if count else 0,
            tokens=[token for (text,) in descriptions for token in TOKEN.findall(text)],
            accepted={row[0] for row in accepted},
        )


def wait_healthy(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not become healthy")


def print_table(rows: list[dict[str, str]]) -> bool:
    """Print the per-page table; True when every page's p95 is under its target (200 ms, a
    login 500 ms) and no request failed."""
    print("\n| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms | target | met |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|:---:|")
    ok = True
    for row in rows:
        aggregated = row["Name"] == "Aggregated"
        target = target_ms(row["Name"])
        good = aggregated or float(row["95%"] or 0) < target
        ok = ok and good and row["Failure Count"] == "0"
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
              f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} | "
              f"{'' if aggregated else f'< {target}'} | "
              f"{'' if aggregated else 'yes' if good else 'NO'} |")
    return ok


def succeeded(rows: list[dict[str, str]], name: str) -> int:
    for row in rows:
        if row["Name"] == name:
            return int(row["Request Count"]) - int(row["Failure Count"])
    return 0


def check_writes(ledger_path: Path, rows: list[dict[str, str]], before: Snapshot,
                 after: Snapshot) -> bool:
    """Print the write check per kind of write; True when no write was lost, duplicated,
    unexplained or saved despite an error answer."""
    ledger = Ledger.parse(ledger_path.read_text(encoding="utf-8").splitlines())
    posts = check("post", ledger, after.tokens)
    accepts = check("accept", ledger, [str(key) for key in after.accepted - before.accepted])
    added = after.request_rows - before.request_rows
    untagged = added - len(after.tokens)
    print(f"\nWrites: {added} request rows added, {len(after.tokens)} of them with a token "
          f"({untagged} without: {'none' if untagged == 0 else 'UNEXPLAINED'}).")
    for result in (posts, accepts):
        print("  " + result.summary())
    for result, name in ((posts, "POST /requests/new"), (accepts, "POST /matches/<id>/accept")):
        table = succeeded(rows, name)
        if table != result.acknowledged:
            print(f"  NOTE {name}: {table} successes in locust's table, {result.acknowledged} "
                  "in the ledger")
    good = posts.good and accepts.good and untagged == 0
    print("Lost writes: " + ("none (every acknowledged write is in the database)" if good
                             else "YES or unexplained writes, see above"))
    return good


def run_locust(args: argparse.Namespace, folder: Path, ledger_path: Path) -> list[dict[str, str]]:
    """Run locust; return its final statistics per page (written by the locustfile at quit)."""
    stats_path = folder / "stats.json"
    subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "locustfile.py"), "--headless",
         "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time,
         "--stop-timeout", str(args.stop_timeout),
         "--host", f"http://127.0.0.1:{args.port}",
         "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        cwd=ROOT, check=True, timeout=900,
        env={**os.environ, "LOADTEST_LEDGER": str(ledger_path), "LOADTEST_STATS": str(stats_path),
             "LOADTEST_ARRIVAL": "lockstep" if args.lockstep else "spread"},
    )
    rows = json.loads(stats_path.read_text(encoding="utf-8"))
    return [{key: str(value) for key, value in row.items()} for row in rows]


def start_gunicorn(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    threads = ["--threads", str(args.threads)] if args.worker_class == "gthread" else []
    # --preload: the app is imported once, before the workers fork, so every worker is ready
    # when /healthz first answers (otherwise three workers still import numpy and scipy
    # while the first users log in, and the login burst measures the boot).
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(args.workers), "-k", args.worker_class, *threads,
         # Keep idle connections 10 s (gunicorn's default is 2 s): when the two cores are
         # saturated locust's next request on a kept connection can come later than 2 s,
         # meet the socket gunicorn just closed, and count as a reset (seen at 100 users).
         "--keep-alive", "10",
         "--preload", "-b", f"127.0.0.1:{args.port}", "--log-level", "warning", "app:app"],
        cwd=ROOT, env={**env, "HULPPUNT_ENV": "production", "SECRET_KEY": secrets.token_hex(32)},
    )


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    args = parse_args()
    database_url = f"{args.pg.replace('postgresql://', 'postgresql+psycopg://')}/{args.database}"
    env = {**os.environ, "DATABASE_URL": database_url, "RATELIMIT_ENABLED": "0",
           "MAIL_ENABLED": "0", "SESSION_COOKIE_SECURE": "0", "FLASK_APP": "app"}
    print(f"Creating and seeding {args.database} ...", flush=True)
    recreate_database(args.pg, args.database)
    subprocess.run([str(BIN / "python"), "-m", "scripts.seed_load"], cwd=ROOT, check=True,
                   env={**env, "HULPPUNT_ENV": "development"})
    before = snapshot(args.pg, args.database)
    load_before = load_average()
    server = start_gunicorn(args, env)
    try:
        wait_healthy(args.port)
        with tempfile.TemporaryDirectory() as folder:
            ledger_path = Path(folder) / "ledger.txt"
            ledger_path.touch()
            rows = run_locust(args, Path(folder), ledger_path)
            load_after = load_average()
            server.send_signal(signal.SIGTERM)  # graceful: answers what is still in flight
            server.wait(timeout=30)
            after = snapshot(args.pg, args.database)
            pages_ok = print_table(rows)
            writes_ok = check_writes(ledger_path, rows, before, after)
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    threads = f" --threads {args.threads}" if args.worker_class == "gthread" else ""
    arrivals = "in lockstep" if args.lockstep else "spread over each second"
    print(f"Setup: gunicorn -w {args.workers} -k {args.worker_class}{threads} --keep-alive 10 "
          f"--preload, {args.users} users, spawn rate {args.spawn_rate}/s ({arrivals}), "
          f"{args.time} (+ up to {args.stop_timeout} s for tasks under way), PostgreSQL "
          f"database {args.database}.")
    print(f"Load average (1/5/15 min) before: {load_before}; after: {load_after}.")
    return 0 if pages_ok and writes_ok else 1


if __name__ == "__main__":
    sys.exit(main())

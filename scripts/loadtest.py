"""``make loadtest``: gunicorn (4 workers) on PostgreSQL, seeded, under locust, on loopback.

Steps: (re)create the database ``hulppunt_load``, create the tables and seed 10,000
volunteers and 20,000 requests (``scripts/seed_load.py``), start gunicorn on 127.0.0.1,
run locust headless for a bounded time, stop gunicorn, then count rows to prove that no
write was lost (requests posted = rows added; accepts = matches accepted) and print
throughput and p50/p95/p99 per page.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_P95_MS = 200


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (loopback), without database name")
    parser.add_argument("--database", default="hulppunt_load")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--spawn-rate", type=int, default=4)
    parser.add_argument("--time", default="60s", help="locust run time, e.g. 60s")
    parser.add_argument("--workers", type=int, default=4)
    return parser.parse_args()


def recreate_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def counts(server: str, name: str) -> dict[str, int]:
    with psycopg.connect(f"{server}/{name}") as connection:
        requests = connection.execute("SELECT count(*) FROM help_requests").fetchone()
        accepted = connection.execute(
            "SELECT count(*) FROM matches WHERE status = 'accepted'"
        ).fetchone()
    return {"requests": requests[0] if requests else 0, "accepted": accepted[0] if accepted else 0}


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


def read_stats(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def succeeded(rows: list[dict[str, str]], name: str) -> int:
    for row in rows:
        if row["Name"] == name:
            return int(row["Request Count"]) - int(row["Failure Count"])
    return 0


def report(rows: list[dict[str, str]], before: dict[str, int], after: dict[str, int],
           args: argparse.Namespace) -> bool:
    print("\n| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms "
          f"| p95 < {TARGET_P95_MS} |")
    print("|---|---:|---:|---:|---:|---:|---:|:---:|")
    ok = True
    for row in rows:
        p95 = float(row["95%"] or 0)
        good = p95 < TARGET_P95_MS or row["Name"] == "Aggregated"
        ok = ok and good and (row["Name"] != "Aggregated" or row["Failure Count"] == "0")
        name = row["Name"]
        print(f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
              f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} | "
              f"{'yes' if good else 'NO'} |")
    posted = succeeded(rows, "POST /requests/new")
    accepted = succeeded(rows, "POST /matches/<id>/accept")
    added = after["requests"] - before["requests"]
    newly_accepted = after["accepted"] - before["accepted"]
    print(f"\nWrites: {posted} requests posted, {added} rows added; "
          f"{accepted} accepts, {newly_accepted} matches newly accepted.")
    lost = added != posted or newly_accepted != accepted
    print("Lost writes: " + ("YES" if lost else "none"))
    print(f"Setup: gunicorn -w {args.workers}, {args.users} users, spawn rate "
          f"{args.spawn_rate}/s, {args.time}, PostgreSQL database {args.database}.")
    return ok and not lost


def main() -> int:
    args = parse_args()
    database_url = f"{args.pg.replace('postgresql://', 'postgresql+psycopg://')}/{args.database}"
    env = {**os.environ, "DATABASE_URL": database_url, "RATELIMIT_ENABLED": "0",
           "MAIL_ENABLED": "0", "SESSION_COOKIE_SECURE": "0", "FLASK_APP": "app"}
    print(f"Creating and seeding {args.database} ...", flush=True)
    recreate_database(args.pg, args.database)
    subprocess.run([str(BIN / "python"), "-m", "scripts.seed_load"], cwd=ROOT, check=True,
                   env={**env, "HULPPUNT_ENV": "development"})
    before = counts(args.pg, args.database)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{args.port}",
         "--log-level", "warning", "app:app"],
        cwd=ROOT, env={**env, "HULPPUNT_ENV": "production", "SECRET_KEY": secrets.token_hex(32)},
    )
    try:
        wait_healthy(args.port)
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "load"
            subprocess.run(
                [str(BIN / "locust"), "-f", str(ROOT / "locustfile.py"), "--headless",
                 "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time,
                 "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix),
                 "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
                cwd=ROOT, check=True, timeout=600,
            )
            rows = read_stats(Path(f"{prefix}_stats.csv"))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    after = counts(args.pg, args.database)
    return 0 if report(rows, before, after, args) else 1


if __name__ == "__main__":
    sys.exit(main())

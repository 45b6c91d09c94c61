"""Benchmark (not a test): the indicators on PostgreSQL with 100,000 requests, 20,000
volunteers and two years of history.

    .venv/bin/python -m scripts.bench_indicators [--url postgresql+psycopg://postgres@127.0.0.1:5432/h_indicators_bench]
        [--requests 100000] [--volunteers 20000] [--repeat 5] [--skip-seed]

Drops and fills its own database (``scripts.seed_load`` for the accounts and volunteers, the
indicators demo's ``seed_history`` for 24 months of seasonal requests, matches, transitions,
feedback and rounds, all bulk inserts), then asks each page of the municipality as a logged-in
municipality user through the Flask test client and prints the server time (the whole request:
queries, rendering, the xlsx or PDF) as the median of ``--repeat`` runs, for the whole city's
half year, one neighbourhood's, and a year.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
from typing import Any

import sqlalchemy as sa

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/h_indicators_bench"
PAGES = ("/indicators/", "/indicators/export.csv", "/indicators/export.xlsx",
         "/indicators/report", "/indicators/report.pdf")


def _fresh_database(url: str) -> None:
    """Drop and create the benchmark's own database."""
    target = sa.engine.make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()


def _seed(requests: int, volunteers: int) -> dict[str, Any]:
    from marketplace.extensions import db
    from marketplace.indicators.demo import MONTHS, SEASON, seed_history
    from marketplace.models import HelpRequest, Role, User, UserRole, VolunteerProfile
    from scripts import seed_load

    db.create_all()
    seed_load.seed(volunteers=volunteers, requests=0)
    pairs = [(user_id, home) for user_id, home in db.session.execute(
        sa.select(VolunteerProfile.user_id, VolunteerProfile.neighbourhood_id))]
    residents = list(db.session.scalars(
        sa.select(UserRole.user_id).where(UserRole.role == Role.RESIDENT)))
    growth = 1 + 0.3 * (MONTHS - 1) / MONTHS / 2
    base = round(requests / MONTHS / statistics.mean(SEASON) / growth)
    seed_history(pairs, residents, random.Random(15), base_per_month=base)  # noqa: S311
    user = User(email="gemeente@bench.nl", name="Bench Gemeente")
    user.add_role(Role.MUNICIPALITY)
    db.session.add(user)
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    counts = {name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
              for name, model in (("requests", HelpRequest), ("volunteers", VolunteerProfile))}
    return {**counts, "municipality_id": user.id}


def _time(client: Any, path: str, repeat: int) -> tuple[float, int]:
    """Median milliseconds of ``repeat`` requests (after one warm-up) and the body size."""
    client.get(path)
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        size = len(response.data)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--volunteers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    os.environ.setdefault("HULPPUNT_ENV", "development")
    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.indicators import periods
    from marketplace.models import Neighbourhood, Role, User, UserRole
    from marketplace.vocabulary import local_today

    if not args.skip_seed:
        _fresh_database(args.url)
    settings = {"SQLALCHEMY_DATABASE_URI": args.url, "RATELIMIT_ENABLED": False,
                "MAIL_ENABLED": False, "WTF_CSRF_ENABLED": False, "INDICATORS_CACHE_SECONDS": 0}
    app = create_app(settings)
    kept_app = create_app({**settings, "REDIS_URL": args.redis, "INDICATORS_CACHE_SECONDS": 600})
    gc.freeze()  # as app.py does once the app is loaded (servers run that way)
    with app.app_context():
        if args.skip_seed:
            user_id = db.session.scalar(sa.select(UserRole.user_id).where(
                UserRole.role == Role.MUNICIPALITY))
            print("reusing the database")
        else:
            started = time.perf_counter()
            summary = _seed(args.requests, args.volunteers)
            user_id = summary.pop("municipality_id")
            print(f"seeded {summary} in {time.perf_counter() - started:.0f} s")
        user = db.session.get(User, user_id)
        if user is None:
            raise SystemExit("no municipality account: run without --skip-seed")
        centrum = db.session.scalar(sa.select(Neighbourhood.id).order_by(Neighbourhood.id))
        last_half = periods.fixed(periods.PeriodKind.HALF_YEAR, local_today()).previous()
        year = periods.fixed(periods.PeriodKind.YEAR, local_today()).previous()
        login = user.get_id()
    clients = []
    for each in (app, kept_app):
        client = each.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = login
            session["_fresh"] = True
        clients.append(client)
    print(f"{'page':<26} {'selection':<24} {'computed':>11} {'kept':>11} {'size':>10}")
    for query in (f"periode={last_half.label}", f"periode={last_half.label}&wijk={centrum}",
                  f"periode={year.label}"):
        for page in PAGES:
            computed, size = _time(clients[0], f"{page}?{query}", args.repeat)
            kept, _size = _time(clients[1], f"{page}?{query}", args.repeat)
            print(f"{page:<26} {query:<24} {computed:8.0f} ms {kept:8.0f} ms "
                  f"{size / 1024:6.0f} KiB")


if __name__ == "__main__":
    main()

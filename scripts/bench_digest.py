"""Benchmark (not a test): build and deliver the weekly digest to 10,000 opted-in volunteers.

    .venv/bin/python -m scripts.bench_digest [--volunteers 10000] [--requests 2000]

Fills a fresh SQLite file with ``scripts.seed_load`` (volunteers with profiles, residents,
requests of which about 40 % are open), confirms the volunteers' addresses and opts them all
in, starts a local SMTP server (aiosmtpd, like ``tests/smtp_server.py``, but only counting),
then runs the digest step of the tick for a Monday 09:00 exactly as the app does without
Redis: each digest is built (open requests the volunteer could take, grouped, rendered in
text and HTML), committed with its outbox row and delivered to the SMTP server right after.
Reports mails per second (building, delivering, end to end), the process's peak RSS and
CPU time, and with ``--tracemalloc`` the peak of traced Python allocations.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import threading
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from aiosmtpd.controller import Controller

MONDAY_NINE = datetime(2027, 2, 8, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


class CountingHandler:
    """Accepts every message and only counts it (so the server holds no mail in memory)."""

    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.count += 1
            self.bytes += len(envelope.content or b"")
        return "250 Message accepted for delivery"


def _prepare(volunteers: int, requests: int) -> None:
    from marketplace.extensions import db
    from marketplace.models import NotificationPreference, User, UserRole
    from marketplace.vocabulary import NotificationDelivery, NotificationKind
    from scripts import seed_load

    db.create_all()
    seed_load.seed(volunteers=volunteers, requests=requests)
    volunteer_ids = list(db.session.scalars(
        sa.select(UserRole.user_id).where(UserRole.role == "volunteer")
    ))
    db.session.execute(sa.update(User).where(User.id.in_(volunteer_ids))
                       .values(email_confirmed_at=datetime.now(UTC)))
    db.session.execute(sa.insert(NotificationPreference), [
        {"user_id": user_id, "kind": NotificationKind.DIGEST,
         "delivery": NotificationDelivery.DIGEST}
        for user_id in volunteer_ids
    ])
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also trace Python allocations (about 2-3x slower)")
    args = parser.parse_args()

    from tests.smtp_server import free_port

    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    # On tmpfs when there is one: the commits then measure the code, not this disk's fsync.
    shm = Path("/dev/shm")  # noqa: S108 - a private mkdtemp inside it
    workdir = Path(tempfile.mkdtemp(prefix="bench-digest-", dir=shm if shm.is_dir() else None))
    os.environ.setdefault("HULPPUNT_ENV", "testing")

    from marketplace import create_app

    app = create_app({
        "HULPPUNT_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'b.db'}",
        "MAIL_ENABLED": True, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
        "MAIL_SUPPRESS_ERRORS": False, "SITE_URL": "https://hulppunt.example.nl",
        "RATELIMIT_ENABLED": False,
    })
    try:
        with app.app_context():
            started = time.perf_counter()
            _prepare(args.volunteers, args.requests)
            print(f"seeded in {time.perf_counter() - started:.1f} s")

            from marketplace import outbox
            from marketplace.notifications import digest

            if args.tracemalloc:
                tracemalloc.start()
            # Phase 1, build: as with REDIS_URL, where each commit hands its mails to the
            # workers, the mails only wait in the outbox here.
            inline_dispatch = outbox.dispatch
            outbox.dispatch = lambda ids: None  # type: ignore[assignment]
            started = time.perf_counter()
            sent = digest.send_digests(MONDAY_NINE)
            build = time.perf_counter() - started
            outbox.dispatch = inline_dispatch  # type: ignore[assignment]
            # Phase 2, deliver: what `flask outbox deliver` (or one RQ worker) does.
            started = time.perf_counter()
            report = outbox.deliver_due()
            deliver = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            if args.tracemalloc:
                tracemalloc.stop()
    finally:
        controller.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"digests queued: {sent}, received by SMTP: {handler.count} "
          f"({handler.bytes / max(handler.count, 1) / 1024:.1f} KiB each)")
    print(f"build {build:.1f} s ({sent / build:.0f} digests/s), deliver {deliver:.1f} s "
          f"({report.done / deliver:.0f} mails/s; {report.failed} failed)")
    total = build + deliver
    print(f"total {total:.1f} s: {handler.count / total:.0f} mails/s end to end")
    traced = f"peak traced Python memory {peak / 2**20:.1f} MiB, " if args.tracemalloc else ""
    print(f"{traced}peak RSS {rss_mb:.0f} MiB (whole process: app, seed data, SMTP server)")
    print(f"CPU time of this process: {time.process_time():.1f} s")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()

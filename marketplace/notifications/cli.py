"""``flask notifications tick`` (the time-driven work once) and ``flask notifications cron``
(RQ's own cron scheduler, enqueueing that work every minute for ``flask rq worker``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import AppGroup

if TYPE_CHECKING:
    from rq.cron import CronScheduler

notifications_cli = AppGroup("notifications", help="Reminders, expiring proposals, digests.")

#: Seconds between two ticks enqueued by RQ's cron.
CRON_INTERVAL = 60


@notifications_cli.command("tick")
@click.option("--now", "now_text", default=None, metavar="ISO-TIME",
              help="Act as if it were this moment (UTC unless it names a zone); for trying out.")
def tick_command(now_text: str | None) -> None:
    """Do every piece of time-driven work that is due, once (cron, or by hand). Safe to run
    twice or while another tick runs."""
    from marketplace.notifications.schedule import tick

    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError as error:
            raise click.BadParameter("use a time such as 2027-03-29T09:00+02:00",
                                     param_hint="--now") from error
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
    click.echo(f"Tick: {tick(now)}.")


@notifications_cli.command("cron")
def cron_command() -> None:
    """Run RQ's cron scheduler: it enqueues the tick every minute on the app's queue, where
    `flask rq worker` runs it. Needs REDIS_URL. One is enough (a second one is harmless)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL is not set: run `flask notifications tick` from cron instead "
            "(make run ticks after requests by itself)."
        )
    scheduler = build_cron(app)
    click.echo(f"RQ cron: the notifications tick every {CRON_INTERVAL} s")
    scheduler.start()


def build_cron(app: Flask) -> CronScheduler:
    """RQ's ``CronScheduler`` on the app's Redis with the tick registered every
    :data:`CRON_INTERVAL` seconds on the app's queue (not started)."""
    # Imported here: rq's cron (croniter) costs every start-up; only this command runs it.
    from rq.cron import CronScheduler

    from marketplace import outbox
    from marketplace.notifications.schedule import tick_job

    queue = outbox.get_queue(app, for_worker=True)
    scheduler = CronScheduler(connection=queue.connection)
    scheduler.register(tick_job, queue_name=queue.name, interval=CRON_INTERVAL,
                       job_timeout=900, name="notifications-tick")
    return scheduler

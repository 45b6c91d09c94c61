"""Command-line groups: ``flask users``, ``flask catalogue``, ``flask demo``, ``flask outbox``,
``flask rq`` and the features'."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from marketplace.transaction import commit

users_cli = AppGroup("users", help="Manage accounts.")
catalogue_cli = AppGroup("catalogue", help="Categories of help and neighbourhoods.")
demo_cli = AppGroup("demo", help="Demo data for trying Hulppunt out.")
outbox_cli = AppGroup("outbox", help="Work that follows a commit (e-mail, matching rounds).")
rq_cli = AppGroup("rq", help="Background jobs (RQ, when REDIS_URL is set).")


@users_cli.command("create-admin")
@click.option("--email", prompt=True, help="E-mail address of the administrator.")
@click.option("--name", prompt=True, help="Full name.")
@click.password_option(help="Password (at least 10 characters).")
def create_admin(email: str, name: str, password: str) -> None:
    """Create the first administrator (or give an existing account the admin role)."""
    from marketplace.auth.services import create_admin_account
    from marketplace.errors import DomainError

    try:
        user = create_admin_account(email=email, name=name, password=password)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    commit()
    click.echo(f"Administrator {user.email} is ready.")


@catalogue_cli.command("seed")
def seed_catalogue() -> None:
    """Add the shipped categories and Hilversum's neighbourhoods when they are missing."""
    from marketplace.admin.services import seed_catalogue as seed

    added = seed()
    commit()
    click.echo(f"Catalogue ready ({added} new rows).")


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has accounts.")
def seed_demo(if_empty: bool) -> None:
    """Fill the database with a deterministic demo of Hilversum."""
    from marketplace.demo import database_has_users, seed

    if if_empty and database_has_users():
        click.echo("Demo data already present; nothing to do.")
        return
    summary = seed(progress=click.echo)
    commit()
    click.echo(summary)


@demo_cli.command("logins")
@click.option("--url", default="http://127.0.0.1:5000", help="Where the app is served.")
def demo_logins(url: str) -> None:
    """Print the demo accounts (only when demo data was seeded)."""
    from marketplace.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_present

    if not demo_accounts_present():
        click.echo("No demo accounts in this database.")
        return
    click.echo("")
    click.echo(f"Hulppunt demo: {url}  (password for every account: {DEMO_PASSWORD})")
    for email, role in DEMO_ACCOUNTS:
        click.echo(f"  {role:<12} {email}")
    click.echo("")


@outbox_cli.command("deliver")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
def outbox_deliver(limit: int | None) -> None:
    """Deliver, in this process, every outbox message that is due (after a crash, or while
    Redis is down). Safe to run from cron every minute."""
    from marketplace import outbox

    report = outbox.deliver_due(limit)
    click.echo(f"Outbox: {report.done} delivered, {report.failed} failed (will be retried), "
               f"{report.skipped} taken by another worker.")


@outbox_cli.command("status")
def outbox_status() -> None:
    """How many outbox messages are pending, queued, running, done and failed."""
    from marketplace import outbox

    counts = outbox.counts()
    click.echo(", ".join(f"{status}: {counts.get(status, 0)}"
                         for status in ("pending", "queued", "running", "done", "failed")))


@rq_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Start an RQ worker on the app's REDIS_URL queue (it first hands out waiting work)."""
    from flask import current_app
    from rq import Worker

    from marketplace import outbox
    from marketplace.warm import warm_up

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: work runs inline, no worker needed.")
    queue = outbox.get_queue(app, for_worker=True)
    handed = outbox.kick()
    click.echo(f"RQ worker on queue {queue.name!r} ({handed} waiting message(s) handed out)")
    # Every job runs in a fork of this process: what is warm here, no job repeats.
    warm_up(app)
    # The scheduler moves jobs whose retry waits (RQ's Retry intervals) back onto the queue.
    Worker([queue], connection=queue.connection).work(burst=burst, with_scheduler=True)


def init_app(app: Flask) -> None:
    from marketplace.aftercare.cli import waakvlam_cli
    from marketplace.notifications.cli import notifications_cli
    from marketplace.privacy.cli import privacy_cli
    from marketplace.rounds.cli import match_cli
    from marketplace.socialmap.cli import socialmap_cli

    for group in (
        users_cli, catalogue_cli, demo_cli, outbox_cli, rq_cli, match_cli, privacy_cli,
        notifications_cli, waakvlam_cli,
        notifications_cli, socialmap_cli,
    ):
        app.cli.add_command(group)

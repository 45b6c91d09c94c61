"""``flask privacy purge``: anonymise closed requests past the retention period (cron-safe)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

privacy_cli = AppGroup("privacy", help="Personal data: retention and anonymisation.")


@privacy_cli.command("purge")
@click.option(
    "--days", type=click.IntRange(min=0), default=None,
    help="Retention in days after a request closed (default: RETENTION_DAYS).",
)
@click.option("--dry-run", is_flag=True, help="Only count; change nothing.")
def purge(days: int | None, dry_run: bool) -> None:
    """Anonymise closed requests older than the retention period. Safe to run from cron."""
    from marketplace.models import utcnow
    from marketplace.privacy.services import count_due, purge_closed_requests
    from marketplace.transaction import commit

    retention = days if days is not None else int(current_app.config["RETENTION_DAYS"])
    now = utcnow()
    if dry_run:
        click.echo(f"{count_due(now, retention)} closed requests would be anonymised "
                   f"(retention {retention} days).")
        return
    count = purge_closed_requests(now, retention)
    commit()
    click.echo(f"{count} closed requests anonymised (retention {retention} days).")

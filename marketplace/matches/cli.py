"""``flask match run`` and ``flask rq worker``."""

from __future__ import annotations

from collections.abc import Callable

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from marketplace.extensions import db

match_cli = AppGroup("match", help="Matching rounds.")
rq_cli = AppGroup("rq", help="Background jobs (RQ, when REDIS_URL is set).")


def _neighbourhood_id(name: str | None) -> int | None:
    """The id of the neighbourhood called ``name`` (case-insensitive); None = whole city."""
    from marketplace.models import Neighbourhood

    if not name:
        return None
    found = db.session.scalar(
        sa.select(Neighbourhood).where(sa.func.lower(Neighbourhood.name) == name.strip().lower())
    )
    if found is None:
        names = db.session.scalars(sa.select(Neighbourhood.name).order_by(Neighbourhood.name))
        raise click.BadParameter(
            f"unknown neighbourhood {name!r} (known: {', '.join(names)})", param_hint="--wijk"
        )
    return int(found.id)


def _printer(step: int = 10) -> Callable[[int, int], None]:
    """A progress callback printing a line every ``step`` percent."""
    state = {"last": -1}

    def progress(done: int, total: int) -> None:
        percent = 100 if total <= 0 else int(100 * done / total)
        bucket = percent // step
        if bucket > state["last"]:
            state["last"] = bucket
            click.echo(f"Progress: {percent:3d}% ({done}/{total})")

    return progress


@match_cli.command("run")
@click.option("--wijk", "wijk", default=None, help="Only this neighbourhood (default: the city).")
@click.option("--dry-run", is_flag=True, help="Only suggest; send nothing to volunteers.")
def run(wijk: str | None, dry_run: bool) -> None:
    """Run a matching round now and print a summary."""
    from marketplace.matches import notifications, services

    neighbourhood_id = _neighbourhood_id(wijk)
    scope = wijk or "whole city"
    click.echo(f"Matching round for {scope} ({'dry run' if dry_run else 'real'})...")
    matching_round = services.run_round(None, neighbourhood_id, dry_run, progress=_printer())
    db.session.commit()
    sent = notifications.notify_round(matching_round)
    _summary(matching_round, sent)


def _summary(matching_round: object, sent: int) -> None:
    from marketplace.matches.services import reason_label

    stats = getattr(matching_round, "stats", {}) or {}
    click.echo(
        f"Round {getattr(matching_round, 'id', '?')}: {stats.get('requests', 0)} open requests, "
        f"{stats.get('volunteers', 0)} volunteers, {stats.get('matched', 0)} matched, "
        f"{stats.get('unmatched_count', 0)} unmatched."
    )
    for code, count in sorted((stats.get("unmatched_by_reason") or {}).items()):
        click.echo(f"  unmatched {code}: {count} ({reason_label(code)})")
    if not getattr(matching_round, "dry_run", True):
        click.echo(f"Proposals sent to volunteers; {sent} e-mail(s) delivered.")


@rq_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Start an RQ worker on the app's REDIS_URL queue."""
    from rq import Worker

    from marketplace.matches.jobs import get_queue

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: rounds run inline, no worker needed.")
    queue = get_queue(app)
    click.echo(f"RQ worker on queue {queue.name!r}")
    Worker([queue], connection=queue.connection).work(burst=burst)

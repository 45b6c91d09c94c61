"""``flask match run``: a matching round from the command line (cron, or by hand)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from marketplace.extensions import db
from marketplace.models import MatchingRound

match_cli = AppGroup("match", help="Matching rounds.")


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
            f"unknown neighbourhood {name!r} (known: {', '.join(names)})",
            param_hint="--neighbourhood",
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
@click.option(
    "--neighbourhood", "--wijk", "neighbourhood", default=None,
    help="Only this neighbourhood (wijk) by name (default: the whole city).",
)
@click.option("--dry-run", is_flag=True, help="Only suggest; send nothing to volunteers.")
@click.option("--region", is_flag=True,
              help="A region in shards (RQ workers when REDIS_URL is set), stored as a round.")
@click.option("--shards", default=4, show_default=True, type=click.IntRange(1, 64),
              help="With --region: the number of shards.")
def run(neighbourhood: str | None, dry_run: bool, region: bool, shards: int) -> None:
    """Run a matching round now and print a summary."""
    from marketplace.rounds import services
    from marketplace.transaction import commit

    neighbourhood_id = _neighbourhood_id(neighbourhood)
    if region:
        from marketplace.rounds.region_cli import run_region

        _summary(run_region(neighbourhood_id, shards, click.echo, dry_run))
        return
    scope = neighbourhood or "whole city"
    click.echo(f"Matching round for {scope} ({'dry run' if dry_run else 'real'})...")
    steps: dict[str, float] = {}
    # A one-shot process: the cyclic collector would walk the round's hundreds of thousands
    # of new rows and tuples again and again (a quarter of the reads' time), to free
    # nothing; what the round leaves goes when the process ends (as `python -m matching`).
    gc.disable()
    try:
        matching_round = services.run_round(
            None, neighbourhood_id, dry_run, progress=_printer(), steps=steps
        )
    finally:
        gc.enable()
    started = time.perf_counter()
    commit()
    steps["commit"] = time.perf_counter() - started
    _summary(matching_round)
    click.echo("Steps: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items()))


def _summary(matching_round: MatchingRound) -> None:
    from marketplace.rounds.services import reason_label

    stats = matching_round.stats or {}
    click.echo(
        f"Round {matching_round.id}: {stats.get('requests', 0)} open requests, "
        f"{stats.get('volunteers', 0)} volunteers, {stats.get('matched', 0)} matched, "
        f"{stats.get('unmatched_count', 0)} unmatched."
    )
    for code, count in sorted((stats.get("unmatched_by_reason") or {}).items()):
        click.echo(f"  unmatched {code}: {count} ({reason_label(code)})")
    if not matching_round.dry_run:
        click.echo("Proposals sent to volunteers (e-mail through the outbox).")

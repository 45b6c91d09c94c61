"""``flask waakvlam``: the administrator keeps the named rhythms of check-ins (data)."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from marketplace.transaction import commit

waakvlam_cli = AppGroup("waakvlam", help="Rhythms of waakvlam check-ins.")


@waakvlam_cli.command("rhythm")
@click.argument("name")
@click.argument("stages")
def save_rhythm(name: str, stages: str) -> None:
    """Add or change the rhythm NAME. STAGES is JSON, for example
    '[{"every_days": 7, "times": 4}, {"every_days": 30, "times": null}]'."""
    from marketplace.aftercare import waakvlam
    from marketplace.errors import DomainError

    try:
        rhythm = waakvlam.save_rhythm(name, json.loads(stages))
    except (ValueError, DomainError) as error:
        message = error.message if isinstance(error, DomainError) else error
        raise click.ClickException(str(message)) from error
    commit()
    click.echo(f"Rhythm {rhythm.name!r} saved: {json.dumps(rhythm.stages)}")


@waakvlam_cli.command("rhythms")
def list_rhythms() -> None:
    """List the named rhythms."""
    from marketplace.aftercare import waakvlam

    for rhythm in waakvlam.rhythms():
        click.echo(f"{rhythm.name}: {json.dumps(rhythm.stages)}")

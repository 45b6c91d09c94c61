"""``flask socialmap``: seed the taxonomy, import HSDS data, flag stale entries."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.transaction import commit, rollback

socialmap_cli = AppGroup("socialmap", help="The sociale kaart (HSDS): taxonomy, import, checks.")


@socialmap_cli.command("seed")
def seed_taxonomy() -> None:
    """Add the Hulppunt taxonomy of kinds of help (safe to run again)."""
    from marketplace.socialmap.taxonomy import ensure_taxonomy

    taxonomy = ensure_taxonomy()
    commit()
    click.echo(f"Taxonomy {taxonomy.name!r} ready ({len(taxonomy.terms)} terms).")


@socialmap_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def import_hsds(path: Path) -> None:
    """Load HSDS 3.0 organisations and services from a .json file or a folder of them.
    Matched by HSDS id: running it again with the same data changes nothing."""
    from marketplace import audit
    from marketplace.hsds.importer import InvalidImport, import_path

    try:
        report = import_path(path)
    except InvalidImport as error:
        rollback()
        raise click.ClickException("Nothing imported. Problems:\n" + "\n".join(
            f"  - {problem}" for problem in error.problems)) from error
    audit.record(None, "socialmap.imported", None, detail=str(path)[:200])
    commit()
    click.echo(f"{report} from {path}.")


@socialmap_cli.command("flag-stale")
def flag_stale() -> None:
    """Tell the owners of entries not checked for SOCIAL_MAP_STALE_DAYS (once per entry)."""
    from marketplace.models import utcnow
    from marketplace.socialmap.stale import tick

    written = tick(utcnow())
    click.echo(f"{written} notification(s) about entries to check "
               f"(stale after {current_app.config['SOCIAL_MAP_STALE_DAYS']} days).")

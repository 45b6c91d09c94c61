"""Command-line groups: ``flask users``, ``flask catalogue``, ``flask demo`` and the features'."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from marketplace.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")
catalogue_cli = AppGroup("catalogue", help="Categories of help and neighbourhoods.")
demo_cli = AppGroup("demo", help="Demo data for trying Hulppunt out.")


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
    db.session.commit()
    click.echo(f"Administrator {user.email} is ready.")


@catalogue_cli.command("seed")
def seed_catalogue() -> None:
    """Add the shipped categories and Hilversum's neighbourhoods when they are missing."""
    from marketplace.admin.services import seed_catalogue as seed

    added = seed()
    db.session.commit()
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
    db.session.commit()
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


def init_app(app: Flask) -> None:
    from marketplace.matches.cli import match_cli, rq_cli
    from marketplace.privacy.cli import privacy_cli

    for group in (users_cli, catalogue_cli, demo_cli, match_cli, rq_cli, privacy_cli):
        app.cli.add_command(group)

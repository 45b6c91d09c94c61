"""Deterministic demo data for Hilversum (placeholder, filled in by the demo work)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import User

DEMO_PASSWORD = "hulppunt-demo"  # noqa: S105 - documented demo password, demo data only
DEMO_ACCOUNTS = [
    ("bewoner@demo.hulppunt.nl", "resident"),
    ("vrijwilliger@demo.hulppunt.nl", "volunteer"),
    ("coordinator@demo.hulppunt.nl", "coordinator"),
    ("verwijzer@demo.hulppunt.nl", "referrer"),
    ("admin@demo.hulppunt.nl", "admin"),
]


def database_has_users() -> bool:
    return db.session.scalar(sa.select(sa.func.count(User.id))) > 0


def demo_accounts_present() -> bool:
    emails = [email for email, _role in DEMO_ACCOUNTS]
    return bool(db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email.in_(emails))))


def seed(progress: Callable[[str], None] | None = None) -> str:
    from marketplace.admin.services import seed_catalogue

    seed_catalogue()
    return "Catalogue seeded."

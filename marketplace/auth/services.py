"""Accounts: registration, login, password reset. Services flush; the view commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import Role, User

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the active user with this id, or None."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.is_active else None


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_admin_account(email: str, name: str, password: str) -> User:
    """Create an administrator, or add the admin role to an existing account.

    Raises :class:`DomainError` when the password is too short.
    """
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("Het wachtwoord moet minstens 10 tekens hebben."))
    user = find_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), name=name.strip() or email)
        db.session.add(user)
    user.set_password(password)
    user.add_role(Role.ADMIN)
    user.add_role(Role.COORDINATOR)
    db.session.flush()
    return user

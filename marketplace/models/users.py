"""Accounts and their roles. One account may hold several roles."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk
from marketplace.passwords import hash_password, verify_password
from marketplace.vocabulary import Role

if TYPE_CHECKING:
    from marketplace.models.catalogue import Neighbourhood
    from marketplace.models.volunteers import VolunteerProfile


class UserRole(Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = enum_column(Role, primary_key=True)


class User(UserMixin, Model):
    """A person with an account. Residents entered at the desk may have no e-mail address
    and no password: they cannot log in until they set one."""

    __tablename__ = "users"

    id: Mapped[intpk]
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True, index=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(sa.String(30))  # E.164, see marketplace.phones
    # Which contact details the other side of an accepted pairing sees (see
    # ``access.shared_contact``); the person chooses, both by default.
    share_phone: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    share_email: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    neighbourhood_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    locale: Mapped[str] = mapped_column(sa.String(5), default="nl")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped when the password changes (so reset tokens work only once) and on "log out
    # everywhere": sessions and remember-me cookies carry it (``get_id``).
    security_stamp: Mapped[int] = mapped_column(default=0)
    # Set when the owner clicked the link we mailed. Until then no e-mail but that link goes
    # to the address: someone may have typed another person's address.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # SHA-256 of the secret link of the person's calendar feed (marketplace.agenda), never
    # the link itself; None when there is no link.
    calendar_token_hash: Mapped[str | None] = mapped_column(
        sa.String(64), unique=True, index=True
    )

    if TYPE_CHECKING:
        # Unread notifications: a deferred column made in models/notifications.py.
        unread_notifications: Mapped[int]

    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="select"  # read when asked: mostly the viewer's own
    )
    neighbourhood: Mapped[Neighbourhood | None] = relationship(lazy="joined")
    volunteer_profile: Mapped[VolunteerProfile | None] = relationship(
        back_populates="user",
        uselist=False,
        cascade="all, delete-orphan",
        foreign_keys="VolunteerProfile.user_id",
    )

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    def add_role(self, role: Role) -> None:
        if role not in self.roles:
            self.role_rows.append(UserRole(role=role))

    def remove_role(self, role: Role) -> None:
        self.role_rows = [row for row in self.role_rows if row.role != role]

    @property
    def is_staff(self) -> bool:
        return self.has_role(Role.COORDINATOR, Role.ADMIN)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active and self.anonymised_at is None

    @property
    def awaits_email_confirmation(self) -> bool:
        return bool(self.email) and self.email_confirmed_at is None

    @property
    def gets_email(self) -> bool:
        """Mail about help goes only to a confirmed address (see ``email_confirmed_at``)."""
        return bool(self.email) and self.email_confirmed_at is not None

    def get_id(self) -> str:  # Flask-Login: stored in the session and remember cookie
        # The stamp changes with every new password (and on anonymisation), so sessions
        # and remember-me cookies on other devices end when the password is reset.
        return f"{self.id}:{self.security_stamp or 0}"

    def renew_security_stamp(self) -> None:
        """End every session, remember-me cookie and reset link made before now."""
        self.security_stamp = (self.security_stamp or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)
        self.renew_security_stamp()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and verify_password(self.password_hash or "", password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

"""The audit log (who did or saw what) and concerns raised by residents and volunteers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk
from marketplace.vocabulary import ConcernStatus

if TYPE_CHECKING:
    from marketplace.models.matches import Match
    from marketplace.models.users import User


class AuditEntry(Model):
    __tablename__ = "audit_log"

    id: Mapped[intpk]
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(40), default="")
    target_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(sa.String(500), default="")
    at: Mapped[created_at]

    actor: Mapped[User | None] = relationship()


class Concern(Model):
    __tablename__ = "concerns"

    id: Mapped[intpk]
    reporter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    help_request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("help_requests.id", ondelete="SET NULL")
    )
    neighbourhood_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    message: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ConcernStatus] = enum_column(ConcernStatus, default=ConcernStatus.OPEN)
    created_at: Mapped[created_at]
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # A concern about a match (its conversation): the neighbourhood's coordinators may then
    # read that conversation (``access.can_read_conversation``).
    match_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("matches.id", ondelete="SET NULL"), index=True
    )

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    match: Mapped[Match | None] = relationship()

"""Informal carers (mantelzorgers): their profile, their overload checks, and the extra facts
of a respite request (the person cared for is the one helped, the carer is the one asking)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, intpk, utcnow

if TYPE_CHECKING:
    from marketplace.models.requests import HelpRequest
    from marketplace.models.users import User


class CarerProfile(Model):
    """Whom a person cares for and how much. One per account; registered by the carer, or by
    a coordinator or referrer with the carer's consent (``registered_by_id``, ``consent_at``)."""

    __tablename__ = "carer_profiles"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    relation: Mapped[str] = mapped_column(sa.String(20))  # see carers.vocabulary.RELATIONS
    lives_together: Mapped[bool] = mapped_column(default=False)
    since: Mapped[date | None]
    hours_per_week: Mapped[int] = mapped_column(default=0)
    care_kinds: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    conditions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    registered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<CarerProfile {self.id} user={self.user_id}>"


class CarerCheck(Model):
    """One overload check: the answers (area -> 1..5), the felt burden (1..5, the GGD
    monitor's question) and the outcome computed by ``carers.scoring`` when it was taken."""

    __tablename__ = "carer_checks"

    id: Mapped[intpk]
    # None once the check is past the retention period: it then only counts.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    neighbourhood_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    answers: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    felt_burden: Mapped[int]
    total: Mapped[int]
    level: Mapped[str] = mapped_column(sa.String(20))  # see carers.scoring.LEVELS
    high_areas: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<CarerCheck {self.id} user={self.user_id} {self.level}>"


class RespiteDetails(Model):
    """The two people of a respite request. The request's own address is where the help
    happens (the person cared for); the carer's needs and address are kept here."""

    __tablename__ = "respite_details"

    help_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True
    )
    cared_for_name: Mapped[str] = mapped_column(sa.String(120))
    cared_for_needs: Mapped[str] = mapped_column(sa.Text, default="")
    carer_needs: Mapped[str] = mapped_column(sa.Text, default="")
    carer_address: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[created_at]

    help_request: Mapped[HelpRequest] = relationship()

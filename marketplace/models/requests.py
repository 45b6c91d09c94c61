"""Help requests and the record of every change of their state."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk, utcnow
from marketplace.vocabulary import DAYS, RequestSource, RequestStatus, Timing

if TYPE_CHECKING:
    from marketplace.models.catalogue import Category, Neighbourhood
    from marketplace.models.users import User


def weekly_slot(
    timing: str, weekday: str | None, part_of_day: str | None, date_start: date | None
) -> str | None:
    """The weekly slot code ("mon-morning") of a request with these fields, else None.

    A plain function so that code reading bare columns (no ORM object) uses the same rule.
    """
    if part_of_day is None:
        return None
    if timing == Timing.WEEKLY and weekday:
        return f"{weekday}-{part_of_day}"
    if timing == Timing.ONCE and date_start is not None:
        day = DAYS[date_start.weekday()]
        return f"{day}-{part_of_day}"
    return None


class HelpRequest(Model):
    __tablename__ = "help_requests"
    __table_args__ = (
        sa.Index("ix_help_requests_neighbourhood_id_status", "neighbourhood_id", "status"),
    )

    id: Mapped[intpk]
    requester_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[RequestSource] = enum_column(RequestSource, default=RequestSource.ONLINE)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text)
    timing: Mapped[Timing] = enum_column(Timing, default=Timing.ONCE)
    date_start: Mapped[date | None]
    date_end: Mapped[date | None]
    weekday: Mapped[str | None] = mapped_column(sa.String(3))
    part_of_day: Mapped[str | None] = mapped_column(sa.String(10))
    postcode: Mapped[str] = mapped_column(sa.String(7))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    latitude: Mapped[float]
    longitude: Mapped[float]
    # Indexed together with the status (below): the staff dashboard's counts.
    neighbourhood_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="SET NULL")
    )
    urgency: Mapped[int] = mapped_column(default=1)
    preferred_language: Mapped[str] = mapped_column(sa.String(20), default="nl")
    own_network: Mapped[str] = mapped_column(sa.Text, default="")
    can_offer: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[RequestStatus] = enum_column(
        RequestStatus, default=RequestStatus.SUBMITTED, index=True
    )
    status_note: Mapped[str] = mapped_column(sa.String(500), default="")
    consent_given: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Optimistic locking: two writers never silently overwrite each other.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    requester: Mapped[User] = relationship(foreign_keys=[requester_id], lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    category: Mapped[Category] = relationship(lazy="joined")
    neighbourhood: Mapped[Neighbourhood | None] = relationship(lazy="joined")
    transitions: Mapped[list[RequestTransition]] = relationship(
        back_populates="help_request",
        cascade="all, delete-orphan",
        order_by="RequestTransition.id",
    )

    @property
    def slot(self) -> str | None:
        """The weekly slot code ("mon-morning") when the request has one, else None."""
        return weekly_slot(self.timing, self.weekday, self.part_of_day, self.date_start)

    def __repr__(self) -> str:
        return f"<HelpRequest {self.id} {self.status}>"


class RequestTransition(Model):
    """One change of a request's state: who, when, from what to what, and why."""

    __tablename__ = "request_transitions"

    id: Mapped[intpk]
    help_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[RequestStatus | None] = enum_column(RequestStatus, nullable=True)
    to_status: Mapped[RequestStatus] = enum_column(RequestStatus)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    at: Mapped[created_at]

    help_request: Mapped[HelpRequest] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()

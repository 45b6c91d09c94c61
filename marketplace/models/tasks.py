"""Follow-up tasks: something a coordinator of a neighbourhood should look at, by a date.

Aftercare (help not confirmed, not given, a low rating, a concern, recurring help gone
quiet), waakvlam check-ins and informal carers' overload checks open them;
:mod:`marketplace.tasks` is their only writer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk
from marketplace.vocabulary import TaskKind, TaskStatus

if TYPE_CHECKING:
    from marketplace.models.catalogue import Neighbourhood
    from marketplace.models.matches import Match
    from marketplace.models.requests import HelpRequest
    from marketplace.models.users import User


class FollowUpTask(Model):
    """One thing to follow up, for the coordinators of one neighbourhood (or all, if none).

    ``key`` makes opening it idempotent ("unconfirmed:match:12"): the same cause never opens
    two tasks. ``person`` is who the task is about (the resident, the carer); ``params`` holds
    only what the task's text needs.
    """

    __tablename__ = "follow_up_tasks"
    __table_args__ = (sa.Index("ix_follow_up_tasks_open", "status", "due_on"),)

    id: Mapped[intpk]
    kind: Mapped[TaskKind] = enum_column(TaskKind)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    status: Mapped[TaskStatus] = enum_column(TaskStatus, default=TaskStatus.OPEN)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    help_request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("help_requests.id", ondelete="SET NULL"), index=True
    )
    match_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("matches.id", ondelete="SET NULL"), index=True
    )
    due_on: Mapped[date] = mapped_column(sa.Date)
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[created_at]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    outcome: Mapped[str] = mapped_column(sa.String(500), default="")

    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
    help_request: Mapped[HelpRequest | None] = relationship()
    match: Mapped[Match | None] = relationship()
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def is_open(self) -> bool:
        return self.status is TaskStatus.OPEN

    def overdue_on(self, today: date) -> bool:
        """True while the task is open after its due date."""
        return self.is_open and self.due_on < today

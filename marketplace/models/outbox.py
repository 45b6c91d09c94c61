"""The outbox: work that must follow a commit, stored in the same transaction as its cause."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # written, waiting to be handed out (or to be tried again)
    QUEUED = "queued"  # handed to an RQ worker
    RUNNING = "running"  # a worker or the inline deliverer is on it
    DONE = "done"
    FAILED = "failed"  # gave up after the last attempt; shown to administrators


class OutboxMessage(Model):
    """One piece of work (an e-mail, a matching round) to do once its transaction committed.

    ``kind`` names the handler (see :mod:`marketplace.outbox`); ``payload`` is its JSON input.
    """

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_status_available_at", "status", "available_at"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[OutboxStatus] = enum_column(OutboxStatus, default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]
    # Not before this time (a retry waits); also when it was last handed out or claimed.
    available_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str] = mapped_column(sa.String(500), default="")

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"

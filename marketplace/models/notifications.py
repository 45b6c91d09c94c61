"""Notifications: one row per event a person should hear about, and how they want to hear.

A row feeds the bell and the list at ``/notifications``, and (depending on the recipient's
:class:`NotificationPreference` and address) an e-mail now, a line in the weekly e-mail, or a
phone call by the coordinator. :mod:`marketplace.notifications` writes them.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk
from marketplace.models.users import User
from marketplace.vocabulary import NotificationDelivery, NotificationKind

if TYPE_CHECKING:
    from marketplace.models.matches import Match
    from marketplace.models.requests import HelpRequest


class NotificationMail(enum.StrEnum):
    """What happens (or happened) with the e-mail of one notification."""

    QUEUED = "queued"  # an outbox message will send it
    SENT = "sent"  # sent (``emailed_at``), on its own or in the weekly e-mail
    DIGEST = "digest"  # waits for the recipient's weekly e-mail
    OFF = "off"  # the recipient switched this kind off: only the bell
    NO_ADDRESS = "no_address"  # no confirmed address: the bell, and perhaps a phone call


class Notification(Model):
    """One thing one person should hear about.

    ``key`` makes writing it idempotent ("proposal_new:match:123"): the same event never
    becomes two rows, so never two e-mails. ``params`` holds only what the text needs and
    the recipient may see.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_recipient_read", "recipient_id", "read_at"),
        sa.Index("ix_notifications_phone", "phone_needed", "phoned_at"),
    )

    id: Mapped[intpk]
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = enum_column(NotificationKind)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    help_request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("help_requests.id", ondelete="SET NULL"), index=True
    )
    match_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("matches.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[created_at]
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    mail: Mapped[NotificationMail] = enum_column(NotificationMail, default=NotificationMail.OFF)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A resident without a confirmed address hears it from their coordinator.
    phone_needed: Mapped[bool] = mapped_column(default=False)
    phoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    phoned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    help_request: Mapped[HelpRequest | None] = relationship()
    match: Mapped[Match | None] = relationship()
    phoned_by: Mapped[User | None] = relationship(foreign_keys=[phoned_by_id])

    @property
    def unread(self) -> bool:
        return self.read_at is None

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} to {self.recipient_id}>"


# The bell's count as a column of the account, read only when asked for (deferred): the
# account's loader on every page asks for it, so a page's header gets its count in the
# account's statement instead of a statement of its own (marketplace.auth.services,
# marketplace.notifications.services.unread_count).
User.unread_notifications = column_property(
    sa.select(sa.func.count(Notification.id))
    .where(Notification.recipient_id == User.id, Notification.read_at.is_(None))
    .correlate_except(Notification)
    .scalar_subquery(),
    deferred=True,
)


class NotificationPreference(Model):
    """How one person wants one kind delivered. No row: the kind's default."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[NotificationKind] = enum_column(NotificationKind, primary_key=True)
    delivery: Mapped[NotificationDelivery] = enum_column(NotificationDelivery)

"""What a new message tells the other side, through :func:`marketplace.notifications.notify`.

One notification per message and recipient, except while the recipient still has an unread
one about the same conversation: a burst of messages gives one e-mail, not ten. The text of
the message is never copied into the notification; the e-mail reads it at sending time, and
only for a recipient who chose that (:class:`~marketplace.models.MessageMailSetting`).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import ConversationMessage, Match, Notification, User, utcnow
from marketplace.notifications import notify
from marketplace.vocabulary import NotificationKind


def _waiting(recipient: User, match: Match) -> bool:
    """True when ``recipient`` has an unread message notification for ``match`` already."""
    return db.session.scalar(
        sa.select(Notification.id).where(
            Notification.recipient_id == recipient.id,
            Notification.kind == NotificationKind.MESSAGE_NEW,
            Notification.match_id == match.id,
            Notification.read_at.is_(None),
        ).limit(1)
    ) is not None


def message_written(message: ConversationMessage, match: Match,
                    recipients: Iterable[User]) -> int:
    """Tell each of ``recipients`` that there is a new message. Returns how many were told."""
    told = 0
    for recipient in recipients:
        if _waiting(recipient, match):
            continue
        told += notify(
            recipient, NotificationKind.MESSAGE_NEW,
            key=f"message_new:{message.id}:{recipient.id}",
            help_request=match.help_request, match=match, message_id=message.id,
        ) is not None
    return told


def mark_told(user: User, match: Match) -> None:
    """Mark ``user``'s message notifications about ``match`` read (they opened it)."""
    db.session.execute(
        sa.update(Notification).where(
            Notification.recipient_id == user.id,
            Notification.kind == NotificationKind.MESSAGE_NEW,
            Notification.match_id == match.id,
            Notification.read_at.is_(None),
        ).values(read_at=utcnow())
    )

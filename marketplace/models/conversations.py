"""Messages within an accepted match: the two sides arrange things without the coordinator.

A :class:`ConversationMessage` belongs to one match; :class:`ConversationRead` remembers up
to which message each person read (the unread count on the match page);
:class:`MessageMailSetting` says whether a person wants a new message's text in the e-mail
(no row: only that there is a message). :mod:`marketplace.conversations` writes them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, intpk

if TYPE_CHECKING:
    from marketplace.models.matches import Match
    from marketplace.models.users import User


class ConversationMessage(Model):
    """One message. ``removed_at`` set: the text was removed (the author's account was
    deleted, or the request was anonymised) and ``body`` is empty."""

    __tablename__ = "conversation_messages"
    __table_args__ = (sa.Index("ix_conversation_messages_author_created", "author_id",
                               "created_at"),)

    id: Mapped[intpk]
    match_id: Mapped[int] = mapped_column(
        sa.ForeignKey("matches.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[created_at]
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    match: Mapped[Match] = relationship()
    author: Mapped[User | None] = relationship()


class ConversationRead(Model):
    """The last message of a match's conversation that one person has seen."""

    __tablename__ = "conversation_reads"

    match_id: Mapped[int] = mapped_column(
        sa.ForeignKey("matches.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_id: Mapped[int] = mapped_column(default=0)


class MessageMailSetting(Model):
    """A person's choice to get the text of a new message in its e-mail."""

    __tablename__ = "message_mail_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    include_text: Mapped[bool] = mapped_column(default=False)

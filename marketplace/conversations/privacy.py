"""Conversations and personal data: the export, deleting an account, the retention period.

Called from :mod:`marketplace.privacy.services`. A deleted author's messages keep their
place in the conversation (the other side still reads "Dit bericht is verwijderd"), without
their text; anonymising a request removes the text of every message about it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    ConversationMessage,
    HelpRequest,
    Match,
    MessageMailSetting,
    User,
)


def _row(message: ConversationMessage, written: bool) -> dict[str, Any]:
    return {"match_id": message.match_id, "written_by_me": written,
            "at": message.created_at.isoformat(), "text": message.body,
            "removed": message.removed_at is not None}


def export_messages(user: User) -> list[dict[str, Any]]:
    """Every message ``user`` wrote, and every message in a conversation of theirs (as the
    volunteer or as the resident), oldest first."""
    own_matches = sa.select(Match.id).join(HelpRequest).where(
        sa.or_(Match.volunteer_id == user.id, HelpRequest.requester_id == user.id)
    )
    messages = db.session.scalars(
        sa.select(ConversationMessage).where(sa.or_(
            ConversationMessage.author_id == user.id,
            ConversationMessage.match_id.in_(own_matches),
        )).order_by(ConversationMessage.id)
    ).all()
    return [_row(message, message.author_id == user.id) for message in messages]


def export_setting(user: User) -> dict[str, bool]:
    """The person's choice about a message's text in e-mails."""
    row = db.session.get(MessageMailSetting, user.id)
    return {"message_text_in_email": bool(row and row.include_text)}


def forget_author(user: User, now: datetime) -> int:
    """Remove the text of every message ``user`` wrote and their e-mail choice (the account
    is being deleted). Returns how many messages; the caller commits."""
    db.session.execute(sa.delete(MessageMailSetting).where(MessageMailSetting.user_id == user.id))
    result = db.session.execute(
        sa.update(ConversationMessage).where(ConversationMessage.author_id == user.id)
        .values(body="", removed_at=sa.func.coalesce(ConversationMessage.removed_at, now))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def forget_request(help_request: HelpRequest, now: datetime) -> int:
    """Remove the text of every message about ``help_request`` (it is anonymised). Returns
    how many messages; the caller commits."""
    match_ids = sa.select(Match.id).where(Match.help_request_id == help_request.id)
    result = db.session.execute(
        sa.update(ConversationMessage).where(ConversationMessage.match_id.in_(match_ids))
        .values(body="", removed_at=sa.func.coalesce(ConversationMessage.removed_at, now))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

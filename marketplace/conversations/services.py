"""Read and write a match's conversation, and what the unread count and e-mails need.

Who may read or write is :mod:`marketplace.access` (``can_read_conversation``,
``can_write_conversation``); this module enforces it, keeps the length and rate limits,
notifies the other side and audits a coordinator's reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from marketplace import access, audit
from marketplace.conversations import notifications
from marketplace.errors import DomainError, NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import (
    ConversationMessage,
    ConversationRead,
    Match,
    MessageMailSetting,
    User,
    utcnow,
)

#: The longest message, in characters.
MAX_LENGTH = 2000
#: At most this many messages per person in :data:`RATE_WINDOW` (against spam).
RATE_LIMIT = 10
RATE_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Conversation:
    """A conversation as one viewer sees it."""

    match: Match
    messages: list[ConversationMessage]
    #: The viewer may write (a side, while the help runs).
    writable: bool
    #: The viewer reads as a coordinator, through a reported concern.
    as_staff: bool


def _match(match_id: int) -> Match:
    match = db.session.get(Match, match_id)
    if match is None:
        raise NotFound(_l("Dit gesprek is niet gevonden."))
    return match


def messages_of(match: Match) -> list[ConversationMessage]:
    """The match's messages, oldest first."""
    return list(db.session.scalars(
        sa.select(ConversationMessage).where(ConversationMessage.match_id == match.id)
        .order_by(ConversationMessage.id)
    ))


def open_conversation(viewer: User, match_id: int) -> Conversation:
    """The conversation of match ``match_id`` for ``viewer``; marks it read for a side and
    writes an audit entry when a coordinator reads it. Raises :class:`NotFound` for anyone
    who may not read it (never saying that it exists). The caller commits."""
    match = _match(match_id)
    if not access.can_read_conversation(viewer, match):
        raise NotFound(_l("Dit gesprek is niet gevonden."))
    as_staff = not access.is_conversation_party(viewer, match)
    messages = messages_of(match)
    if as_staff:
        audit.record(viewer, "conversation.viewed_by_staff", match)
    elif messages:
        mark_read(viewer, match, messages[-1].id)
        notifications.mark_told(viewer, match)
    return Conversation(match, messages, access.can_write_conversation(viewer, match), as_staff)


def _clean(body: str) -> str:
    """The text without NUL characters, carriage returns and surrounding blank space."""
    return (body or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def sent_recently(author: User, now: datetime) -> int:
    """How many messages ``author`` wrote in the last :data:`RATE_WINDOW`."""
    return int(db.session.scalar(
        sa.select(sa.func.count(ConversationMessage.id)).where(
            ConversationMessage.author_id == author.id,
            ConversationMessage.created_at > now - RATE_WINDOW,
        )
    ) or 0)


def post_message(author: User, match_id: int, body: str,
                 now: datetime | None = None) -> ConversationMessage:
    """Add ``author``'s message to the conversation and notify the other side.

    Raises :class:`NotFound` when ``author`` may not read the conversation,
    :class:`NotAllowed` when it is read-only (the help ended, or a coordinator reads it),
    :class:`DomainError` for an empty or too long text or more than :data:`RATE_LIMIT`
    messages in :data:`RATE_WINDOW`. Flushes; the caller commits.
    """
    match = _match(match_id)
    if not access.can_read_conversation(author, match):
        raise NotFound(_l("Dit gesprek is niet gevonden."))
    if not access.can_write_conversation(author, match):
        raise NotAllowed(_l("In dit gesprek kunt u niet (meer) schrijven."))
    text = _clean(body)
    if not text:
        raise DomainError(_l("Schrijf eerst een bericht."))
    if len(text) > MAX_LENGTH:
        raise DomainError(_l("Uw bericht is te lang (hoogstens 2000 tekens)."))
    now = now or utcnow()
    if sent_recently(author, now) >= RATE_LIMIT:
        raise DomainError(_l("U heeft veel berichten kort na elkaar gestuurd. Wacht tien "
                             "minuten en probeer het dan opnieuw. Uw bericht staat nog "
                             "hieronder."))
    message = ConversationMessage(match_id=match.id, author_id=author.id, body=text,
                                  created_at=now)
    db.session.add(message)
    db.session.flush()
    mark_read(author, match, message.id)
    notifications.message_written(message, match, others(match, author))
    return message


def others(match: Match, author: User) -> list[User]:
    """Who hears of ``author``'s message: the volunteer, or the resident and whoever else
    wrote for the resident's side (a referrer, the desk)."""
    if author.id != match.volunteer_id:
        return [match.volunteer]
    people = {match.help_request.requester_id: match.help_request.requester}
    writers = db.session.scalars(
        sa.select(User).join(ConversationMessage, ConversationMessage.author_id == User.id)
        .where(ConversationMessage.match_id == match.id, User.id != author.id)
    ).unique()
    for writer in writers:
        if access.speaks_for_resident(writer, match):
            people.setdefault(writer.id, writer)
    return list(people.values())


def mark_read(user: User, match: Match, last_id: int) -> None:
    """Remember that ``user`` has seen the conversation up to message ``last_id``."""
    row = db.session.get(ConversationRead, (match.id, user.id))
    if row is None:
        db.session.add(ConversationRead(match_id=match.id, user_id=user.id, last_read_id=last_id))
    elif row.last_read_id < last_id:
        row.last_read_id = last_id


def unread_count(user: User, match: Match) -> int:
    """How many messages of others ``user`` has not seen yet in ``match``'s conversation."""
    row = db.session.get(ConversationRead, (match.id, user.id))
    return int(db.session.scalar(
        sa.select(sa.func.count(ConversationMessage.id)).where(
            ConversationMessage.match_id == match.id,
            ConversationMessage.id > (row.last_read_id if row is not None else 0),
            sa.or_(ConversationMessage.author_id.is_(None),
                   ConversationMessage.author_id != user.id),
        )
    ) or 0)


# --- the e-mail choice --------------------------------------------------------------------


def include_text(user: User) -> bool:
    """True when ``user`` wants a new message's text in its e-mail (off by default)."""
    row = db.session.get(MessageMailSetting, user.id)
    return row is not None and row.include_text


def set_include_text(user: User, value: bool) -> None:
    """Store ``user``'s choice. Flushes."""
    row = db.session.get(MessageMailSetting, user.id)
    if row is None:
        db.session.add(MessageMailSetting(user_id=user.id, include_text=value))
    else:
        row.include_text = value
    db.session.flush()

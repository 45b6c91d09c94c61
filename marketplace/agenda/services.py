"""The private calendar feed: one secret link per person, for a calendar app to subscribe to.

The link holds a long random token (:func:`secrets.token_urlsafe`, 32 bytes); the database
keeps only its SHA-256, so a copy of the database opens no calendar. A new link replaces the
old one (which then stops working); revoking removes it. Deleting an account removes it too
(:func:`marketplace.privacy.services.delete_account`).
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Match, MatchStatus, User
from marketplace.models.requests import HelpRequest

#: The matches whose appointments a person's feed shows: help that was agreed (and is still
#: on, or was given) and help that was called off, so the calendar app crosses it out.
FEED_STATUSES = (MatchStatus.ACCEPTED, MatchStatus.COMPLETED, MatchStatus.CANCELLED)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(user: User) -> str:
    """Give ``user`` a new feed token and return it (the only time it is known in plain
    text); an earlier token stops working. The caller commits."""
    token = secrets.token_urlsafe(32)
    user.calendar_token_hash = _digest(token)
    return token


def revoke_token(user: User) -> None:
    """Switch off ``user``'s feed: the link stops working. The caller commits."""
    user.calendar_token_hash = None


def user_for_token(token: str) -> User | None:
    """The active user whose feed token is ``token``, or None (unknown, revoked, renewed)."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(
        sa.select(User).where(User.calendar_token_hash == _digest(token))
    )
    return user if user is not None and user.active else None


def feed_matches(user: User) -> list[Match]:
    """``user``'s agreed and called-off help, as resident and as volunteer, oldest first."""
    return list(db.session.scalars(
        sa.select(Match)
        .join(HelpRequest, Match.help_request_id == HelpRequest.id)
        .where(
            sa.or_(Match.volunteer_id == user.id, HelpRequest.requester_id == user.id),
            Match.status.in_(FEED_STATUSES),
        )
        .order_by(Match.id)
    ).unique())

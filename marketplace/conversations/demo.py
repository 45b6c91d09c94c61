"""Conversations and reported-back referrals for the demo (``flask demo seed``).

The demo resident and the demo volunteer find a conversation on their accepted match, and a
few other accepted or completed matches hold one too; one of them was reported through a
concern, so the demo coordinator can open it (audited). The demo referrer's referrals carry
their last reported step in the bell. The calendar invitations the demo's acceptances queued
count as sent before the demo began: nothing goes out.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from marketplace import outbox
from marketplace.extensions import db
from marketplace.matches import invitations
from marketplace.models import (
    Concern,
    ConversationMessage,
    ConversationRead,
    HelpRequest,
    Match,
    MatchStatus,
    Notification,
    NotificationMail,
    RequestSource,
    User,
    utcnow,
)
from marketplace.referrals import report
from marketplace.vocabulary import NotificationKind

#: (who writes: "volunteer" or "resident", text), oldest first.
SCRIPT = (
    ("volunteer", "Goedemiddag! Ik ben uw vrijwilliger. Past maandagochtend om tien uur?"),
    ("resident", "Dat past goed. De bel doet het niet, wilt u even kloppen?"),
    ("volunteer", "Prima, ik klop. Tot maandag!"),
)
#: How many other matches get a conversation.
OTHER_CONVERSATIONS = 8


def _write(match: Match, lines: int) -> None:
    start = utcnow() - timedelta(days=2)
    last_id = 0
    for index, (side, text) in enumerate(SCRIPT[:lines]):
        author = match.volunteer if side == "volunteer" else match.help_request.requester
        message = ConversationMessage(match_id=match.id, author_id=author.id, body=text,
                                      created_at=start + timedelta(hours=3 * index))
        db.session.add(message)
        db.session.flush()
        last_id = message.id
    # The volunteer read everything; the resident has the last message still to read.
    db.session.add(ConversationRead(match_id=match.id, user_id=match.volunteer_id,
                                    last_read_id=last_id))


def _conversations(resident: User) -> list[Match]:
    running = (MatchStatus.ACCEPTED, MatchStatus.COMPLETED)
    own = db.session.scalars(
        sa.select(Match).join(HelpRequest).where(HelpRequest.requester_id == resident.id,
                                                 Match.status.in_(running))
    ).unique().all()
    others = db.session.scalars(
        sa.select(Match).join(HelpRequest).where(HelpRequest.requester_id != resident.id,
                                                 Match.status.in_(running))
        .order_by(Match.id).limit(OTHER_CONVERSATIONS)
    ).unique().all()
    for match in [*own, *others]:
        _write(match, len(SCRIPT))
    return list(others)


def _reported(match: Match) -> None:
    """A concern about one conversation, so the coordinators of its neighbourhood may read it."""
    db.session.add(Concern(
        reporter_id=match.help_request.requester_id, help_request_id=match.help_request_id,
        match_id=match.id, neighbourhood_id=match.help_request.neighbourhood_id,
        message="De vrijwilliger stuurt berichten op vreemde tijden. Kunt u meekijken?",
    ))


def _referrals(referrer: User) -> None:
    """The referrer's last reported step of each referral, e-mailed before the demo began."""
    referrals = db.session.scalars(
        sa.select(HelpRequest).where(HelpRequest.created_by_id == referrer.id,
                                     HelpRequest.source == RequestSource.REFERRER)
    ).unique().all()
    for help_request in referrals:
        report.status_changed(help_request)
    db.session.flush()
    told = db.session.scalars(sa.select(Notification).where(
        Notification.kind == NotificationKind.REFERRAL_STATUS,
        Notification.mail == NotificationMail.QUEUED))
    for row in told:
        row.mail, row.emailed_at = NotificationMail.SENT, row.created_at


def _invitations_sent() -> None:
    outbox.discard_pending(invitations.OUTBOX_KIND)


def seed_demo_conversations(resident: User, referrer: User) -> int:
    """Write the demo's conversations, a reported one, and the referrer's reported steps
    (the caller commits). Returns how many conversations."""
    db.session.flush()
    others = _conversations(resident)
    if others:
        _reported(others[0])
    _referrals(referrer)
    db.session.flush()
    _invitations_sent()
    return len(others) + 1

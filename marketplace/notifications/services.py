"""Notifications: write one for an event, read and mark them, and each person's choices.

:func:`notify` is the one way in. It writes the row in the caller's transaction (no commit)
and, when the recipient wants an e-mail right away, one outbox message of kind
``"notification"`` that :func:`marketplace.notifications.delivery.deliver_notification`
sends after the commit. The notification's ``key`` makes the event happen once: the same key
again writes nothing and sends nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstanceState, ORMExecuteState, Session, SessionTransaction, selectinload
from sqlalchemy.sql.dml import ReturningInsert

from marketplace import outbox
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import (
    HelpRequest,
    Match,
    Notification,
    NotificationMail,
    NotificationPreference,
    Role,
    User,
    utcnow,
)
from marketplace.vocabulary import NotificationDelivery, NotificationKind

K = NotificationKind
D = NotificationDelivery
OUTBOX_KIND = "notification"
PAGE_SIZE = 50


@dataclass(frozen=True)
class KindRule:
    """What one kind of notification allows and does by default."""

    default: NotificationDelivery
    choices: tuple[NotificationDelivery, ...]
    #: Who may receive it: the preferences page lists the kinds of the person's roles.
    audience: frozenset[Role]
    #: A resident without a confirmed address hears it by phone from the coordinator.
    phone: bool


_ALL = (D.IMMEDIATE, D.DIGEST, D.OFF)
_VOLUNTEER = frozenset({Role.VOLUNTEER})
_RESIDENT = frozenset({Role.RESIDENT})
_RESIDENT_REFERRER = frozenset({Role.RESIDENT, Role.REFERRER})
_BOTH_SIDES = frozenset({Role.RESIDENT, Role.VOLUNTEER, Role.COORDINATOR})

#: Defaults a person who never opens the preferences page is glad of: whatever asks
#: something of you or changes your help comes at once; the open-requests overview only for
#: volunteers who ask for it. Reminders in a weekly mail would come too late.
RULES: Mapping[NotificationKind, KindRule] = {
    K.PROPOSAL_NEW: KindRule(D.IMMEDIATE, _ALL, _VOLUNTEER, phone=False),
    K.MATCH_ACCEPTED: KindRule(D.IMMEDIATE, _ALL, _RESIDENT_REFERRER, phone=True),
    K.MATCH_DECLINED: KindRule(D.IMMEDIATE, _ALL, _RESIDENT_REFERRER, phone=True),
    K.REQUEST_INFO_NEEDED: KindRule(D.IMMEDIATE, _ALL, _RESIDENT, phone=True),
    K.REQUEST_APPROVED: KindRule(D.IMMEDIATE, _ALL, _RESIDENT, phone=True),
    K.REQUEST_REJECTED: KindRule(D.IMMEDIATE, _ALL, _RESIDENT, phone=True),
    K.REQUEST_ESCALATED: KindRule(D.IMMEDIATE, _ALL, _RESIDENT, phone=True),
    K.REQUEST_WITHDRAWN: KindRule(D.IMMEDIATE, _ALL, _VOLUNTEER, phone=False),
    K.APPOINTMENT_REMINDER: KindRule(
        D.IMMEDIATE, (D.IMMEDIATE, D.OFF), frozenset({Role.RESIDENT, Role.VOLUNTEER}),
        phone=True,
    ),
    K.MATCH_CANCELLED: KindRule(D.IMMEDIATE, _ALL, _BOTH_SIDES, phone=True),
    K.PROPOSAL_EXPIRED: KindRule(D.IMMEDIATE, _ALL, _VOLUNTEER, phone=False),
    K.DIGEST: KindRule(D.OFF, (D.DIGEST, D.OFF), _VOLUNTEER, phone=False),
    K.MESSAGE_NEW: KindRule(D.IMMEDIATE, _ALL, frozenset({Role.RESIDENT, Role.VOLUNTEER,
                                                          Role.REFERRER}), phone=False),
    K.REFERRAL_STATUS: KindRule(D.IMMEDIATE, _ALL, frozenset({Role.REFERRER}), phone=False),
    K.REFERRAL_NEW: KindRule(D.IMMEDIATE, _ALL, frozenset({Role.ORGANISATION_COORDINATOR}),
                             phone=False),
    K.REFERRAL_RETURNED: KindRule(D.IMMEDIATE, _ALL, frozenset({Role.COORDINATOR}),
                                  phone=False),
    K.SOCIAL_MAP_STALE: KindRule(
        D.IMMEDIATE, _ALL, frozenset({Role.ORGANISATION_COORDINATOR, Role.ADMIN}), phone=False
    ),
}


# --- writing ------------------------------------------------------------------------------


def notify(
    recipient: User,
    kind: NotificationKind,
    *,
    key: str,
    help_request: HelpRequest | None = None,
    match: Match | None = None,
    **params: Any,
) -> Notification | None:
    """Write a notification for ``recipient`` in the current transaction (no commit).

    Returns None and writes nothing when a notification with ``key`` exists already (the
    event was told before) or the recipient cannot be reached (inactive or anonymised).
    Otherwise, by the recipient's choice for ``kind`` and their address: one outbox e-mail
    now (``mail`` queued), a place in the weekly e-mail (digest), only the bell (off), or,
    for a resident without a confirmed address, a line on the coordinator's phone list.
    ``params`` must be JSON and hold only what the recipient may see.
    """
    if not recipient.is_active:
        return None
    delivery = preference(recipient, kind)
    mail, phone_needed = _route(recipient, kind, delivery, help_request)
    if None in (recipient.id, *(row.id for row in (help_request, match) if row is not None)):
        db.session.flush()  # a row added in this transaction gets its id
    # One statement, also when another transaction writes the same key at the same time:
    # the insert that comes second writes nothing and returns no row (no savepoint, no
    # look-up first).
    notification = db.session.scalars(_insert_once(), [{
        "recipient_id": recipient.id, "kind": kind, "key": key, "params": dict(params),
        "help_request_id": help_request.id if help_request is not None else None,
        "match_id": match.id if match is not None else None,
        "mail": mail, "phone_needed": phone_needed,
    }]).one_or_none()
    if notification is None:
        return None
    if notification.mail == NotificationMail.QUEUED:
        outbox.add(OUTBOX_KIND, {"notification_id": notification.id})
    return notification


def _insert_once() -> ReturningInsert[Notification]:
    """``INSERT ... ON CONFLICT (key) DO NOTHING RETURNING *`` for the session's database
    (PostgreSQL or SQLite, the same clause on both)."""
    statement: postgresql.Insert | sqlite.Insert = (
        postgresql.insert(Notification)
        if db.session.get_bind().dialect.name == "postgresql"
        else sqlite.insert(Notification)
    )
    return statement.on_conflict_do_nothing(index_elements=[Notification.key]).returning(
        Notification
    )


def _route(
    recipient: User,
    kind: NotificationKind,
    delivery: NotificationDelivery,
    help_request: HelpRequest | None,
) -> tuple[NotificationMail, bool]:
    """(what happens with the e-mail, whether the coordinator phones)."""
    if delivery == D.OFF:
        return NotificationMail.OFF, False
    if not recipient.gets_email:
        phone = (
            RULES[kind].phone
            and help_request is not None
            and help_request.requester_id == recipient.id
        )
        return NotificationMail.NO_ADDRESS, phone
    if delivery == D.DIGEST:
        return NotificationMail.DIGEST, False
    return NotificationMail.QUEUED, False


# --- choices ------------------------------------------------------------------------------


def preference(user: User, kind: NotificationKind) -> NotificationDelivery:
    """How ``user`` wants ``kind``: their stored choice, else the kind's default."""
    stored = db.session.get(NotificationPreference, (user.id, kind))
    if stored is None or stored.delivery not in RULES[kind].choices:
        return RULES[kind].default
    return stored.delivery


def preferences(user: User) -> dict[NotificationKind, NotificationDelivery]:
    """Every kind ``user`` may receive (by their roles), with their choice or the default."""
    stored = {
        row.kind: row.delivery
        for row in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    chosen = {}
    for kind, rule in RULES.items():
        if user.has_role(*rule.audience):
            value = stored.get(kind, rule.default)
            chosen[kind] = value if value in rule.choices else rule.default
    return chosen


def set_preferences(user: User, choices: Mapping[NotificationKind, NotificationDelivery]) -> None:
    """Store ``user``'s choices (a choice a kind does not offer is ignored). Flushes."""
    for kind, delivery in choices.items():
        if delivery not in RULES[kind].choices:
            continue
        row = db.session.get(NotificationPreference, (user.id, kind))
        if row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, delivery=delivery))
        else:
            row.delivery = delivery
    db.session.flush()


# --- reading ------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    """How many of ``user``'s notifications are unread: the count read with the account (the
    loader of every page asks for it) while this transaction has written no notification,
    else one indexed count."""
    state: InstanceState[User] = sa.inspect(user)
    session = state.session
    if (
        "unread_notifications" in state.dict
        and session is not None
        and not session.info.get(_WRITTEN)
        and not _changes_notifications(session)
    ):
        return int(user.unread_notifications or 0)
    return int(db.session.scalar(_unread_count(), {"recipient_id": user.id}) or 0)


#: ``Session.info`` key: the current transaction wrote notifications, so a count read with
#: the account before may be behind.
_WRITTEN = "hulppunt_notifications_written"


def _changes_notifications(session: Session) -> bool:
    """The session holds notifications added, changed or deleted and not yet flushed."""
    return any(isinstance(row, Notification)
               for rows in (session.new, session.dirty, session.deleted) for row in rows)


def _flushed(session: Session, _context: Any) -> None:
    if _changes_notifications(session):  # (after a flush, what it wrote)
        session.info[_WRITTEN] = True


def _executed(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)  # an ORM statement's is a copy of it
    if getattr(table, "name", None) == Notification.__tablename__:
        state.session.info[_WRITTEN] = True


def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction: committed or rolled back, its
        session.info.pop(_WRITTEN, None)  # objects expired (or nothing written)


def watch_writes() -> None:
    """Keep :func:`unread_count` right when a page writes notifications (marks them read,
    tells someone) before its header shows the count."""
    for event, listener in (("after_flush", _flushed), ("do_orm_execute", _executed),
                            ("after_transaction_end", _transaction_ended)):
        if not sa.event.contains(Session, event, listener):
            sa.event.listen(Session, event, listener)


@functools.cache
def _unread_count() -> sa.Select[int]:
    # Built once: every page's header asks it.
    return sa.select(sa.func.count(Notification.id)).where(
        Notification.recipient_id == sa.bindparam("recipient_id"),
        Notification.read_at.is_(None),
    )


@dataclass(frozen=True)
class Page:
    items: list[Notification]
    page: int
    pages: int
    total: int


def page_for(user: User, page: int = 1) -> Page:
    """``user``'s notifications, newest first, :data:`PAGE_SIZE` at a time."""
    owned = Notification.recipient_id == user.id
    total = int(db.session.scalar(sa.select(sa.func.count(Notification.id)).where(owned)) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    items = db.session.scalars(
        sa.select(Notification).where(owned)
        .options(selectinload(Notification.help_request), selectinload(Notification.match))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return Page(list(items), page, pages, total)


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of ``user``'s own notifications read. Raises NotFound for anyone else's."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        raise NotFound(_l("Deze melding bestaat niet."))
    notification.read_at = notification.read_at or utcnow()
    db.session.flush()
    return notification


def mark_all_read(user: User) -> int:
    """Mark all of ``user``'s notifications read. Returns how many were unread."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- privacy ------------------------------------------------------------------------------


#: What a notification may have copied that people typed (a request's title, a note, a
#: reason): forgotten with the request. The rest (who acted, for whom, the day) stays, so the
#: notification still reads in the right words.
TYPED_PARAMS = ("title", "note", "reason")


def forget_request(help_request: HelpRequest) -> int:
    """Blank what notifications copied from ``help_request`` that people typed
    (:data:`TYPED_PARAMS`) as it is anonymised. Returns how many notifications; the caller
    commits."""
    notifications = db.session.scalars(
        sa.select(Notification).where(Notification.help_request_id == help_request.id)
    ).all()
    for notification in notifications:
        notification.params = {key: value for key, value in (notification.params or {}).items()
                               if key not in TYPED_PARAMS}
    return len(notifications)


def forget_recipient(user: User) -> int:
    """Delete ``user``'s notifications and choices (their account is being deleted).
    Returns how many notifications; the caller commits."""
    db.session.execute(
        sa.delete(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    result = db.session.execute(sa.delete(Notification).where(Notification.recipient_id == user.id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

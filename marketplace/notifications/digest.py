"""The weekly e-mail: open requests near a volunteer who asked for it, and the
notifications a person chose to receive weekly.

Sent on ``DIGEST_WEEKDAY`` from ``DIGEST_TIME`` (Amsterdam time; default Monday 09:00) by
:func:`send_digests`, once per person per ISO week: the key of a ``digest`` notification
(``digest:<user>:<year>-W<week>``) records it, so a second tick that week sends nothing.

Who gets it: volunteers whose choice for the kind ``digest`` is "in the weekly e-mail"
(default off) get the open requests they could take (the list of
:func:`marketplace.matches.browsing.open_requests_for`: their kind of help, their free
moments, their travel distance, no forbidden pair), grouped by kind of help, nearest first,
with only what a volunteer may see before saying yes: kind, neighbourhood, rough distance
and when, never a name, title or address. Anyone with notifications waiting for the weekly
e-mail gets those. The mail with the overview carries a one-click unsubscribe (RFC 8058,
:mod:`marketplace.notifications.unsubscribe`) that switches off only the overview.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db
from marketplace.i18n import gettext as _
from marketplace.mail import link, queue_email
from marketplace.matches.browsing import OpenRequest, open_requests_for
from marketplace.models import (
    Category,
    Notification,
    NotificationMail,
    NotificationPreference,
    User,
)
from marketplace.notifications.delivery import AUTO_HEADERS, build_email
from marketplace.notifications.services import notify, preference, set_preferences
from marketplace.notifications.texts import describe, visible_target
from marketplace.transaction import commit, rollback
from marketplace.vocabulary import DAYS, LOCAL_ZONE, NotificationDelivery, NotificationKind

#: At most this many open requests in one e-mail (the website lists them all).
MAX_REQUESTS = 20
#: People per commit when sending the digests.
BATCH = 50
UNSUBSCRIBE_SALT = "digest-unsubscribe"


@dataclass(frozen=True)
class Group:
    """The open requests of one kind of help, nearest first."""

    category: Category
    items: list[OpenRequest]


def is_due(now: datetime) -> bool:
    """True on the configured weekday from the configured time (Amsterdam)."""
    local = now.astimezone(LOCAL_ZONE)
    config = current_app.config
    hour, minute = (int(part) for part in str(config["DIGEST_TIME"]).split(":", 1))
    return DAYS[local.weekday()] == config["DIGEST_WEEKDAY"] and local.time() >= time(
        hour, minute
    )


def week_key(user: User, now: datetime) -> str:
    year, week, _day = now.astimezone(LOCAL_ZONE).isocalendar()
    return f"digest:{user.id}:{year}-W{week:02d}"


def send_digests(now: datetime) -> int:
    """When due, the weekly e-mail to each person who should get one and did not yet get
    this week's. Returns how many e-mails were queued.

    Commits every :data:`BATCH` people (a commit per person would cost a disk flush each);
    when a tick running at the same moment wrote one of the batch's keys first, the batch is
    rolled back and done again one by one, skipping whoever got theirs already.
    """
    if not is_due(now):
        return 0
    ids = recipient_ids()
    sent = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        try:
            count = sum(_send_to(user_id, now) for user_id in chunk)
            commit()
            sent += count
        except IntegrityError:
            rollback()
            sent += sum(_send_alone(user_id, now) for user_id in chunk)
    return sent


def _send_to(user_id: int, now: datetime) -> bool:
    user = db.session.get(User, user_id)
    return user is not None and send_digest(user, now)


def _send_alone(user_id: int, now: datetime) -> bool:
    try:
        done = _send_to(user_id, now)
        commit()
    except IntegrityError:
        rollback()  # another tick sent this one at the same moment
        return False
    return done


def recipient_ids() -> list[int]:
    """Volunteers who asked for the overview, and anyone with notifications waiting for
    the weekly e-mail; only active accounts with a confirmed address."""
    opted_in = sa.select(NotificationPreference.user_id).where(
        NotificationPreference.kind == NotificationKind.DIGEST,
        NotificationPreference.delivery == NotificationDelivery.DIGEST,
    )
    waiting = sa.select(Notification.recipient_id).where(
        Notification.mail == NotificationMail.DIGEST, Notification.emailed_at.is_(None)
    )
    query = sa.select(User.id).where(
        sa.or_(User.id.in_(opted_in), User.id.in_(waiting)),
        User.active.is_(True),
        User.anonymised_at.is_(None),
        User.email.is_not(None),
        User.email_confirmed_at.is_not(None),
    ).order_by(User.id)
    return list(db.session.scalars(query))


def wants_overview(user: User) -> bool:
    return preference(user, NotificationKind.DIGEST) == NotificationDelivery.DIGEST


def send_digest(user: User, now: datetime) -> bool:
    """Queue this week's e-mail for ``user`` (the caller commits). False when it was sent
    already this week or there is nothing to send."""
    profile = user.volunteer_profile
    # A volunteer who paused their help is not asked for more (nor shown what is open).
    overview = wants_overview(user) and profile is not None and not profile.paused
    waiting = waiting_notifications(user)
    if not overview and not waiting:
        return False
    record = notify(user, NotificationKind.DIGEST, key=week_key(user, now))
    if record is None:
        return False
    groups = group_by_kind(open_requests_for(user, limit=MAX_REQUESTS)) if overview else []
    record.params = {"requests": sum(len(group.items) for group in groups),
                     "waiting": len(waiting)}
    unsubscribe = unsubscribe_link(user) if overview else ""
    subject, text, html = render_digest(user, groups, waiting, unsubscribe)
    headers = dict(AUTO_HEADERS)
    if unsubscribe:
        headers.update({"List-Unsubscribe": f"<{unsubscribe}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    queue_email(user.email or "", subject, text, html, headers=headers)
    for notification in [record, *waiting]:
        notification.mail = NotificationMail.SENT
        notification.emailed_at = now
    record.read_at = now  # the e-mail is the message; the bell keeps it as history
    db.session.flush()
    return True


def waiting_notifications(user: User) -> list[Notification]:
    query = sa.select(Notification).where(
        Notification.recipient_id == user.id,
        Notification.mail == NotificationMail.DIGEST,
        Notification.emailed_at.is_(None),
    ).order_by(Notification.created_at, Notification.id)
    return list(db.session.scalars(query))


def group_by_kind(items: Iterable[OpenRequest]) -> list[Group]:
    """Grouped by kind of help; each group nearest first, the group with the nearest
    request first (ties: in the catalogue's order)."""
    groups: dict[int, Group] = {}
    for item in sorted(items, key=lambda entry: (entry.rough_km, entry.help_request.id)):
        category = item.help_request.category
        groups.setdefault(category.id, Group(category, [])).items.append(item)
    return sorted(groups.values(), key=lambda group: (group.items[0].rough_km,
                                                      group.category.id))


def render_digest(
    user: User, groups: list[Group], waiting: list[Notification], unsubscribe: str
) -> tuple[str, str, str]:
    """(subject, text, html) in ``user``'s language; the overview part when ``unsubscribe``
    (the link that stops it) is given."""
    with force_locale(user.locale or "nl"):
        subject = _("Uw wekelijkse overzicht van Hulppunt")
        context: dict[str, Any] = {
            "groups": groups,
            "overview": bool(unsubscribe),
            "waiting": [_waiting_line(notification, user) for notification in waiting],
            "open_link": link("matches.open_requests"),
            "unsubscribe_link": unsubscribe,
        }
        text, html = build_email(user, "notifications/email/digest", subject, **context)
    return subject, text, html


def _waiting_line(notification: Notification, user: User) -> tuple[str, str]:
    words = describe(notification)
    target = visible_target(notification, user, words)
    return str(words.subject), link(target[0], **target[1]) if target is not None else ""


# --- unsubscribing ------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user: User) -> str:
    """A signed token naming ``user`` (it does not expire: an old e-mail's link must work)."""
    return str(_serializer().dumps(user.id))


def unsubscribe_link(user: User) -> str:
    return link("unsubscribe.confirm", token=unsubscribe_token(user))


def user_for_token(token: str) -> User | None:
    """The user a token was made for, or None for a forged, damaged or unknown one."""
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(user_id, int):
        return None
    return db.session.get(User, user_id)


def switch_off(user: User) -> None:
    """Stop the weekly overview for ``user`` (only that kind). Flushes; the caller commits."""
    set_preferences(user, {NotificationKind.DIGEST: NotificationDelivery.OFF})

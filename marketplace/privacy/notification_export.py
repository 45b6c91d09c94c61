"""The notifications part of the personal-data export: what was told to a person, and how
they want to hear it.

Only notifications addressed to the person are theirs: a row is exported with its recipient
and nobody else (not with the coordinator who phoned about it, nor with the people its
request or match concerns). The words are the ones the person saw in their list, in their
language; who phoned them stays out, as the other side of a match does.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.i18n import format_day
from marketplace.i18n import gettext as _
from marketplace.models import Notification, NotificationPreference, User
from marketplace.notifications.services import RULES
from marketplace.notifications.texts import Words, describe


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _text(words: Words) -> str:
    lines = [*words.lines, *(f"{label} {value}" for label, value in words.details)]
    return "\n".join(str(line) for line in lines)


def _phone_call(notification: Notification, subject: str) -> dict[str, Any] | None:
    """The coordinator's phone-list entry of ``notification``, in words; None without one."""
    if not notification.phone_needed:
        return None
    if notification.phoned_at is not None:
        summary = _("Wij hebben u op %(day)s gebeld over: %(subject)s",
                    day=format_day(notification.phoned_at, "long"), subject=subject)
    else:
        summary = _("Wij hebben op %(day)s genoteerd dat wij u bellen over: %(subject)s",
                    day=format_day(notification.created_at, "long"), subject=subject)
    return {
        "phoned": notification.phoned_at is not None,
        "phoned_at": _iso(notification.phoned_at),
        "summary": summary,
    }


def _export_notification(notification: Notification) -> dict[str, Any]:
    words = describe(notification)
    subject = str(words.subject)
    return {
        "kind": str(notification.kind),
        "kind_label": notification.kind.label,
        "subject": subject,
        "text": _text(words),
        "created_at": _iso(notification.created_at),
        "read_at": _iso(notification.read_at),
        "mail": str(notification.mail),
        "emailed_at": _iso(notification.emailed_at),
        "phone_call": _phone_call(notification, subject),
    }


def export_notifications(user: User) -> list[dict[str, Any]]:
    """Every notification addressed to ``user``, oldest first, as they read it (their
    language): kind and its label, subject and text, when it was made, read and e-mailed,
    and for a phone-list entry whether and when the meldpunt phoned."""
    rows = db.session.scalars(
        sa.select(Notification)
        .where(Notification.recipient_id == user.id)
        .options(selectinload(Notification.help_request), selectinload(Notification.match))
        .order_by(Notification.created_at, Notification.id)
    ).all()
    with force_locale(user.locale or "nl"):
        return [_export_notification(row) for row in rows]


def export_preferences(user: User) -> list[dict[str, Any]]:
    """How ``user`` wants each kind delivered: every kind of their roles, and every kind
    they chose something for, with ``chosen`` False where the default applies."""
    stored = {
        row.kind: row.delivery
        for row in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    result = []
    with force_locale(user.locale or "nl"):
        for kind, rule in RULES.items():
            if kind not in stored and not user.has_role(*rule.audience):
                continue
            delivery = stored.get(kind, rule.default)
            result.append({
                "kind": str(kind),
                "kind_label": kind.label,
                "delivery": str(delivery),
                "delivery_label": delivery.label,
                "chosen": kind in stored,
            })
    return result

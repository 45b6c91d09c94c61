"""The e-mail of a notification: rendered in the recipient's language, sent once.

:func:`deliver_notification` is the outbox handler of kind ``"notification"``. It sends only
while the notification's ``emailed_at`` is empty and sets it after sending; the message
carries a ``Message-ID`` made from the notification's key, so even a retry after a crash
between sending and recording (the one window left) arrives as the same message, which mail
programs show once.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from marketplace.extensions import db
from marketplace.mail import link, send_email
from marketplace.models import Notification, NotificationMail, User, utcnow
from marketplace.notifications.texts import describe, visible_target

#: Every notification e-mail says it was sent by a machine (RFC 3834), so auto-responders
#: and out-of-office replies stay quiet.
AUTO_HEADERS = {"Auto-Submitted": "auto-generated"}


def build_email(recipient: User, template: str, subject: str, **context: Any) -> tuple[str, str]:
    """(text, html) of ``<template>.txt`` and ``<template>.html`` for ``recipient``, in their
    language. The templates extend ``email/_layout``; ``name``, ``subject`` and a link to the
    notification settings (``settings_link``) are passed along."""
    with force_locale(recipient.locale or "nl"):
        context.update(
            name=recipient.name, subject=subject,
            settings_link=link("notifications.edit_preferences"),
        )
        text = render_template(f"{template}.txt", **context)
        html = render_template(f"{template}.html", **context)
    return text, html


def render_notification(notification: Notification) -> tuple[str, str, str]:
    """(subject, text, html) of the e-mail for ``notification``, in its recipient's language,
    with absolute links; a link only to a page the recipient may open."""
    recipient = notification.recipient
    with force_locale(recipient.locale or "nl"):
        words = describe(notification)
        target = visible_target(notification, recipient, words)
        url = link(target[0], **target[1]) if target is not None else ""
        subject = str(words.subject)
        text, html = build_email(
            recipient, "notifications/email/notification", subject,
            words=words, link=url, kind_label=notification.kind.label,
        )
    return subject, text, html


def message_id(notification: Notification) -> str:
    """A ``Message-ID`` that is the same every time this notification is sent."""
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:32]
    site = current_app.config.get("SITE_URL") or ""
    sender = str(current_app.config.get("MAIL_DEFAULT_SENDER") or "")
    domain = urlsplit(site).hostname or sender.rpartition("@")[2].strip("> ") or "hulppunt"
    return f"<notification.{digest}@{domain}>"


def deliver_notification(payload: dict[str, Any]) -> None:
    """The outbox handler: e-mail one notification unless it was e-mailed already or its
    recipient can no longer get mail. Raises when the mail server refuses (the outbox tries
    again later); ``emailed_at`` stays empty then."""
    notification = db.session.get(Notification, int(payload["notification_id"]))
    if notification is None or notification.emailed_at is not None:
        return
    recipient = notification.recipient
    if not recipient.is_active or not recipient.gets_email:
        notification.mail = NotificationMail.NO_ADDRESS
        db.session.commit()
        return
    subject, text, html = render_notification(notification)
    headers = {**AUTO_HEADERS, "Message-ID": message_id(notification)}
    if send_email(recipient.email or "", subject, text, html, headers=headers):
        notification.emailed_at = utcnow()
        notification.mail = NotificationMail.SENT
        db.session.commit()

"""E-mail over SMTP (smtplib), always through the outbox.

Services call :func:`queue_email`, which stores the rendered message as an outbox row in the
current transaction; :func:`deliver_email` sends it once that transaction has committed.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any

from flask import current_app

from marketplace import outbox
from marketplace.models import OutboxMessage

log = logging.getLogger(__name__)


def queue_email(to: str, subject: str, text: str, html: str | None = None) -> OutboxMessage | None:
    """Store a message to send after the commit. None (nothing stored) without an address."""
    if not to:
        return None
    return outbox.add("email", {"to": to, "subject": subject, "text": text, "html": html})


def deliver_email(payload: dict[str, Any]) -> None:
    """The outbox handler: send one stored message (raises when the server refuses it and
    errors are not suppressed, so the outbox tries again later)."""
    send_email(payload["to"], payload["subject"], payload["text"], payload.get("html"))


def send_email(to: str, subject: str, text: str, html: str | None = None) -> bool:
    """Send one message. Returns True when the SMTP server accepted it.

    With ``MAIL_ENABLED`` off nothing is sent. When the server cannot be reached and
    ``MAIL_SUPPRESS_ERRORS`` is on (development), the failure is logged, not raised.
    """
    config = current_app.config
    if not config["MAIL_ENABLED"] or not to:
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    try:
        _deliver(message)
    except (OSError, smtplib.SMTPException):
        if not config["MAIL_SUPPRESS_ERRORS"]:
            raise
        log.warning("Could not send mail to %s (%s); message was:\n%s", to, subject, text)
        return False
    return True


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)

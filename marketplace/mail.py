"""E-mail over SMTP (smtplib), always through the outbox.

Services call :func:`queue_email`, which stores the rendered message as an outbox row in the
current transaction; :func:`deliver_email` sends it once that transaction has committed.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from typing import Any

from flask import current_app, has_request_context, url_for

from marketplace import outbox
from marketplace.models import OutboxMessage

log = logging.getLogger(__name__)


#: Where links point when neither ``SITE_URL`` nor a request tells (``flask run``'s address).
FALLBACK_SITE_URL = "http://127.0.0.1:5000"


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail: on ``SITE_URL`` when it is set, else on the address
    this request came in on (behind a trusted proxy, the public one), else (a command or a
    worker without ``SITE_URL``; production refuses to start that way) on
    :data:`FALLBACK_SITE_URL`."""
    site = current_app.config.get("SITE_URL")
    if not site and has_request_context():
        return url_for(endpoint, **values, _external=True)
    if not site:
        log.warning("SITE_URL is not set: e-mail links point at %s", FALLBACK_SITE_URL)
    with current_app.test_request_context(base_url=str(site or FALLBACK_SITE_URL)):
        return url_for(endpoint, **values, _external=True)


def queue_email(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> OutboxMessage | None:
    """Store a message to send after the commit. None (nothing stored) without an address.
    ``headers`` are extra header lines (``Auto-Submitted``, ``List-Unsubscribe``, ...)."""
    if not to:
        return None
    payload: dict[str, Any] = {"to": to, "subject": subject, "text": text, "html": html}
    if headers:
        payload["headers"] = dict(headers)
    return outbox.add("email", payload)


def deliver_email(payload: dict[str, Any]) -> None:
    """The outbox handler: send one stored message (raises when the server refuses it and
    errors are not suppressed, so the outbox tries again later)."""
    send_email(payload["to"], payload["subject"], payload["text"], payload.get("html"),
               headers=payload.get("headers"))


#: An attachment: (file name, content, content type with parameters, e.g.
#: ``"text/calendar; method=REQUEST"``).
Attachment = tuple[str, bytes, str]


def send_email(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
) -> bool:
    """Send one message, with the extra header lines in ``headers`` (a ``Message-ID`` given
    there replaces the one smtplib would make) and ``attachments``. Returns True when the
    SMTP server accepted it.

    With ``MAIL_ENABLED`` off nothing is sent. When the server cannot be reached and
    ``MAIL_SUPPRESS_ERRORS`` is on (development), the failure is logged, not raised.
    """
    config = current_app.config
    if not config["MAIL_ENABLED"] or not to:
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    # A line break in a title (a form posted by hand) would make the header invalid, and the
    # outbox would retry the message for ever.
    message["Subject"] = " ".join(subject.split())
    for header, value in (headers or {}).items():
        message[header] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, content, content_type in attachments:
        _attach(message, filename, content, content_type)
    try:
        _deliver(message)
    except (OSError, smtplib.SMTPException):
        if not config["MAIL_SUPPRESS_ERRORS"]:
            raise
        log.warning("Could not send mail to %s (%s); message was:\n%s", to, subject, text)
        return False
    return True


def _attach(message: EmailMessage, filename: str, content: bytes, content_type: str) -> None:
    kind, *options = (part.strip() for part in content_type.split(";"))
    maintype, _, subtype = kind.partition("/")
    params = dict(option.split("=", 1) for option in options if "=" in option)
    message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename,
                           params=params)


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)

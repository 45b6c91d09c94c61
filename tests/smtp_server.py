"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), collecting what it receives.

Usage::

    with SmtpServer() as server:
        app = make_app(**server.app_config())
        ...
        message = server.messages[0]        # an email.message.EmailMessage
        body = server.text_of(message)      # the plain-text part

Other test packages reuse it through the ``smtp_server`` fixture pattern in
``tests/auth/conftest.py``.
"""

from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    """Return a TCP port that was free a moment ago (bind to port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class _CollectingHandler:
    """aiosmtpd handler: parses each message and appends it to a shared list."""

    def __init__(self, messages: list[EmailMessage], lock: threading.Lock) -> None:
        self._messages = messages
        self._lock = lock

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = message_from_bytes(raw, policy=default_policy)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self._messages.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    """A running SMTP server; use as a context manager or call ``start``/``stop``."""

    def __init__(self, host: str = HOST, port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self._controller = Controller(
            _CollectingHandler(self.messages, self._lock), hostname=host, port=self.port
        )

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def app_config(self) -> dict[str, Any]:
        """The app configuration that sends mail to this server and raises on failure."""
        return {
            "MAIL_ENABLED": True,
            "MAIL_SERVER": self.host,
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False,
            "MAIL_USERNAME": None,
            "MAIL_SUPPRESS_ERRORS": False,
        }

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[EmailMessage]:
        """Wait until at least ``count`` messages arrived; return them (may be fewer)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    break
            time.sleep(0.02)
        with self._lock:
            return list(self.messages)

    @staticmethod
    def text_of(message: EmailMessage, subtype: str = "plain") -> str:
        """The body of the ``text/<subtype>`` part of ``message`` ("" if there is none)."""
        part = message.get_body(preferencelist=(subtype,))
        return part.get_content() if part is not None else ""

"""Fixtures for the auth tests: a real local SMTP server (reusable by other test packages).

A test module that checks e-mail overrides ``app_config`` like this::

    @pytest.fixture
    def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
        return smtp_server.app_config()
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.smtp_server import SmtpServer


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """An aiosmtpd server on 127.0.0.1 with a free port; ``.messages`` holds what arrived."""
    with SmtpServer() as server:
        yield server

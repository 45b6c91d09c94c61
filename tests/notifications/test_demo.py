"""The demo: every demo login finds notifications waiting, and seeding sends no mail."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace import outbox
from marketplace.auth.services import find_by_email
from marketplace.demo import DEMO_ACCOUNTS
from marketplace.models import Role
from marketplace.notifications import phone, services
from tests import factories
from tests.smtp_server import SmtpServer


@pytest.fixture
def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
    return smtp_server.app_config()


def test_every_demo_login_has_unread_notifications(runner, db, smtp_server) -> None:
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    for email, role in DEMO_ACCOUNTS:
        account = find_by_email(email)
        assert account is not None
        if role == "municipality":  # policy staff read figures; nothing is sent to them
            continue
        assert services.unread_count(account) > 0, email
    everywhere = factories.user(Role.COORDINATOR)  # no neighbourhood: sees every call
    assert phone.calls_for(everywhere)  # residents without e-mail to phone
    assert smtp_server.wait_for(1, timeout=0.3) == []  # "mailed" before the demo began
    # The demo's accepted matches wrote calendar invitations: none waits to be sent.
    assert outbox.counts().get("pending", 0) == 0, outbox.counts()

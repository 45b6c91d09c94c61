"""With CSRF protection on (as in production), actions need the form's token."""

from __future__ import annotations

import re

import pytest

from marketplace.models import RequestStatus, Role
from tests import factories


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_action_without_token_is_refused(client, db, login) -> None:
    coordinator = factories.user(Role.COORDINATOR)
    help_request = factories.help_request()
    db.session.commit()
    login(coordinator)
    response = client.post(f"/staff/requests/{help_request.id}/approve")
    assert response.status_code == 400
    db.session.refresh(help_request)
    assert help_request.status == RequestStatus.SUBMITTED


def test_action_with_the_pages_token_works(client, db, login) -> None:
    coordinator = factories.user(Role.COORDINATOR)
    help_request = factories.help_request()
    db.session.commit()
    login(coordinator)
    page = client.get(f"/staff/requests/{help_request.id}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(f"/staff/requests/{help_request.id}/approve", data={"csrf_token": token})
    db.session.refresh(help_request)
    assert help_request.status == RequestStatus.OPEN

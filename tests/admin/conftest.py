"""Fixtures of the administrator's pages."""

from __future__ import annotations

import pytest

from marketplace.models import Role
from tests import factories


@pytest.fixture
def admin(db, login):
    """An administrator, logged in."""
    account = factories.user(Role.ADMIN)
    db.session.commit()
    login(account)
    return account

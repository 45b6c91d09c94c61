"""Only coordinators and administrators reach the back office."""

from __future__ import annotations

import pytest

from marketplace.models import Role
from tests import factories

PAGES = ["/staff/", "/staff/queue", "/staff/requests", "/staff/intake", "/staff/volunteers"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_goes_to_login(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/auth/login" in response.location


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VOLUNTEER, Role.REFERRER])
def test_other_roles_get_403(client, db, login, role) -> None:
    help_request = factories.help_request()
    login(factories.user(role))
    db.session.commit()
    for url in [*PAGES, f"/staff/requests/{help_request.id}"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/staff/requests/{help_request.id}/approve").status_code == 403


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_staff_reach_every_page(client, db, login, role) -> None:
    login(factories.user(role))
    db.session.commit()
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_unknown_ids_are_404(client, db, login) -> None:
    login(factories.user(Role.COORDINATOR))
    db.session.commit()
    assert client.get("/staff/requests/999999").status_code == 404
    assert client.post("/staff/requests/999999/approve").status_code == 404
    assert client.get("/staff/volunteers/999999").status_code == 404

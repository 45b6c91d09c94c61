"""Back-office lists come in pages of 50, so they stay fast with thousands of requests."""

from __future__ import annotations

from marketplace.models import RequestStatus, Role
from tests import factories


def test_queue_is_paged_oldest_first(client, login, db) -> None:  # type: ignore[no-untyped-def]
    coordinator = factories.user(Role.COORDINATOR)
    resident = factories.user(Role.RESIDENT)
    created = [factories.help_request(resident, title=f"Vraag {n:03d}") for n in range(55)]
    db.session.commit()
    login(coordinator)
    first = client.get("/staff/queue?wijk=").get_data(as_text=True)
    assert "Pagina 1 van 2 (55 aanvragen)" in first
    assert created[0].title in first
    assert created[54].title not in first
    second = client.get("/staff/queue?wijk=&page=2").get_data(as_text=True)
    assert created[54].title in second
    assert "Vorige pagina" in second


def test_odd_page_numbers_are_harmless(client, login, db) -> None:  # type: ignore[no-untyped-def]
    login(factories.user(Role.COORDINATOR))
    factories.help_request(status=RequestStatus.OPEN)
    db.session.commit()
    for page in ("0", "-1", "abc", "999999999999", "3"):
        response = client.get(f"/staff/requests?wijk=&page={page}")
        assert response.status_code == 200, page

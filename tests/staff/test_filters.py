"""A filter in the address that does not fit is ignored, with a message: never 404 or 500.

Unknown neighbourhoods, other scripts' digits (``²``, ``٣``), numbers too large for the
database and unknown statuses all show the list as if the filter were not there.
"""

from __future__ import annotations

import pytest

from marketplace.models import RequestStatus, Role
from tests import factories

FILTER_IGNORED = "Dit filter klopt niet; we tonen alles."
PAGE_IGNORED = "Dit paginanummer klopt niet; we tonen de eerste pagina."
BAD_NEIGHBOURHOODS = ["999999", "abc", "²", "٣", "１", "99999999999999999999", "-1", "0", " 1"]


@pytest.fixture
def coordinator_in_oost(db, login):  # type: ignore[no-untyped-def]
    """A coordinator of Oost; the data below lives in Centrum (hidden by the default filter)."""
    account = factories.user(Role.COORDINATOR, neighbourhood=factories.neighbourhood("Oost"))
    factories.help_request(title="Vraag in het centrum", pc4="1211")
    factories.volunteer_profile(pc4="1211").user.name = "Vrijwilliger Centrum"
    db.session.commit()
    login(account)
    return account


@pytest.mark.parametrize("wijk", BAD_NEIGHBOURHOODS)
@pytest.mark.parametrize(("path", "shown"), [
    ("/staff/queue", "Vraag in het centrum"),
    ("/staff/requests", "Vraag in het centrum"),
    ("/staff/volunteers", "Vrijwilliger Centrum"),
])
def test_a_bad_neighbourhood_shows_every_neighbourhood(
    client, coordinator_in_oost, path, shown, wijk
) -> None:
    response = client.get(path, query_string={"wijk": wijk})
    assert response.status_code == 200
    assert FILTER_IGNORED in response.text
    assert shown in response.text


def test_a_good_neighbourhood_has_no_message(client, coordinator_in_oost) -> None:
    centrum = factories.neighbourhood("Centrum")
    for query in ({"wijk": centrum.id}, {"wijk": ""}, {"wijk": "all"}, {}):
        response = client.get("/staff/queue", query_string=query)
        assert response.status_code == 200
        assert FILTER_IGNORED not in response.text, query


def test_an_unknown_status_shows_every_status(client, db, coordinator_in_oost) -> None:
    factories.help_request(title="Al afgerond", status=RequestStatus.DONE)
    db.session.commit()
    for status in ("nonsense", "DONE", "done ", "²"):
        response = client.get("/staff/requests", query_string={"wijk": "", "status": status})
        assert response.status_code == 200
        assert FILTER_IGNORED in response.text, status
        assert "Al afgerond" in response.text
        assert "Vraag in het centrum" in response.text


def test_pending_only_takes_one(client, coordinator_in_oost) -> None:
    response = client.get("/staff/volunteers", query_string={"wijk": "", "pending": "²"})
    assert response.status_code == 200
    assert FILTER_IGNORED in response.text
    assert "Vrijwilliger Centrum" in response.text


@pytest.mark.parametrize("page", ["²", "٣", "-1", "0", "99999999999999999999", "1.5", "abc"])
@pytest.mark.parametrize("path", ["/staff/queue", "/staff/requests"])
def test_a_bad_page_number_shows_the_first_page(client, coordinator_in_oost, path, page) -> None:
    response = client.get(path, query_string={"wijk": "", "page": page})
    assert response.status_code == 200
    assert PAGE_IGNORED in response.text
    assert "Vraag in het centrum" in response.text


def test_two_bad_filters_give_one_message(client, coordinator_in_oost) -> None:
    response = client.get("/staff/requests", query_string={"wijk": "²", "status": "²"})
    assert response.text.count(FILTER_IGNORED) == 1

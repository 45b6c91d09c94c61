"""The back office's one search box: requests by number, people by name, phone, postcode or
e-mail; grouped, limited, for staff only. And the person page it links to (audited)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.models import AuditEntry, Role, utcnow
from marketplace.staff import search
from tests import factories


@pytest.fixture
def coordinator(db, login):  # type: ignore[no-untyped-def]
    account = factories.user(Role.COORDINATOR, name="Ans de Vries",
                             neighbourhood=factories.neighbourhood("Oost"))
    db.session.commit()
    login(account)
    return account


@pytest.fixture
def caller(db):  # type: ignore[no-untyped-def]
    """A resident who phones the meldpunt, with one request (stored as the phone helper
    stores numbers now: E.164)."""
    resident = factories.user(Role.RESIDENT, name="Ümit Özdemir", phone="+31612345678",
                              postcode="1212 AB", email="umit@example.nl")
    help_request = factories.help_request(resident, title="Hulp bij de tuin")
    db.session.commit()
    return resident, help_request


def found(client, query: str) -> str:
    response = client.get("/staff/search", query_string={"q": query})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("query", [
    "06-1234 5678", "0612345678", "+31612345678", "+31 6 12345678", "0031612345678",
    "06 12 34 56 78", "(06) 1234-5678",
])
def test_a_phone_number_in_any_spelling_finds_the_caller_and_their_request(
    client, coordinator, caller, query
) -> None:
    resident, help_request = caller
    text = found(client, query)
    assert f'href="/staff/people/{resident.id}"' in text
    assert f'href="/staff/requests/{help_request.id}"' in text
    assert "Hulp bij de tuin" in text


def test_an_old_row_with_a_written_phone_number_is_found_too(client, db, coordinator) -> None:
    factories.user(name="Oude Schrijfwijze", phone="06-8765 4321")
    db.session.commit()
    assert "Oude Schrijfwijze" in found(client, "+31687654321")
    assert "Oude Schrijfwijze" in found(client, "0687654321")


@pytest.mark.parametrize("query", ["özdemir", "OZDEMIR", "umit", "Ümit Özd", "ozdemir umit"])
def test_a_name_is_found_in_part_without_case_or_accents(
    client, coordinator, caller, query
) -> None:
    assert "Ümit Özdemir" in found(client, query)


def test_an_accent_in_the_query_finds_a_name_typed_without_it(client, db, coordinator) -> None:
    factories.user(name="Rene Jansen")
    db.session.commit()
    assert "Rene Jansen" in found(client, "René")


@pytest.mark.parametrize("query", ["1212 AB", "1212ab", "1212 ab", "1212"])
def test_a_postcode_with_or_without_space_finds_people_and_requests(
    client, coordinator, caller, query
) -> None:
    resident, _help_request = caller
    text = found(client, query)
    assert f'href="/staff/people/{resident.id}"' in text
    assert "Hulp bij de tuin" in text


def test_an_email_address_finds_the_person(client, coordinator, caller) -> None:
    assert "Ümit Özdemir" in found(client, "UMIT@example.nl")


@pytest.mark.parametrize("spelling", ["{id}", "#{id}", "A-{id}", "a{id}", " # {id} "])
def test_a_request_number_finds_the_request(client, coordinator, caller, spelling) -> None:
    _resident, help_request = caller
    text = found(client, spelling.format(id=help_request.id))
    assert f'href="/staff/requests/{help_request.id}"' in text


def test_results_are_grouped_and_nothing_found_says_so(client, coordinator, caller) -> None:
    text = found(client, "Özdemir")
    assert text.index(">Aanvragen</h2>") < text.index(">Personen</h2>")
    text = found(client, "Niemand Bestaat")
    assert "Niets gevonden voor" in text
    assert 'type="search"' in text
    assert '<label class="label" for="staff-search">' in text


def test_more_than_a_group_holds_asks_to_refine(client, db, coordinator) -> None:
    for number in range(search.GROUP_LIMIT + 1):
        factories.user(name=f"Jansen {number}")
    db.session.commit()
    text = found(client, "jansen")
    assert text.count('href="/staff/people/') == search.GROUP_LIMIT
    assert "Verfijn uw zoekopdracht" in text


def test_staff_and_deleted_accounts_are_not_people_to_find(client, db, coordinator) -> None:
    factories.user(Role.ADMIN, name="Beheerder Zoekbaar")
    factories.user(name="Weg Persoon", anonymised_at=utcnow())
    db.session.commit()
    text = found(client, "zoekbaar")
    assert "Beheerder Zoekbaar" not in text
    assert "Weg Persoon" not in found(client, "weg persoon")


def test_a_percent_sign_is_a_character_not_a_wildcard(client, coordinator, caller) -> None:
    assert "Niets gevonden" in found(client, "%")
    assert "Niets gevonden" in found(client, "_")


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VOLUNTEER, Role.REFERRER])
def test_only_staff_may_search_or_open_a_person(client, db, login, caller, role) -> None:
    """Every coordinator may open every request and person (access.require_staff: there is
    no per-neighbourhood rule today); everyone else may search nothing."""
    resident, _help_request = caller
    login(factories.user(role))
    db.session.commit()
    assert client.get("/staff/search", query_string={"q": "özdemir"}).status_code == 403
    assert client.get(f"/staff/people/{resident.id}").status_code == 403


def test_the_search_itself_finds_nothing_for_someone_not_staff(db, caller) -> None:
    volunteer = factories.user(Role.VOLUNTEER)
    results = search.search(volunteer, "Özdemir")
    assert results.empty


def test_a_coordinator_of_another_neighbourhood_finds_the_caller(
    client, coordinator, caller
) -> None:
    """The coordinator works in Oost; the caller lives in Centrum. Staff see every
    neighbourhood (the lists only default to their own), so the search does too."""
    resident, _help_request = caller
    assert f'href="/staff/people/{resident.id}"' in found(client, "özdemir")


def test_the_person_page_shows_contact_and_requests_and_is_audited(
    client, db, coordinator, caller
) -> None:
    resident, help_request = caller
    response = client.get(f"/staff/people/{resident.id}")
    assert response.status_code == 200
    assert "Ümit Özdemir" in response.text
    assert "umit@example.nl" in response.text
    assert f'href="/staff/requests/{help_request.id}"' in response.text
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "personal_data.viewed")
    ).one()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (
        coordinator.id, "User", resident.id
    )


def test_an_unknown_or_deleted_person_is_404(client, db, coordinator) -> None:
    gone = factories.user(name="Weg", anonymised_at=utcnow())
    db.session.commit()
    assert client.get("/staff/people/999999").status_code == 404
    assert client.get(f"/staff/people/{gone.id}").status_code == 404


def test_a_staff_only_account_has_no_person_page(client, db, coordinator) -> None:
    """The search finds no staff accounts; their address and phone are not one id away."""
    admin = factories.user(Role.ADMIN, name="Beheer", phone="+31687654321",
                           address="Geheimstraat 1")
    db.session.commit()
    assert client.get(f"/staff/people/{admin.id}").status_code == 404
    assert client.get(f"/staff/people/{coordinator.id}").status_code == 404
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "personal_data.viewed")
    ) == 0


def test_the_dashboard_has_the_search_box(client, coordinator) -> None:
    text = client.get("/staff/").text
    assert 'action="/staff/search"' in text
    assert 'type="search"' in text


@pytest.mark.parametrize(("text", "core"), [
    ("06-1234 5678", "612345678"), ("+31612345678", "612345678"),
    ("0031612345678", "612345678"), ("+32 2 555 12 12", "3225551212"),
    ("1211", None), ("abc", None), ("12-34", None),
])
def test_phone_core(text, core) -> None:
    assert search.phone_core(text) == core

"""The read-only HSDS API: every answer is validated against the HSDS 3.0 schema files."""

from __future__ import annotations

from datetime import date

import pytest

from marketplace.hsds import schemas
from marketplace.models import ServiceStatus
from marketplace.socialmap.taxonomy import TAXONOMY_ID, term_id
from tests.socialmap import helpers

LISTS = {
    "/api/hsds/services": "service",
    "/api/hsds/services?full=true": "service",
    "/api/hsds/organizations": "organization",
    "/api/hsds/organizations?full_service=true": "organization",
    "/api/hsds/service_at_locations": "service_at_location",
    "/api/hsds/taxonomies": "taxonomy",
    "/api/hsds/taxonomy_terms": "taxonomy_term",
}


def _page(client, url: str, name: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    problems = list(schemas.page_validator(name).iter_errors(body))
    assert not problems, [error.message for error in problems]
    return body


def _one(client, url: str, name: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.get_json()
    assert schemas.errors(name, body) == []
    return body


@pytest.fixture
def published(db):
    humanitas = helpers.organisation("Humanitas Hilversum", email="info@humanitas.example",
                                     website="https://humanitas.example", phone="+31351234567")
    coordinator = helpers.coordinator_of(humanitas, name="Ans Geheim")
    main = helpers.service(humanitas, "Steunpunt mantelzorg", terms=("mantelzorg",),
                           areas=("Oost",), place=True, checked=date(2026, 11, 1),
                           fees_description="Gratis", email="steunpunt@humanitas.example")
    helpers.service(helpers.organisation("Repair Café Hilversum"), "Repair Café",
                    terms=("klussen-reparatie",))
    helpers.service(humanitas, "Gestopt", status=ServiceStatus.DEFUNCT)
    db.session.commit()
    return {"service": main, "organisation": humanitas, "coordinator": coordinator}


@pytest.mark.parametrize(("url", "name"), LISTS.items())
def test_every_list_validates(client, published, url: str, name: str) -> None:
    body = _page(client, url, name)
    assert body["total_items"] >= 1
    assert body["page_number"] == 1


def test_every_single_object_validates(client, published) -> None:
    service = published["service"]
    body = _one(client, f"/api/hsds/services/{service.uuid}", "service")
    assert body["fees_description"] == "Gratis"
    assert body["assured_date"] == "2026-11-01"
    location = body["service_at_locations"][0]["location"]
    assert location["accessibility"][0]["description"] == "Gelijkvloers, met lift."
    assert location["addresses"][0]["address_1"] == "Kerkstraat 1"
    assert body["service_at_locations"][0]["schedules"][0]["byday"] == "MO,WE"
    assert body["service_areas"][0]["name"] == "Oost"
    assert body["attributes"][0]["taxonomy_term_id"] == term_id("mantelzorg")
    organisation = _one(client, f"/api/hsds/organizations/{published['organisation'].uuid}",
                        "organization")
    assert {item["name"] for item in organisation["services"]} == {"Steunpunt mantelzorg"}
    at_location = service.at_locations[0]
    _one(client, f"/api/hsds/service_at_locations/{at_location.uuid}", "service_at_location")
    _one(client, f"/api/hsds/taxonomies/{TAXONOMY_ID}", "taxonomy")
    _one(client, f"/api/hsds/taxonomy_terms/{term_id('taal')}", "taxonomy_term")


def test_no_personal_data_in_the_api(client, published) -> None:
    for url in (*LISTS, f"/api/hsds/organizations/{published['organisation'].uuid}"):
        text = client.get(url).get_data(as_text=True)
        assert "Ans Geheim" not in text
        assert published["coordinator"].email not in text


def test_defunct_services_are_not_published(client, published) -> None:
    names = {item["name"] for item in client.get("/api/hsds/services").get_json()["contents"]}
    assert names == {"Steunpunt mantelzorg", "Repair Café"}


def test_filters(client, published) -> None:
    def names(query: str) -> set[str]:
        body = _page(client, f"/api/hsds/services?{query}", "service")
        return {item["name"] for item in body["contents"]}

    assert names("search=CAFE") == {"Repair Café"}
    assert names(f"taxonomy_term_id={term_id('mantelzorg')}") == {"Steunpunt mantelzorg"}
    assert names(f"taxonomy_id={TAXONOMY_ID}") == {"Steunpunt mantelzorg", "Repair Café"}
    assert names(f"organization_id={published['organisation'].uuid}") == {
        "Steunpunt mantelzorg"}
    assert names("modified_after=2999-01-01T00:00:00Z") == set()
    assert names("modified_after=2000-01-01") == {"Steunpunt mantelzorg", "Repair Café"}


def test_paging(client, published) -> None:
    first = _page(client, "/api/hsds/services?per_page=1", "service")
    assert (first["total_items"], first["total_pages"], first["size"]) == (2, 2, 1)
    assert first["first_page"] is True
    assert first["last_page"] is False
    second = _page(client, "/api/hsds/services?per_page=1&page=2", "service")
    assert second["last_page"] is True
    beyond = _page(client, "/api/hsds/services?per_page=1&page=5", "service")
    assert beyond["empty"] is True


@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=-1", "per_page=²",
                                   "modified_after=gisteren", "page=99999999999999999999"])
def test_parameters_that_do_not_fit_are_ignored(client, published, query: str) -> None:
    body = _page(client, f"/api/hsds/services?{query}", "service")
    assert body["total_items"] == 2
    assert body["page_number"] == 1


def test_per_page_has_a_ceiling(client, published) -> None:
    assert _page(client, "/api/hsds/services?per_page=100000", "service")["size"] == 2


def test_unknown_ids_are_404_json(client, published) -> None:
    for kind in ("services", "organizations", "service_at_locations", "taxonomies",
                 "taxonomy_terms"):
        response = client.get(f"/api/hsds/{kind}/00000000-0000-4000-8000-000000000000")
        assert response.status_code == 404
        assert "error" in response.get_json()


def test_index_names_the_version(client, db) -> None:
    body = client.get("/api/hsds/").get_json()
    assert body["version"] == "3.0"
    assert client.get("/api/hsds/openapi.json").get_json()["openapi"].startswith("3.")

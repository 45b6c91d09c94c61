"""Administrators edit categories, neighbourhoods and roles; nobody else can."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.models import AuditEntry, Category, Neighbourhood, NeighbourhoodPostcode, Role
from tests import factories

PAGES = ["/admin/", "/admin/categories", "/admin/categories/new", "/admin/neighbourhoods",
         "/admin/neighbourhoods/new", "/admin/users", "/admin/outbox"]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VOLUNTEER, Role.REFERRER,
                                  Role.COORDINATOR])
def test_only_admins(client, db, login, role) -> None:
    login(factories.user(role))
    db.session.commit()
    for url in PAGES:
        assert client.get(url).status_code == 403, url


def test_anonymous_goes_to_login(client) -> None:
    assert "/auth/login" in client.get("/admin/").location


def test_admin_reaches_every_page(client, admin) -> None:
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    assert "Hilversum-Noord" in client.get("/admin/neighbourhoods").text
    assert "Respijtzorg" in client.get("/admin/categories").text


def category_form(**overrides):
    data = {"slug": "hond-uitlaten", "name_nl": "Hond uitlaten", "name_en": "Walking the dog",
            "description_nl": "", "description_en": "", "requires_vog": "", "active": "y",
            "position": "20"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def test_create_and_edit_category(client, db, admin) -> None:
    response = client.post("/admin/categories/new", data=category_form(requires_vog="y"))
    assert response.status_code == 303
    category = db.session.scalar(sa.select(Category).where(Category.slug == "hond-uitlaten"))
    assert category.requires_vog
    assert category.active
    assert not category.escalate
    response = client.post(f"/admin/categories/{category.id}",
                           data=category_form(name_nl="Hond uitlaten of oppassen"))
    assert response.status_code == 303
    db.session.refresh(category)
    assert category.name_nl == "Hond uitlaten of oppassen"
    assert not category.requires_vog
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"category.created", "category.updated"} <= actions


@pytest.mark.parametrize(("overrides", "message"), [
    ({"slug": "boodschappen"}, "Deze code is al in gebruik"),
    ({"slug": "Hond Uitlaten"}, "Alleen kleine letters"),
    ({"slug": ""}, "Vul een code in"),
    ({"name_nl": "x" * 81}, "Maximaal 80 tekens"),
    ({"description_nl": "x" * 301}, "Maximaal 300 tekens"),
    ({"position": "-1"}, "Kies een getal van 0 tot 1000"),
])
def test_invalid_category(client, db, admin, overrides, message) -> None:
    response = client.post("/admin/categories/new", data=category_form(**overrides))
    assert response.status_code == 400
    assert message in response.text


def test_unknown_category_is_404(client, admin) -> None:
    assert client.get("/admin/categories/999999").status_code == 404


def test_create_neighbourhood(client, db, admin) -> None:
    response = client.post("/admin/neighbourhoods/new",
                           data={"name": "Kortenhoef", "postcodes": "1241, 1244"})
    assert response.status_code == 303
    neighbourhood = db.session.scalar(
        sa.select(Neighbourhood).where(Neighbourhood.name == "Kortenhoef")
    )
    assert neighbourhood.postcode_list == ["1241", "1244"]


def test_edit_neighbourhood_postcodes(client, db, admin) -> None:
    oost = factories.neighbourhood("Oost")
    db.session.commit()
    assert "1212, 1223" in client.get(f"/admin/neighbourhoods/{oost.id}").text
    response = client.post(f"/admin/neighbourhoods/{oost.id}",
                           data={"name": "Oost", "postcodes": "1223 1251"})
    assert response.status_code == 303
    db.session.expire_all()
    assert factories.neighbourhood("Oost").postcode_list == ["1223", "1251"]
    assert db.session.get(NeighbourhoodPostcode, "1212") is None


def test_postcode_of_another_neighbourhood_is_a_form_error(client, db, admin) -> None:
    response = client.post("/admin/neighbourhoods/new",
                           data={"name": "Nieuw", "postcodes": "1241, 1211"})
    assert response.status_code == 400
    assert "Postcode 1211 hoort al bij wijk Centrum" in response.text
    assert db.session.scalar(sa.select(Neighbourhood).where(Neighbourhood.name == "Nieuw")) is None
    assert db.session.get(NeighbourhoodPostcode, "1241") is None


@pytest.mark.parametrize(("postcodes", "message"), [
    ("1000", "Postcode 1000 bestaat niet"),
    ("12x1", "Postcode 12x1 bestaat niet"),
])
def test_unknown_postcode_is_a_form_error(client, db, admin, postcodes, message) -> None:
    response = client.post("/admin/neighbourhoods/new",
                           data={"name": "Nieuw", "postcodes": postcodes})
    assert response.status_code == 400
    assert message in response.text


def test_duplicate_neighbourhood_name(client, db, admin) -> None:
    response = client.post("/admin/neighbourhoods/new", data={"name": "Centrum", "postcodes": ""})
    assert response.status_code == 400
    assert "Er is al een wijk met deze naam" in response.text


def test_make_someone_coordinator_of_a_neighbourhood(client, db, admin) -> None:
    person = factories.user(name="Toekomstige Coördinator")
    oost = factories.neighbourhood("Oost")
    db.session.commit()
    assert "Toekomstige Coördinator" in client.get("/admin/users").text
    response = client.post(f"/admin/users/{person.id}", data={
        "roles": ["resident", "coordinator"], "neighbourhood_id": str(oost.id)})
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.roles == {Role.RESIDENT, Role.COORDINATOR}
    assert person.neighbourhood_id == oost.id
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.roles_set"))


def test_user_search(client, db, admin) -> None:
    factories.user(name="Gerda Gezocht")
    factories.user(name="Anne Anders")
    db.session.commit()
    page = client.get("/admin/users?q=gerda").text
    assert "Gerda Gezocht" in page
    assert "Anne Anders" not in page
    # % and _ are characters to look for, not wildcards that match everybody.
    for wildcard in ("%", "_"):
        page = client.get(f"/admin/users?q={wildcard}").text
        assert "Gerda Gezocht" not in page


@pytest.mark.parametrize(("data", "message"), [
    ({"roles": [], "neighbourhood_id": ""}, "Kies minstens één rol"),
    ({"roles": ["emperor"], "neighbourhood_id": ""}, "Rollen"),
    ({"roles": ["resident"], "neighbourhood_id": "999999"}, "Kies een wijk uit de lijst"),
    ({"roles": ["resident"], "neighbourhood_id": "abc"}, "Kies een wijk uit de lijst"),
])
def test_invalid_roles(client, db, admin, data, message) -> None:
    person = factories.user()
    db.session.commit()
    response = client.post(f"/admin/users/{person.id}", data=data)
    assert response.status_code == 400
    assert message in response.text
    db.session.refresh(person)
    assert person.roles == {Role.RESIDENT}


def test_admin_cannot_remove_own_admin_role(client, db, admin) -> None:
    response = client.post(f"/admin/users/{admin.id}", data={"roles": ["resident"],
                                                             "neighbourhood_id": ""})
    assert response.status_code == 400
    assert "eigen beheerdersrol" in response.text
    db.session.refresh(admin)
    assert Role.ADMIN in admin.roles

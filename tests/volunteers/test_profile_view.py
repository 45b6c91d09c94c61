"""The volunteer profile page: reciprocity, the availability grid, validation, pause."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from marketplace.models import Role, User, VogStatus
from tests import factories


@pytest.fixture
def resident(db: Any, login: Any) -> User:
    account = factories.user(Role.RESIDENT, postcode="1212 AB")
    db.session.commit()
    login(account)
    return account


def form_data(**changes: Any) -> MultiDict[str, Any]:
    data: dict[str, Any] = {
        "skills": [str(factories.category("boodschappen").id), str(factories.category("tuin").id)],
        "availability": ["mon-morning", "wed-evening", "sun-afternoon"],
        "postcode": "1212 AB",
        "max_travel_km": "7",
        "languages": ["nl", "tr"],
        "vog_status": "none",
        "vog_date": "",
        "trainings": "",
        "capacity": "2",
    }
    data.update(changes)
    return MultiDict([(key, item) for key, value in data.items()
                      for item in (value if isinstance(value, list) else [value])
                      if item is not None])


def test_profile_needs_login(client: FlaskClient) -> None:
    assert client.get("/volunteers/profile").status_code == 302


def test_new_profile_form(client: FlaskClient, resident: User) -> None:
    response = client.get("/volunteers/profile")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<h1") == 1
    assert "Ik wil helpen als vrijwilliger" in html
    assert 'value="1212 AB"' in html  # postcode taken from the account
    assert "Bezoek en gezelschap (VOG nodig)" in html
    assert "Respijtzorg (mantelzorg overnemen) (VOG en training nodig)" in html
    assert "Huishoudelijke hulp" not in html  # escalated help is not for volunteers
    assert html.count('name="availability"') == 21
    assert '<th scope="row">maandag</th>' in html
    assert '<th scope="col">ochtend</th>' in html
    assert '<label for="availability-mon-morning" class="visually-hidden">maandag ochtend</label>' \
        in html


def test_reciprocity_resident_becomes_volunteer(
    client: FlaskClient, resident: User, db: Any
) -> None:
    response = client.post("/volunteers/profile", data=form_data())
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account/")
    db.session.refresh(resident)
    assert resident.roles == {Role.RESIDENT, Role.VOLUNTEER}
    profile = resident.volunteer_profile
    assert profile is not None
    assert profile.postcode == "1212 AB"
    assert profile.neighbourhood is not None
    assert profile.neighbourhood.name == "Oost"
    assert profile.max_travel_km == 7
    assert profile.capacity == 2
    assert profile.languages == ["nl", "tr"]
    assert {category.slug for category in profile.skills} == {"boodschappen", "tuin"}
    overview = client.get("/account/").get_data(as_text=True)
    assert "Bewoner, Vrijwilliger" in overview
    assert "Nederlands, Turks" in overview


def test_availability_is_saved_and_shown_ticked(
    client: FlaskClient, resident: User, db: Any
) -> None:
    client.post("/volunteers/profile", data=form_data())
    db.session.refresh(resident)
    assert resident.volunteer_profile is not None
    assert resident.volunteer_profile.availability == ["mon-morning", "wed-evening",
                                                        "sun-afternoon"]
    html = client.get("/volunteers/profile").get_data(as_text=True)
    ticked = set(re.findall(r'name="availability" value="([a-z-]+)" id="[^"]+" checked', html))
    assert ticked == {"mon-morning", "wed-evening", "sun-afternoon"}
    assert "Mijn vrijwilligersprofiel" in html


def test_pause_switch(client: FlaskClient, resident: User, db: Any) -> None:
    client.post("/volunteers/profile", data=form_data(paused="y"))
    db.session.refresh(resident)
    assert resident.volunteer_profile is not None
    assert resident.volunteer_profile.paused is True
    assert "Even pauze" in client.get("/account/").get_data(as_text=True)
    client.post("/volunteers/profile", data=form_data())  # box not ticked: pause ends
    db.session.refresh(resident.volunteer_profile)
    assert resident.volunteer_profile.paused is False


def days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postcode": "1000 AA"}, "postcode", "Deze postcode kennen wij niet"),
        ({"max_travel_km": "0"}, "max_travel_km", "1 tot en met 50"),
        ({"max_travel_km": "51"}, "max_travel_km", "1 tot en met 50"),
        ({"max_travel_km": "ver"}, "max_travel_km", "Ongeldig getal"),
        ({"capacity": "0"}, "capacity", "1 tot en met 5"),
        ({"capacity": "6"}, "capacity", "1 tot en met 5"),
        ({"vog_status": "valid"}, "vog_date", "Vul de datum van uw VOG in"),
        ({"vog_status": "valid", "vog_date": days_ago(-3)}, "vog_date", "toekomst"),
        ({"vog_status": "maybe"}, "vog_status", "Ongeldige keuze"),
        ({"trainings": "x" * 501}, "trainings", "hoogstens 500 tekens"),
        ({"skills": []}, "skills", "minstens één soort hulp"),
        ({"skills": ["999999"]}, "skills", "ongeldige keuze"),
        ({"availability": []}, "availability", "minstens één dagdeel"),
        ({"availability": ["mon-night"]}, "availability", "ongeldige keuze"),
        ({"languages": []}, "languages", "minstens één taal"),
    ],
)
def test_profile_refuses_bad_input(
    client: FlaskClient, resident: User, db: Any, changes: dict[str, Any], field: str,
    message: str,
) -> None:
    response = client.post("/volunteers/profile", data=form_data(**changes))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert f'href="#{field}"' in html
    db.session.refresh(resident)
    assert resident.volunteer_profile is None
    assert Role.VOLUNTEER not in resident.roles


def test_escalated_category_cannot_be_chosen(client: FlaskClient, resident: User) -> None:
    escalated = factories.category("huishoudelijke-hulp").id
    response = client.post("/volunteers/profile", data=form_data(skills=[str(escalated)]))
    assert response.status_code == 400


def test_old_valid_vog_counts_as_expired(client: FlaskClient, resident: User, db: Any) -> None:
    response = client.post(
        "/volunteers/profile",
        data=form_data(vog_status="valid", vog_date=days_ago(3 * 366)),
        follow_redirects=True,
    )
    assert "telt daarom als verlopen" in response.get_data(as_text=True)
    db.session.refresh(resident)
    assert resident.volunteer_profile is not None
    assert resident.volunteer_profile.vog_status == VogStatus.EXPIRED


def test_valid_vog_with_date(client: FlaskClient, resident: User, db: Any) -> None:
    client.post("/volunteers/profile", data=form_data(vog_status="valid", vog_date=days_ago(30)))
    db.session.refresh(resident)
    profile = resident.volunteer_profile
    assert profile is not None
    assert profile.vog_status == VogStatus.VALID
    assert profile.vog_date == date.today() - timedelta(days=30)
    html = client.get("/volunteers/profile").get_data(as_text=True)
    assert re.search(r'<input checked (?:class="[^"]*" )?id="vog_status-\d" name="vog_status" '
                     r'type="radio" value="valid">', html)
    assert f'value="{profile.vog_date.isoformat()}"' in html

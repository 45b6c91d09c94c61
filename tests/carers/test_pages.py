"""The carers' pages as a user meets them."""

from __future__ import annotations

import re

import sqlalchemy as sa

from marketplace.models import (
    CarerCheck,
    CarerProfile,
    FollowUpTask,
    HelpRequest,
    RespiteDetails,
    Role,
)
from tests import factories
from tests.auth.test_register import post_register
from tests.carers.helpers import carer, check, form_answers
from tests.matches.helpers import switch_user


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_self_check_is_public_and_stores_nothing(client, db) -> None:
    page = client.get("/mantelzorg/zelftest")
    assert page.status_code == 200
    assert "Ben ik mantelzorger?" in page.text
    result = client.get("/mantelzorg/zelftest?cares=ja&hours=8&months=3")
    assert result.status_code == 200
    assert "Ja, u bent mantelzorger." in result.text
    assert "intensieve mantelzorg" in result.text
    assert "mantelzorger=1" in result.text  # register with the carer flag
    assert _count(db, CarerProfile) == 0
    assert _count(db, CarerCheck) == 0


def test_self_check_without_answers_says_what_is_missing(client) -> None:
    page = client.get("/mantelzorg/zelftest?cares=ja&hours=99")
    assert page.status_code == 200  # a GET link: the form again, with the message
    assert "Controleer het formulier" in page.text
    assert "Kies een antwoord." in page.text


def test_self_check_no_carer(client) -> None:
    page = client.get("/mantelzorg/zelftest?cares=nee&hours=0&months=0")
    assert "U bent nu geen mantelzorger." in page.text


def test_register_with_the_carer_flag_leads_to_the_carer_profile(client, db) -> None:
    client.get("/auth/register?mantelzorger=1")
    answer = post_register(client)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/mantelzorg/profiel")


def test_profile_form_needs_consent_and_saves(login, db) -> None:
    person = factories.user(Role.RESIDENT)
    db.session.commit()  # a refused save rolls back: the account must outlive it
    client = login(person)
    data = {"relation": "parent", "hours_per_week": "12", "care_kinds": ["household"],
            "conditions": ["dementia"]}
    refused = client.post("/mantelzorg/profiel", data=data)
    assert refused.status_code == 400
    assert "Zonder toestemming kunnen we niets opslaan." in refused.text
    assert _count(db, CarerProfile) == 0
    saved = client.post("/mantelzorg/profiel", data={**data, "consent": "y"})
    assert saved.status_code == 303
    overview = client.get("/mantelzorg/")
    assert "Mijn vader of moeder" in overview.text
    assert "Dementie" in overview.text


def test_check_needs_a_profile_first(login) -> None:
    client = login(factories.user(Role.RESIDENT))
    answer = client.get("/mantelzorg/check")
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/profiel")


def test_a_heavy_check_shows_support_at_once_and_signals_the_coordinator(login, db) -> None:
    person = carer()
    client = login(person)
    assert client.get("/mantelzorg/check").status_code == 200
    answer = client.post("/mantelzorg/check", data=form_answers(4, felt=4))
    assert answer.status_code == 303
    result = client.get(answer.headers["Location"])
    assert "Zwaar belast" in result.text
    assert "Een coördinator van het meldpunt belt u" in result.text
    for offer in ("Respijtzorg", "Een maatje", "Praktische hulp", "Andere mantelzorgers",
                  "Het Sociaal Plein"):
        assert offer in result.text
    assert "Zo rekenen wij" in result.text
    assert "28 punten of meer" in result.text
    assert _count(db, FollowUpTask) == 1


def test_a_missing_answer_keeps_the_others(login, db) -> None:
    client = login(carer())
    data = form_answers(2)
    del data["money"]
    page = client.post("/mantelzorg/check", data=data)
    assert page.status_code == 400
    assert "Kies een antwoord." in page.text
    assert re.search(r'<input checked[^>]*name="care_tasks"[^>]*value="2"', page.text)
    assert _count(db, CarerCheck) == 0


def test_history_shows_how_the_burden_changes(login) -> None:
    person = carer()
    check(person, 4)
    check(person, 2)
    page = login(person).get("/mantelzorg/")
    assert page.text.count("<tr>") >= 3  # head + two checks
    assert "<polyline" in page.text
    assert "Zwaar belast" in page.text
    assert "Licht belast" in page.text


def test_only_the_carer_sees_a_result(login, db) -> None:
    person = carer()
    own = check(person, 3)
    client = login(factories.user(Role.RESIDENT))
    assert client.get(f"/mantelzorg/check/{own.id}").status_code == 404


def test_a_coordinator_of_the_neighbourhood_sees_the_history_audited(login, db) -> None:
    person = carer()
    check(person, 4)
    coordinator = factories.user(Role.COORDINATOR, neighbourhood=factories.neighbourhood("Centrum"))
    page = login(coordinator).get(f"/mantelzorg/mantelzorgers/{person.id}")
    assert page.status_code == 200
    assert person.name in page.text
    other = factories.user(Role.COORDINATOR, neighbourhood=factories.neighbourhood("Oost"))
    client = switch_user(login, other)
    assert client.get(f"/mantelzorg/mantelzorgers/{person.id}").status_code == 404


def test_asking_for_respite_puts_both_people_on_the_request(login, db) -> None:
    person = carer()
    client = login(person)
    data = {"cared_for_name": "Henk", "cared_for_needs": "Houdt van wandelen.",
            "postcode": "1211 AB", "address": "Kerkstraat 5", "carer_needs": "Even sporten",
            "carer_address": "Laan 1", "weekday": "mon", "part_of_day": "afternoon"}
    answer = client.post("/mantelzorg/respijt", data=data)
    assert answer.status_code == 303
    help_request = db.session.scalar(sa.select(HelpRequest))
    assert help_request.category.slug == "respijtzorg"
    assert help_request.requester_id == person.id
    assert help_request.address == "Kerkstraat 5"
    assert help_request.slot == "mon-afternoon"
    own_page = client.get(answer.headers["Location"])
    assert "Respijtzorg voor" in own_page.text
    assert "Even sporten" in own_page.text
    details = db.session.get(RespiteDetails, help_request.id)
    assert (details.cared_for_name, details.carer_needs, details.carer_address) == (
        "Henk", "Even sporten", "Laan 1")
    staff = switch_user(login, factories.user(Role.COORDINATOR))
    assert "Laan 1" in staff.get(f"/staff/requests/{help_request.id}").text


def test_respite_form_errors_keep_what_was_typed(login, db) -> None:
    client = login(carer())
    page = client.post("/mantelzorg/respijt", data={"cared_for_name": "Henk"})
    assert page.status_code == 400
    assert 'value="Henk"' in page.text
    assert _count(db, HelpRequest) == 0


def test_desk_registration_page(login, db) -> None:
    client = login(factories.user(Role.COORDINATOR))
    data = {"name": "Ans Jansen", "phone": "06 1111 2222", "postcode": "1211 AB",
            "relation": "partner", "hours_per_week": "30", "consent": "y"}
    answer = client.post("/mantelzorg/aanmelden", data=data)
    assert answer.status_code == 303
    assert _count(db, CarerProfile) == 1

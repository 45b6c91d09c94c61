"""Residents post a help request: the happy path and every validation rule."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.models import AuditEntry, HelpRequest, RequestSource, RequestStatus, Timing
from tests import factories
from tests.requests.helpers import in_days, request_form


@pytest.fixture
def resident(db, login):
    account = factories.user()
    db.session.commit()
    login(account)
    return account


def _only_request(db) -> HelpRequest:
    return db.session.scalars(sa.select(HelpRequest)).one()


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get("/requests/new")
    assert response.status_code == 302
    assert "/auth/login" in response.location


def test_form_shows_intake_questions(client, resident) -> None:
    page = client.get("/requests/new").text
    assert "Wat kunt u zelf of met mensen om u heen?" in page
    assert "Kunt u zelf iets voor een ander doen?" in page
    assert 'maxlength="2000"' in page
    assert "Zo snel mogelijk" in page


def test_valid_request_is_created_geocoded_and_audited(client, db, resident) -> None:
    response = client.post("/requests/new", data=request_form(postcode="1211ab"))
    assert response.status_code == 303
    help_request = _only_request(db)
    assert response.location.endswith(f"/requests/{help_request.id}")
    assert help_request.status == RequestStatus.SUBMITTED
    assert help_request.source == RequestSource.ONLINE
    assert help_request.requester_id == resident.id
    assert help_request.created_by_id == resident.id
    assert help_request.postcode == "1211 AB"
    assert help_request.neighbourhood.name == "Centrum"
    assert help_request.latitude == pytest.approx(52.22, abs=0.05)
    assert help_request.urgency == 2
    assert help_request.own_network.startswith("Mijn dochter")
    assert [t.to_status for t in help_request.transitions] == [RequestStatus.SUBMITTED]
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "request.created")
    ) is not None


def test_any_part_of_day_is_stored_as_none(client, db, resident) -> None:
    client.post("/requests/new", data=request_form(part_of_day="any"))
    assert _only_request(db).part_of_day is None


def test_weekly_request_needs_only_a_weekday(client, db, resident) -> None:
    response = client.post("/requests/new", data=request_form(
        timing="weekly", weekday="wed", date_start="", part_of_day="afternoon"))
    assert response.status_code == 303
    help_request = _only_request(db)
    assert help_request.timing == Timing.WEEKLY
    assert help_request.slot == "wed-afternoon"
    assert help_request.date_start is None


def test_range_request(client, db, resident) -> None:
    response = client.post("/requests/new", data=request_form(
        timing="range", date_start=in_days(1), date_end=in_days(10)))
    assert response.status_code == 303
    assert _only_request(db).date_end is not None


def test_escalate_category_goes_to_moderation_with_a_warning(client, db, resident) -> None:
    category = factories.category("huishoudelijke-hulp")
    response = client.post("/requests/new", data=request_form(category_id=category.id),
                           follow_redirects=True)
    assert _only_request(db).status == RequestStatus.SUBMITTED
    assert "Sociaal Plein" in response.text


@pytest.mark.parametrize(("overrides", "message"), [
    ({"postcode": "1000 AA"}, "Deze postcode bestaat niet"),
    ({"postcode": "1211 SS"}, "Deze postcode bestaat niet"),
    ({"postcode": "12"}, "Deze postcode bestaat niet"),
    ({"postcode": ""}, "Vul een postcode in"),
    ({"title": ""}, "Vul een korte omschrijving in"),
    ({"description": ""}, "Vertel wat u nodig heeft"),
    ({"address": ""}, "Vul straat en huisnummer in"),
    ({"title": "x" * 121}, "Maximaal 120 tekens"),
    ({"description": "x" * 2001}, "Deze tekst is 2.001 tekens lang. Er passen maximaal 2000"),
    ({"address": "x" * 201}, "Maximaal 200 tekens"),
    ({"own_network": "x" * 1001}, "Deze tekst is 1.001 tekens lang"),
    ({"can_offer": "x" * 1001}, "Deze tekst is 1.001 tekens lang"),
    ({"date_start": in_days(-1)}, "Deze datum is al voorbij"),
    ({"date_start": ""}, "Vul een datum in"),
    ({"date_start": in_days(400)}, "binnen een jaar"),
    ({"timing": "range", "date_start": in_days(5), "date_end": in_days(2)},
     "De einddatum ligt voor de begindatum"),
    ({"timing": "range", "date_start": in_days(-2), "date_end": in_days(2)},
     "Deze datum is al voorbij"),
    ({"timing": "range", "date_start": in_days(2), "date_end": ""}, "Vul een einddatum in"),
    ({"timing": "range", "date_start": in_days(2), "date_end": in_days(400)},
     "einddatum binnen een jaar"),
    ({"timing": "weekly", "weekday": ""}, "Kies een dag van de week"),
    ({"category_id": "999999"}, "Kies een soort hulp uit de lijst"),
    ({"category_id": "boodschappen"}, "Kies een soort hulp uit de lijst"),
])
def test_invalid_input_gives_a_form_error(client, db, resident, overrides, message) -> None:
    response = client.post("/requests/new", data=request_form(**overrides))
    assert response.status_code == 400
    assert message in response.text
    assert 'id="error-summary"' in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 0


@pytest.mark.parametrize("field", ["urgency", "timing", "part_of_day", "weekday",
                                   "preferred_language"])
@pytest.mark.parametrize("value", ["0", "4", "nonsense"])
def test_choices_out_of_range_are_refused(client, db, resident, field, value) -> None:
    overrides = {field: value}
    if field == "weekday":
        overrides["timing"] = "weekly"
    response = client.post("/requests/new", data=request_form(**overrides))
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 0


def test_inactive_category_is_not_offered(client, db, resident) -> None:
    category = factories.category("tuin")
    category.active = False
    db.session.commit()
    assert "Tuin" not in client.get("/requests/new").text
    response = client.post("/requests/new", data=request_form(category_id=category.id))
    assert response.status_code == 400


def test_input_is_kept_after_an_error(client, resident) -> None:
    response = client.post("/requests/new", data=request_form(
        postcode="0000", title="Mijn eigen titel"))
    assert 'value="Mijn eigen titel"' in response.text


def test_invalid_date_text_is_a_form_error(client, resident) -> None:
    response = client.post("/requests/new", data=request_form(date_start="morgen"))
    assert response.status_code == 400


def test_refused_form_keeps_the_chosen_category(client, resident) -> None:
    garden = factories.category("tuin")
    response = client.post(
        "/requests/new", data=request_form(category_id=str(garden.id), postcode="0000")
    )
    assert response.status_code == 400
    assert f'<option selected value="{garden.id}">' in response.text or (
        f'value="{garden.id}" selected' in response.text
    )

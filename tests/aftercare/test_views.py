"""The coordinators' task pages, the waakvlam on the person page, the match page's report."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.aftercare import waakvlam
from marketplace.extensions import db as _db
from marketplace.models import Role, Waakvlam
from marketplace.tasks.services import open_task
from marketplace.vocabulary import TaskKind, TaskStatus, local_today
from tests import factories
from tests.aftercare.helpers import once_match, tasks_of
from tests.security.data import login_as


def _task(kind: TaskKind, key: str, days: int, neighbourhood, person=None, **extra):
    return open_task(kind, key=key, due_on=local_today() + timedelta(days=days),
                     neighbourhood_id=neighbourhood.id, person=person, **extra)


def _coordinator(neighbourhood):
    return factories.user(Role.COORDINATOR, neighbourhood=neighbourhood)


@pytest.mark.parametrize("kind", [Role.RESIDENT, Role.VOLUNTEER, Role.REFERRER])
def test_only_staff_reach_the_tasks(client, db, kind) -> None:
    oost = factories.neighbourhood("Oost")
    task = _task(TaskKind.CONCERN, "c:1", 1, oost)
    db.session.commit()
    login_as(client, factories.user(kind))
    for url in ("/tasks/", f"/tasks/{task.id}"):
        assert client.get(url).status_code == 403
    assert client.post(f"/tasks/{task.id}/close", data={"outcome": "x"}).status_code == 403
    assert task.status is TaskStatus.OPEN


def test_anonymous_is_sent_to_login(client, db) -> None:
    assert "/auth/login" in client.get("/tasks/").headers["Location"]


def test_the_list_shows_the_own_neighbourhood_and_filters_overdue(client, db) -> None:
    oost, west = factories.neighbourhood("Oost"), factories.neighbourhood("Noordwest")
    resident = factories.user(Role.RESIDENT, name="Truus Bakker", neighbourhood=oost)
    _task(TaskKind.WAAKVLAM, "w:1", -2, oost, resident)
    _task(TaskKind.LOW_RATING, "l:1", 3, oost, factories.user(Role.RESIDENT, name="Piet Vos"))
    _task(TaskKind.CARER_OVERLOAD, "m:1", 1, west, factories.user(name="Els Ruis"))
    login_as(client, _coordinator(oost))
    _db.session.commit()
    page = client.get("/tasks/").get_data(as_text=True)
    assert "Truus Bakker" in page
    assert "Piet Vos" in page
    assert "Els Ruis" not in page
    assert "U ziet standaard alleen uw eigen wijk." in page
    assert "Te laat" in page
    overdue = client.get("/tasks/?te_laat=1").get_data(as_text=True)
    assert "Truus Bakker" in overdue
    assert "Piet Vos" not in overdue
    everywhere = client.get("/tasks/?wijk=").get_data(as_text=True)
    assert "Els Ruis" in everywhere
    assert "Mantelzorger zwaar belast" in everywhere
    by_kind = client.get("/tasks/?wijk=&soort=low_rating").get_data(as_text=True)
    assert "Piet Vos" in by_kind
    assert "Truus Bakker" not in by_kind
    odd = client.get("/tasks/?soort=nonsense&te_laat=yes&wijk=abc")
    assert odd.status_code == 200


def test_the_dashboard_counts_open_and_overdue_tasks(client, db) -> None:
    oost = factories.neighbourhood("Oost")
    _task(TaskKind.CONCERN, "c:1", -1, oost)
    _task(TaskKind.CONCERN, "c:2", 2, oost)
    login_as(client, _coordinator(oost))
    _db.session.commit()
    page = client.get("/staff/").get_data(as_text=True)
    assert "Taken na de hulp en waakvlam" in page
    assert "2 open" in page
    assert "1 te laat" in page


def test_the_task_page_links_what_it_is_about_and_closes(client, db) -> None:
    match = once_match(days_ago=1)
    resident = match.help_request.requester
    task = _task(TaskKind.NOT_GIVEN, "n:1", -1, match.help_request.neighbourhood, resident,
                 help_request=match.help_request, match=match, params={"by": "volunteer"})
    login_as(client, _coordinator(match.help_request.neighbourhood))
    _db.session.commit()
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f"/staff/people/{resident.id}" in page
    assert f"/staff/requests/{match.help_request.id}" in page
    assert f"/matches/{match.id}" in page
    assert "Volgens de vrijwilliger is de hulp niet doorgegaan" in page
    empty = client.post(f"/tasks/{task.id}/close", data={"outcome": "  "})
    assert empty.status_code == 400
    assert "Schrijf in een zin wat er is gebeurd." in empty.get_data(as_text=True)
    done = client.post(f"/tasks/{task.id}/close", data={"outcome": "Gebeld: nieuwe datum"},
                       follow_redirects=True)
    assert "De taak is afgerond." in done.get_data(as_text=True)
    _db.session.expire_all()
    assert task.status is TaskStatus.DONE
    assert task.outcome == "Gebeld: nieuwe datum"
    again = client.post(f"/tasks/{task.id}/close", data={"outcome": "Nog eens"},
                        follow_redirects=True)
    assert "Deze taak is al afgerond." in again.get_data(as_text=True)
    assert client.get("/tasks/999999").status_code == 404


def test_the_coordinator_starts_and_stops_a_waakvlam_on_the_person_page(client, db) -> None:
    oost = factories.neighbourhood("Oost")
    resident = factories.user(Role.RESIDENT, neighbourhood=oost)
    waakvlam.ensure_default_rhythm()
    login_as(client, _coordinator(oost))
    _db.session.commit()
    page = client.get(f"/staff/people/{resident.id}").get_data(as_text=True)
    assert "Waakvlam starten" in page
    assert "Eerst wekelijks, dan maandelijks" in page
    rhythm = waakvlam.rhythms()[0]
    client.post(f"/tasks/waakvlam/{resident.id}/start",
                data={"rhythm": str(rhythm.id), "note": "Alleen sinds kort"})
    [checkin] = tasks_of(TaskKind.WAAKVLAM)
    client.post(f"/tasks/{checkin.id}/close", data={"outcome": "Gaat goed, boodschappen lukken"})
    page = client.get(f"/staff/people/{resident.id}").get_data(as_text=True)
    assert "Gaat goed, boodschappen lukken" in page
    assert "Contactmoment 2" in page
    assert "Waakvlam stoppen" in page
    running = _db.session.scalar(sa.select(Waakvlam))
    client.post(f"/tasks/waakvlam/{running.id}/stop")
    page = client.get(f"/staff/people/{resident.id}").get_data(as_text=True)
    assert "Waakvlam gestopt" in page
    assert "Waakvlam starten" in page


def test_a_bad_rhythm_choice_is_told_not_a_500(client, db) -> None:
    resident = factories.user(Role.RESIDENT)
    login_as(client, _coordinator(factories.neighbourhood("Oost")))
    _db.session.commit()
    response = client.post(f"/tasks/waakvlam/{resident.id}/start", data={"rhythm": "abc"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert tasks_of(TaskKind.WAAKVLAM) == []


def test_a_side_reports_on_the_match_page_that_the_help_did_not_happen(client, db) -> None:
    match = once_match(days_ago=2)
    login_as(client, match.help_request.requester)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Ging de hulp niet door?" in page
    empty = client.post(f"/matches/{match.id}/not-given", data={"not_given_reason": ""},
                        follow_redirects=True)
    assert "Schrijf in een zin waarom de hulp niet doorging." in empty.get_data(as_text=True)
    done = client.post(f"/matches/{match.id}/not-given", data={"not_given_reason": "Niemand kwam"},
                       follow_redirects=True)
    assert "De coördinator neemt contact" in done.get_data(as_text=True)
    assert len(tasks_of(TaskKind.NOT_GIVEN)) == 1


def test_before_the_date_the_match_page_offers_no_report(client, db) -> None:
    match = once_match(days_ago=-2)
    login_as(client, match.volunteer)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Melden dat de hulp niet doorging" not in page
    response = client.post(f"/matches/{match.id}/not-given", data={"not_given_reason": "Te vroeg"},
                           follow_redirects=True)
    assert "U kunt vanaf" in response.get_data(as_text=True)
    assert tasks_of(TaskKind.NOT_GIVEN) == []

"""Report a concern, and the coordinators' queue."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import AuditEntry, Concern, ConcernStatus, MatchStatus, Role
from tests import factories
from tests.security import data
from tests.security.data import login_as


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Concern))


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get("/concerns/new")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_resident_reports_concern_about_own_request(client, db) -> None:
    resident = factories.user(neighbourhood=factories.neighbourhood("Oost"))
    help_request = factories.help_request(resident)
    db.session.commit()
    login_as(client, resident)
    page = client.get(f"/concerns/new?request={help_request.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "035 123 45 67" in text
    assert f'selected value="r{help_request.id}"' in text
    response = client.post(
        "/concerns/new",
        data={"message": "De vrijwilliger kwam niet", "about": f"r{help_request.id}"},
        follow_redirects=True,
    )
    assert "Een medewerker neemt contact met u op" in response.get_data(as_text=True)
    concern = db.session.scalar(sa.select(Concern))
    assert concern.help_request_id == help_request.id
    assert concern.neighbourhood_id == factories.neighbourhood("Centrum").id  # from the request
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "concern.created")
    ) is not None


def test_volunteer_links_a_match(client, db) -> None:
    volunteer = data.volunteer()
    match = data.match(factories.help_request(), volunteer, MatchStatus.ACCEPTED)
    db.session.commit()
    login_as(client, volunteer)
    response = client.post("/concerns/new", data={"message": "Zorgen", "about": f"m{match.id}"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(Concern)).help_request_id == match.help_request_id


def test_someone_elses_request_is_refused(client, db) -> None:
    resident = factories.user()
    other = factories.help_request()
    db.session.commit()
    login_as(client, resident)
    for about in (f"r{other.id}", "m99999", "x", "r", "rabc"):
        response = client.post("/concerns/new", data={"message": "Zorgen", "about": about})
        assert response.status_code == 400, about
        assert "Kies een van de mogelijkheden" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_message_required_and_limited(client, db) -> None:
    resident = factories.user()
    db.session.commit()
    login_as(client, resident)
    assert client.post("/concerns/new", data={"message": "  "}).status_code == 400
    assert client.post("/concerns/new", data={"message": "x" * 2001}).status_code == 400
    assert client.post("/concerns/new", data={"message": "x" * 2000}).status_code == 303
    assert _count(db) == 1


def test_queue_filters_by_neighbourhood_and_detail_is_audited(client, db) -> None:
    centrum = factories.neighbourhood("Centrum")
    oost = factories.neighbourhood("Oost")
    coordinator = factories.user(Role.COORDINATOR, neighbourhood=oost)
    reporter = factories.user(phone="06 5555 1234")
    in_oost = Concern(reporter_id=reporter.id, neighbourhood_id=oost.id, message="Oost-zorg")
    in_centrum = Concern(reporter_id=reporter.id, neighbourhood_id=centrum.id,
                         message="Centrum-zorg")
    db.session.add_all([in_oost, in_centrum])
    db.session.commit()
    login_as(client, coordinator)

    own = client.get("/concerns/").get_data(as_text=True)
    assert f"/concerns/{in_oost.id}" in own
    assert f"/concerns/{in_centrum.id}" not in own
    everything = client.get("/concerns/?wijk=all").get_data(as_text=True)
    assert f"/concerns/{in_centrum.id}" in everything
    assert client.get("/concerns/?wijk=abc&status=zzz").status_code == 200

    detail = client.get(f"/concerns/{in_centrum.id}").get_data(as_text=True)
    assert "06 55551234" in detail  # shown the Dutch way (the phone filter)
    assert "Centrum-zorg" in detail
    viewed = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "concern.viewed"))
    assert viewed.actor_id == coordinator.id
    assert viewed.target_id == in_centrum.id

    assert client.post(f"/concerns/{in_centrum.id}/handle").status_code == 303
    db.session.expire_all()
    assert db.session.get(Concern, in_centrum.id).status == ConcernStatus.HANDLED
    assert client.get("/concerns/999999").status_code == 404
    assert client.post("/concerns/999999/handle").status_code == 404


def test_queue_is_staff_only(client, db) -> None:
    resident = factories.user()
    concern = Concern(reporter_id=resident.id, message="x")
    db.session.add(concern)
    db.session.commit()
    login_as(client, resident)
    assert client.get("/concerns/").status_code == 403
    assert client.get(f"/concerns/{concern.id}").status_code == 403
    assert client.post(f"/concerns/{concern.id}/handle").status_code == 403


def test_a_bad_filter_shows_every_concern_with_a_message(client, db) -> None:
    """Other scripts' digits, huge numbers, unknown neighbourhoods or statuses: the filter is
    left out (never a 500) and the page says so once."""
    oost = factories.neighbourhood("Oost")
    coordinator = factories.user(Role.COORDINATOR, neighbourhood=oost)
    centrum = factories.neighbourhood("Centrum")
    in_centrum = Concern(reporter_id=coordinator.id, neighbourhood_id=centrum.id,
                         message="Centrum-zorg")
    db.session.add(in_centrum)
    db.session.commit()
    login_as(client, coordinator)
    for query in ({"wijk": "²"}, {"wijk": "٣"}, {"wijk": "99999999999999999999"},
                  {"wijk": "999999"}, {"wijk": "abc", "status": "zzz"}, {"status": "²"}):
        response = client.get("/concerns/", query_string=query)
        assert response.status_code == 200, query
        assert response.text.count("Dit filter klopt niet; we tonen alles.") == 1, query
        if "wijk" in query:
            assert f"/concerns/{in_centrum.id}" in response.text, query
    for query in ({"wijk": "all"}, {"wijk": centrum.id, "status": "all"}, {"wijk": ""}):
        response = client.get("/concerns/", query_string=query)
        assert "Dit filter klopt niet" not in response.text, query


def test_a_bad_link_to_the_form_chooses_nothing(client, db) -> None:
    resident = factories.user()
    help_request = factories.help_request(resident)
    db.session.commit()
    login_as(client, resident)
    for query in ({"request": "²"}, {"request": "99999999999999999999"}, {"match": "٣"}):
        response = client.get("/concerns/new", query_string=query)
        assert response.status_code == 200, query
        assert "Deze link klopt niet helemaal" in response.text, query
        assert '<option selected value="">' in response.text, query
    chosen = client.get("/concerns/new", query_string={"request": help_request.id}).text
    assert f'<option selected value="r{help_request.id}">' in chosen
    assert "Deze link klopt niet" not in chosen

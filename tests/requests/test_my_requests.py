"""Residents see, cancel and complete only their own requests."""

from __future__ import annotations

import re

import sqlalchemy as sa

from marketplace.models import AuditEntry, Match, MatchStatus, RequestStatus, Role
from marketplace.requests import services
from tests import factories
from tests.requests.helpers import request_form
from tests.security.test_query_counts import count_queries


def test_empty_state(client, db, login) -> None:
    login(factories.user())
    db.session.commit()
    page = client.get("/requests/")
    assert page.status_code == 200
    assert "U heeft nog geen hulp gevraagd." in page.text


def test_list_shows_only_own_requests_as_cards(client, db, login) -> None:
    me, other = factories.user(), factories.user()
    factories.help_request(me, title="Mijn vraag")
    factories.help_request(other, title="Andermans vraag")
    db.session.commit()
    login(me)
    page = client.get("/requests/").text
    assert "Mijn vraag" in page
    assert "Andermans vraag" not in page
    assert 'class="card request-card"' in page
    assert "badge-submitted" in page


def test_the_list_reads_the_requests_without_their_requester_again(client, db, login) -> None:
    """The requester of a resident's own requests is the resident, already loaded: the
    cards' statement joins no accounts (30 columns per request)."""
    me = factories.user()
    factories.help_request(me, title="Mijn vraag")
    db.session.commit()
    login(me)
    client.get("/requests/")
    with count_queries() as statements:
        page = client.get("/requests/")
    assert "Mijn vraag" in page.text
    listing = [statement for statement in statements if "FROM help_requests" in statement]
    assert len(listing) == 1
    assert not re.search(r"JOIN users\b", listing[0])


def test_a_request_page_reads_the_request_and_its_matches_once(client, db, login) -> None:
    """The resident opens their request: it is read without the resident's account (already
    loaded), and its matches without the request again."""
    me = factories.user()
    help_request = factories.help_request(me, title="Mijn vraag", status=RequestStatus.MATCHED)
    db.session.add(Match(help_request=help_request, status=MatchStatus.ACCEPTED,
                         volunteer=factories.user(Role.VOLUNTEER, name="Vera Helpt")))
    db.session.commit()
    login(me)
    client.get(f"/requests/{help_request.id}")
    db.session.expunge_all()
    with count_queries() as statements:
        page = client.get(f"/requests/{help_request.id}")
    assert "Mijn vraag" in page.text
    assert "Vera Helpt" in page.text
    reads = [re.split(r"\sFROM\s", statement, maxsplit=1)[-1] for statement in statements]
    request_read = [sql for sql in reads if re.match(r"help_requests\s", sql)]
    matches_read = [sql for sql in reads if re.match(r"matches\s", sql)]
    assert len(request_read) == 1
    assert not re.search(r"JOIN users\b", request_read[0])
    assert len(matches_read) == 1
    assert "help_requests" not in matches_read[0]


def test_anonymous_list_redirects_to_login(client) -> None:
    assert "/auth/login" in client.get("/requests/").location


def test_detail_shows_history_in_dutch(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me)
    db.session.commit()
    login(me)
    page = client.get(f"/requests/{help_request.id}").text
    assert "Geschiedenis" in page
    assert "Wacht op goedkeuring" in page
    months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december")
    assert any(month in page for month in months)


def test_other_residents_request_is_404(client, db, login) -> None:
    me, other = factories.user(), factories.user()
    help_request = factories.help_request(other)
    db.session.commit()
    login(me)
    assert client.get(f"/requests/{help_request.id}").status_code == 404
    assert client.post(f"/requests/{help_request.id}/cancel").status_code == 404
    assert client.get(f"/requests/{help_request.id}/edit").status_code == 404
    assert client.get("/requests/999999").status_code == 404


def test_volunteer_cannot_open_a_request_here(client, db, login) -> None:
    volunteer = factories.user(Role.VOLUNTEER)
    help_request = factories.help_request()
    db.session.commit()
    login(volunteer)
    assert client.get(f"/requests/{help_request.id}").status_code == 404


def test_cancel_own_request(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me)
    db.session.commit()
    login(me)
    response = client.post(f"/requests/{help_request.id}/cancel", follow_redirects=True)
    assert "De aanvraag is ingetrokken." in response.text
    db.session.refresh(help_request)
    assert help_request.status == RequestStatus.CANCELLED
    assert help_request.transitions[-1].actor_id == me.id


def test_cancel_twice_is_refused_clearly(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=RequestStatus.CANCELLED)
    db.session.commit()
    login(me)
    response = client.post(f"/requests/{help_request.id}/cancel", follow_redirects=True)
    assert "kan niet van" in response.text
    db.session.refresh(help_request)
    assert len(help_request.transitions) == 1


def test_edit_after_info_goes_back_to_moderation(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=RequestStatus.NEEDS_INFO,
                                          status_note="Welke supermarkt?")
    db.session.commit()
    login(me)
    page = client.get(f"/requests/{help_request.id}/edit").text
    assert "Welke supermarkt?" in page
    assert 'value="Boodschappen doen"' in page
    response = client.post(f"/requests/{help_request.id}/edit",
                           data=request_form(title="Boodschappen bij de Albert Heijn"))
    assert response.status_code == 303
    db.session.refresh(help_request)
    assert help_request.status == RequestStatus.SUBMITTED
    assert help_request.title == "Boodschappen bij de Albert Heijn"
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "request.updated")) is not None


def test_edit_with_bad_data_changes_nothing(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=RequestStatus.NEEDS_INFO,
                                          status_note="Welke?")
    db.session.commit()
    login(me)
    response = client.post(f"/requests/{help_request.id}/edit",
                           data=request_form(postcode="1000 AA"))
    assert response.status_code == 400
    db.session.refresh(help_request)
    assert help_request.status == RequestStatus.NEEDS_INFO


def test_visible_requests_for_each_role(db) -> None:
    resident, other = factories.user(), factories.user()
    referrer = factories.user(Role.REFERRER)
    coordinator = factories.user(Role.COORDINATOR)
    own = factories.help_request(resident)
    referred = factories.help_request(other, created_by_id=referrer.id,
                                      source="referrer")
    assert services.visible_requests_for(resident) == [own]
    assert services.visible_requests_for(referrer) == [referred]
    assert set(services.visible_requests_for(coordinator)) == {own, referred}
    assert services.get_request_for(referrer, referred.id) is referred

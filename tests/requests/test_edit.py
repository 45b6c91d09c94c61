"""Changing a request until a volunteer is asked; the coordinator sees what changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.errors import DomainError
from marketplace.matches import lifecycle as match_lifecycle
from marketplace.models import (
    AuditEntry,
    MatchStatus,
    RequestSource,
    RequestStatus,
    Role,
    utcnow,
)
from marketplace.requests import services
from tests import factories
from tests.requests.helpers import form_of, in_days

S = RequestStatus


def _edit(client, help_request, **changes):
    return client.post(f"/requests/{help_request.id}/edit", data=form_of(help_request, **changes),
                       follow_redirects=True)


def test_a_waiting_request_can_be_changed_and_stays_in_the_queue(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me)
    db.session.commit()
    login(me)
    page = client.get(f"/requests/{help_request.id}")
    assert f'href="/requests/{help_request.id}/edit"' in page.text
    assert "Aanvraag wijzigen" in page.text
    form = client.get(f"/requests/{help_request.id}/edit")
    assert form.status_code == 200
    assert "Een medewerker bekijkt uw aanvraag opnieuw" in form.text
    assert 'value="Boodschappen doen"' in form.text

    response = _edit(client, help_request, description="Boodschappen bij de markt, graag.",
                     date_start=in_days(9))

    assert "Een medewerker bekijkt hem opnieuw." in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.SUBMITTED
    assert help_request.description == "Boodschappen bij de markt, graag."
    step = help_request.transitions[-1]
    assert (step.from_status, step.to_status) == (S.SUBMITTED, S.SUBMITTED)
    assert step.note == "Gewijzigd door de bewoner: beschrijving, wanneer"
    assert step.actor_id == me.id
    assert "Gewijzigd door de bewoner: beschrijving, wanneer" in response.text  # the history
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "request.updated"))
    assert audit is not None
    assert audit.detail == "submitted: Gewijzigd door de bewoner: beschrijving, wanneer"


def test_saving_without_a_change_records_nothing(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=S.OPEN)
    db.session.commit()
    login(me)
    response = _edit(client, help_request)
    assert "U heeft niets gewijzigd." in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.OPEN
    assert len(help_request.transitions) == 1


def test_an_open_request_that_changes_is_checked_again_and_loses_its_suggestions(
    client, db, login
) -> None:
    me = factories.user()
    approved_at = utcnow() - timedelta(days=3)
    help_request = factories.help_request(me, status=S.OPEN, opened_at=approved_at)
    volunteer = factories.volunteer()
    suggestion = match_lifecycle.create(help_request.id, volunteer.id, MatchStatus.SUGGESTED,
                                        None)
    db.session.commit()
    login(me)
    form = client.get(f"/requests/{help_request.id}/edit").text
    assert "Als u iets wijzigt, bekijkt een medewerker uw aanvraag opnieuw." in form

    _edit(client, help_request, title="Boodschappen bij de Albert Heijn", urgency="3",
          address="Kerkstraat 2")

    db.session.refresh(help_request)
    db.session.refresh(suggestion)
    assert help_request.status == S.SUBMITTED
    assert help_request.opened_at == approved_at  # the waiting time counts from then
    assert help_request.transitions[-1].from_status == S.OPEN
    assert help_request.status_note == "Gewijzigd door de bewoner: titel, hoe snel, adres"
    assert suggestion.status == MatchStatus.WITHDRAWN
    assert not match_lifecycle.in_play_for(help_request.id)


def test_the_coordinator_sees_what_changed(client, db, login) -> None:
    me = factories.user()
    coordinator = factories.user(Role.COORDINATOR)
    help_request = factories.help_request(me, status=S.OPEN)
    db.session.commit()
    login(me)
    _edit(client, help_request, category_id=factories.category("klusjes").id,
          own_network="Mijn buurman helpt soms.")
    login(coordinator)
    page = " ".join(client.get(f"/staff/requests/{help_request.id}").text.split())
    status_line = page[page.index("<h1>"):page.index('<div class="cards two">')]
    assert "Wacht op goedkeuring</span> · Gewijzigd door de bewoner: soort hulp, eigen netwerk" \
        in status_line
    history = page[page.index('id="history-title"'):]
    assert "Gewijzigd door de bewoner: soort hulp, eigen netwerk" in history
    assert f"({me.name})" in history
    assert "Mijn buurman helpt soms." not in history  # the parts that changed, not the text


def test_needs_info_goes_back_to_moderation_even_unchanged(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=S.NEEDS_INFO, status_note="Welke winkel?")
    db.session.commit()
    login(me)
    form = client.get(f"/requests/{help_request.id}/edit").text
    assert "Aanvraag aanvullen" in form
    assert "Welke winkel?" in form
    _edit(client, help_request)
    db.session.refresh(help_request)
    assert help_request.status == S.SUBMITTED
    assert help_request.status_note == "Opnieuw verstuurd door de bewoner, zonder wijzigingen"


def test_the_referrer_who_filed_it_can_change_it(client, db, login) -> None:
    referrer = factories.user(Role.REFERRER)
    help_request = factories.help_request(created_by_id=referrer.id,
                                          source=RequestSource.REFERRER)
    db.session.commit()
    login(referrer)
    _edit(client, help_request, can_offer="Zij kan goed luisteren.")
    db.session.refresh(help_request)
    assert help_request.status_note == "Gewijzigd door de verwijzer: iets doen voor een ander"


@pytest.mark.parametrize("status", [S.PROPOSED, S.MATCHED])
def test_once_a_volunteer_is_asked_the_request_cannot_change(client, db, login, status) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=status)
    db.session.commit()
    login(me)
    page = client.get(f"/requests/{help_request.id}").text
    assert "/edit" not in page
    assert "Er is al een vrijwilliger gevraagd." in page  # why there is no button
    response = client.get(f"/requests/{help_request.id}/edit", follow_redirects=True)
    assert "Er is al een vrijwilliger gevraagd." in response.text
    assert response.request.path == f"/requests/{help_request.id}"
    response = _edit(client, help_request, title="Iets anders")
    assert "Er is al een vrijwilliger gevraagd." in response.text
    db.session.refresh(help_request)
    assert help_request.title == "Boodschappen doen"
    assert len(help_request.transitions) == 1


@pytest.mark.parametrize("status", [S.DONE, S.CANCELLED, S.REJECTED, S.ESCALATED])
def test_a_closed_or_referred_request_cannot_change(client, db, login, status) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=status)
    db.session.commit()
    login(me)
    response = client.get(f"/requests/{help_request.id}/edit", follow_redirects=True)
    assert "Deze aanvraag kan niet meer worden gewijzigd." in response.text


def test_the_service_refuses_when_a_volunteer_was_asked_meanwhile(db) -> None:
    """The edit page was opened while the request was open; then a round proposed it."""
    me = factories.user()
    help_request = factories.help_request(me, status=S.PROPOSED)
    data = services.RequestData(
        category_id=help_request.category_id, title="Nieuw", description="Nieuw",
        timing=help_request.timing, date_start=help_request.date_start, date_end=None,
        weekday=None, part_of_day=None, postcode="1211 AB", address="Kerkstraat 1",
    )
    with pytest.raises(DomainError, match="al een vrijwilliger gevraagd"):
        services.edit_request(me, help_request, data)
    assert help_request.title == "Boodschappen doen"

"""Withdrawing a request asks "are you sure?" on its own page and says what will happen."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.matches import lifecycle as match_lifecycle
from marketplace.models import MatchStatus, Notification, OutboxMessage, RequestStatus
from marketplace.notifications import render_notification
from tests import factories

S = RequestStatus


def test_the_request_page_leads_to_the_question_instead_of_withdrawing_at_once(
    client, db, login
) -> None:
    me = factories.user()
    help_request = factories.help_request(me)
    db.session.commit()
    login(me)
    page = client.get(f"/requests/{help_request.id}").text
    assert f'<a class="button button-secondary" href="/requests/{help_request.id}/cancel">' \
        in page
    assert f'action="/requests/{help_request.id}/cancel"' not in page


def test_the_question_says_what_happens_and_changes_nothing(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=S.OPEN)
    db.session.commit()
    login(me)
    page = client.get(f"/requests/{help_request.id}/cancel")
    assert page.status_code == 200
    assert "Wilt u deze aanvraag intrekken?" in page.text
    assert "wordt de aanvraag gesloten" in page.text
    assert "Dit kunt u niet ongedaan maken." in page.text
    assert f'action="/requests/{help_request.id}/cancel"' in page.text
    assert "Ja, aanvraag intrekken" in page.text
    assert f'href="/requests/{help_request.id}">Nee, terug naar de aanvraag' in page.text
    assert "vrijwilliger krijgt daarover een e-mail" not in page.text  # nobody was asked
    db.session.refresh(help_request)
    assert help_request.status == S.OPEN


@pytest.mark.parametrize(("status", "what"), [
    (S.PROPOSED, "trekken wij onze vraag aan de vrijwilliger in"),
    (S.MATCHED, "stopt de hulp van uw vrijwilliger"),
])
def test_the_question_names_the_volunteer_who_was_asked(client, db, login, status, what) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=status)
    db.session.commit()
    login(me)
    page = client.get(f"/requests/{help_request.id}/cancel").text
    assert what in page
    assert "De vrijwilliger krijgt daarover een e-mail" in page


def test_confirming_withdraws_with_the_reason(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me)
    db.session.commit()
    login(me)
    response = client.post(f"/requests/{help_request.id}/cancel",
                           data={"reason": "  Mijn zoon helpt nu.  "}, follow_redirects=True)
    assert "De aanvraag is ingetrokken." in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.CANCELLED
    assert help_request.transitions[-1].note == "Mijn zoon helpt nu."
    assert help_request.transitions[-1].actor_id == me.id


def test_a_reason_that_is_too_long_is_shown_on_the_question(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me)
    db.session.commit()
    login(me)
    response = client.post(f"/requests/{help_request.id}/cancel", data={"reason": "x" * 501})
    assert response.status_code == 400
    assert "Maximaal 500 tekens." in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.SUBMITTED


def test_a_closed_request_has_no_question_to_ask(client, db, login) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=S.DONE)
    db.session.commit()
    login(me)
    assert "/cancel" not in client.get(f"/requests/{help_request.id}").text
    response = client.get(f"/requests/{help_request.id}/cancel", follow_redirects=True)
    assert response.request.path == f"/requests/{help_request.id}"
    assert "Deze aanvraag kan niet meer worden ingetrokken." in response.text


def test_the_volunteer_who_helps_hears_it_and_a_mere_suggestion_does_not(
    client, db, login
) -> None:
    me = factories.user()
    help_request = factories.help_request(me, status=S.MATCHED, title="Boodschappen op vrijdag")
    helper, suggested = factories.volunteer(), factories.volunteer()
    helping = match_lifecycle.create(help_request.id, helper.id, MatchStatus.ACCEPTED, None)
    suggestion = match_lifecycle.create(help_request.id, suggested.id, MatchStatus.SUGGESTED,
                                        None)
    db.session.commit()
    login(me)
    client.post(f"/requests/{help_request.id}/cancel", data={"reason": ""})
    db.session.refresh(helping)
    db.session.refresh(suggestion)
    assert helping.status == MatchStatus.WITHDRAWN
    assert suggestion.status == MatchStatus.WITHDRAWN
    [notification] = db.session.scalars(sa.select(Notification)).all()
    assert notification.recipient_id == helper.id
    # One mail for the notification (the withdrawn help also sends calendar cancellations).
    assert len(db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "notification")).all()) == 1
    subject, text, _html = render_notification(notification)
    assert subject == "Hulp niet meer nodig: Boodschappen op vrijdag"
    assert "Uw hulp is daarom niet meer nodig." in text
    assert "Kerkstraat" not in text
    assert "/matches/" in text


def test_staff_withdrawing_for_the_resident_tells_the_volunteer_too(client, db, login) -> None:
    help_request = factories.help_request(status=S.MATCHED, title="Boodschappen op vrijdag")
    helper = factories.volunteer()
    helping = match_lifecycle.create(help_request.id, helper.id, MatchStatus.ACCEPTED, None)
    db.session.commit()
    login(factories.user("coordinator"))
    client.post(f"/staff/requests/{help_request.id}/cancel",
                data={"reason": "De bewoner belde", "version": help_request.version})
    db.session.refresh(helping)
    assert helping.status == MatchStatus.WITHDRAWN
    [notification] = db.session.scalars(sa.select(Notification)).all()
    assert notification.recipient_id == helper.id
    assert "Uw hulp is daarom niet meer nodig." in render_notification(notification)[1]

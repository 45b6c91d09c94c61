"""A conversation per accepted match: the two sides write, nobody else reads (coordinators
only through a reported concern, audited); plain text, limits, and the unread count."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from marketplace.conversations import services
from marketplace.matches import lifecycle
from marketplace.models import (
    AuditEntry,
    Concern,
    ConversationMessage,
    MatchStatus,
    Notification,
    RequestSource,
    RequestStatus,
    Role,
    utcnow,
)
from marketplace.vocabulary import NotificationKind
from tests import factories
from tests.conversations.helpers import accepted_match, page_of
from tests.matches.helpers import switch_user


def _post(client, match, body: str):
    return client.post(page_of(match), data={"body": body})


def test_volunteer_and_resident_exchange_messages(db, login) -> None:
    match = accepted_match(db)
    client = login(match.volunteer)
    response = _post(client, match, "Hallo!\nZal ik maandag om tien uur komen?")
    assert response.status_code == 303
    switch_user(login, match.help_request.requester)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "1 nieuw bericht" in page
    page = client.get(page_of(match)).get_data(as_text=True)
    assert "Hallo!<br>Zal ik maandag om tien uur komen?" in page
    assert match.volunteer.name in page
    assert _post(client, match, "Ja, graag.").status_code == 303
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "nieuw bericht" not in page  # read by opening it


def test_text_is_escaped(db, login) -> None:
    match = accepted_match(db)
    client = login(match.volunteer)
    _post(client, match, "<script>alert(1)</script>")
    page = client.get(page_of(match)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_too_long_and_empty_messages_are_refused_and_kept(db, login) -> None:
    match = accepted_match(db)
    client = login(match.volunteer)
    long_text = "a" * 2001
    response = _post(client, match, long_text)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "te lang" in page
    assert long_text in page
    assert _post(client, match, "   ").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ConversationMessage.id))) == 0


def test_rate_limit_refuses_the_eleventh_message_in_ten_minutes(db, login) -> None:
    match = accepted_match(db)
    client = login(match.volunteer)
    for number in range(10):
        assert _post(client, match, f"bericht {number}").status_code == 303
    response = _post(client, match, "nog eentje")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Wacht tien minuten" in page
    assert "nog eentje" in page
    # Ten minutes later it goes through again.
    later = utcnow() + timedelta(minutes=11)
    services.post_message(match.volunteer, match.id, "later", now=later)


def test_no_conversation_before_acceptance(db, login) -> None:
    volunteer = factories.volunteer()
    help_request = factories.help_request(status=RequestStatus.OPEN)
    match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.SUGGESTED, None)
    lifecycle.transition(match, MatchStatus.PROPOSED, None)
    match.proposed_at = utcnow()
    db.session.commit()
    client = login(volunteer)
    assert client.get(page_of(match)).status_code == 404
    assert _post(client, match, "hoi").status_code == 404


def test_read_only_after_the_help_ended(db, login) -> None:
    match = accepted_match(db)
    services.post_message(match.volunteer, match.id, "Tot maandag")
    lifecycle.transition(match, MatchStatus.CANCELLED, match.volunteer, "ziek")
    db.session.commit()
    client = login(match.help_request.requester)
    page = client.get(page_of(match)).get_data(as_text=True)
    assert "Tot maandag" in page
    assert "niet meer schrijven" in page
    assert 'name="body"' not in page
    assert _post(client, match, "Jammer").status_code == 400


def test_strangers_and_coordinators_without_a_concern_cannot_read(db, login) -> None:
    match = accepted_match(db)
    services.post_message(match.volunteer, match.id, "geheim")
    coordinator = factories.user(Role.COORDINATOR,
                                 neighbourhood=match.help_request.neighbourhood)
    admin = factories.user(Role.ADMIN)
    stranger = factories.user(Role.RESIDENT)
    other_volunteer = factories.volunteer()
    db.session.commit()
    client = login(stranger)
    for person in (stranger, coordinator, admin, other_volunteer):
        switch_user(login, person)
        assert client.get(page_of(match)).status_code == 404


def test_a_reported_conversation_is_readable_by_the_neighbourhoods_coordinator(db, login):
    match = accepted_match(db)
    services.post_message(match.volunteer, match.id, "een vreemd bericht")
    here = factories.user(Role.COORDINATOR, neighbourhood=match.help_request.neighbourhood)
    elsewhere = factories.user(Role.COORDINATOR, neighbourhood=factories.neighbourhood("Oost"))
    db.session.commit()
    client = login(match.help_request.requester)
    page = client.get(page_of(match)).get_data(as_text=True)
    assert "Meld een zorg over dit gesprek" in page
    form = client.get(f"/concerns/new?match={match.id}").get_data(as_text=True)
    assert f'<option selected value="m{match.id}">Het gesprek over' in form
    response = client.post("/concerns/new", data={"message": "Dit voelt niet goed",
                                                   "about": f"m{match.id}"})
    assert response.status_code == 303
    concern = db.session.scalar(sa.select(Concern))
    assert concern.match_id == match.id

    switch_user(login, elsewhere)
    assert client.get(page_of(match)).status_code == 404
    switch_user(login, here)
    detail = client.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "Lees het gesprek" in detail
    page = client.get(page_of(match))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "een vreemd bericht" in text
    assert 'name="body"' not in text
    audited = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "conversation.viewed_by_staff")).all()
    assert [(entry.actor_id, entry.target_id) for entry in audited] == [(here.id, match.id)]
    assert _post(client, match, "ik bemoei me ermee").status_code == 400


def test_the_referrer_who_filed_it_speaks_for_the_resident(db, login) -> None:
    referrer = factories.user(Role.REFERRER)
    match = accepted_match(db, source=RequestSource.REFERRER, created_by_id=referrer.id,
                           consent_given=True)
    client = login(referrer)
    assert _post(client, match, "Ik bel namens mevrouw.").status_code == 303
    services.post_message(match.volunteer, match.id, "Prima, dank u.")
    db.session.commit()
    told = db.session.scalars(sa.select(Notification.recipient_id).where(
        Notification.kind == NotificationKind.MESSAGE_NEW)).all()
    assert set(told) == {match.volunteer_id, match.help_request.requester_id, referrer.id}
    page = client.get(page_of(match)).get_data(as_text=True)
    assert "Terug naar de aanvraag" in page


def test_the_other_side_is_notified_once_per_unread_burst(db, login) -> None:
    match = accepted_match(db)
    for number in range(3):
        services.post_message(match.volunteer, match.id, f"bericht {number}")
    db.session.commit()
    rows = db.session.scalars(sa.select(Notification).where(
        Notification.kind == NotificationKind.MESSAGE_NEW)).all()
    assert [row.recipient_id for row in rows] == [match.help_request.requester_id]
    assert "bericht" not in str(rows[0].params)  # the text is never copied
    client = login(match.help_request.requester)
    client.get(page_of(match))
    services.post_message(match.volunteer, match.id, "nog een")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 2


def test_can_read_conversation_for_each_kind_of_person(db) -> None:
    """The rule in access.py, person by person, before and after acceptance."""
    from marketplace import access

    coordinator = factories.user(Role.COORDINATOR)
    desk_request_resident = factories.user(Role.RESIDENT, email=None)
    match = accepted_match(db, requester=desk_request_resident, source=RequestSource.DESK,
                           created_by_id=coordinator.id)
    help_request = match.help_request
    coordinator.neighbourhood = help_request.neighbourhood
    referrer = factories.user(Role.REFERRER)
    other_coordinator = factories.user(Role.COORDINATOR, neighbourhood=help_request.neighbourhood)
    db.session.commit()
    readers = {
        "volunteer": match.volunteer, "resident": desk_request_resident,
        "desk coordinator who registered it": coordinator,
    }
    outsiders = {
        "referrer who did not file it": referrer,
        "coordinator of the neighbourhood without a concern": other_coordinator,
        "another volunteer": factories.volunteer(),
        "admin": factories.user(Role.ADMIN),
    }
    for name, person in readers.items():
        assert access.can_read_conversation(person, match), name
        assert access.can_write_conversation(person, match), name
    for name, person in outsiders.items():
        assert not access.can_read_conversation(person, match), name
    lifecycle.transition(match, MatchStatus.COMPLETED, match.volunteer)
    assert access.can_read_conversation(match.volunteer, match)
    assert not access.can_write_conversation(match.volunteer, match)

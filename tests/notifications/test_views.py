"""The bell on every page, the list at /notifications, marking read, and the choices."""

from __future__ import annotations

import re

import sqlalchemy as sa

from marketplace.conversations import services as conversations
from marketplace.models import Notification, NotificationPreference, Role
from marketplace.notifications import notify
from marketplace.vocabulary import NotificationDelivery as D
from marketplace.vocabulary import NotificationKind as K
from tests import factories
from tests.conversations.helpers import accepted_match, page_of


def _bell(page: str) -> str:
    found = re.search(r'<a class="notification-bell"[^>]*>.*?</a>', page, re.S)
    assert found is not None, "no bell on the page"
    return found.group(0)


def test_bell_counts_unread_and_says_so_in_both_languages(client, db, login) -> None:
    me = factories.user(Role.RESIDENT)
    help_request = factories.help_request(me)
    for number in range(3):
        notify(me, K.REQUEST_APPROVED, key=f"k{number}", help_request=help_request)
    db.session.commit()
    login(me)
    bell = _bell(client.get("/account/").text)
    assert 'aria-label="Meldingen, 3 nieuw"' in bell
    assert 'href="/notifications"' in bell
    assert '<span class="notification-count">3</span>' in bell
    client.post("/taal", data={"locale": "en", "next": "/"})
    assert 'aria-label="Notifications, 3 new"' in _bell(client.get("/account/").text)


def test_no_bell_for_visitors(client, db) -> None:
    assert "notification-bell" not in client.get("/").text


def test_list_shows_newest_first_marks_new_in_words_and_opening_marks_nothing(
    client, db, login
) -> None:
    me = factories.user(Role.RESIDENT)
    help_request = factories.help_request(me, title="Tuin opruimen")
    notify(me, K.REQUEST_INFO_NEEDED, key="old", help_request=help_request,
           title=help_request.title, note="Welke dag past u?")
    notify(me, K.REQUEST_APPROVED, key="new", help_request=help_request,
           title=help_request.title)
    db.session.commit()
    login(me)
    page = client.get("/notifications").text
    assert page.index("Uw aanvraag is goedgekeurd") < page.index("heeft een vraag over")
    assert "Onze vraag: Welke dag past u?" in page
    assert page.count(">Nieuw</span>") == 2
    assert f'href="/requests/{help_request.id}"' in page
    assert "Alles gelezen" in page
    client.get("/notifications")
    assert db.session.scalar(sa.select(sa.func.count()).where(Notification.read_at.is_(None))) == 2


def test_mark_read_is_post_only_and_own_rows_only(client, db, login) -> None:
    me, other = factories.user(), factories.user()
    mine = notify(me, K.REQUEST_APPROVED, key="mine")
    theirs = notify(other, K.REQUEST_APPROVED, key="theirs")
    assert mine is not None
    assert theirs is not None
    db.session.commit()
    login(me)
    assert client.get(f"/notifications/{mine.id}/read").status_code == 405
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    response = client.post(f"/notifications/{mine.id}/read", follow_redirects=True)
    assert "De melding is gemarkeerd als gelezen." in response.text
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_mark_all_read(client, db, login) -> None:
    me, other = factories.user(), factories.user()
    for number in range(2):
        notify(me, K.REQUEST_APPROVED, key=f"me{number}")
    notify(other, K.REQUEST_APPROVED, key="other")
    db.session.commit()
    login(me)
    assert client.get("/notifications/read").status_code == 405
    response = client.post("/notifications/read", follow_redirects=True)
    assert "2 meldingen gemarkeerd als gelezen." in response.text
    assert 'aria-label="Meldingen, geen nieuwe"' in response.text
    unread = db.session.scalars(sa.select(Notification).where(Notification.read_at.is_(None)))
    assert [row.recipient_id for row in unread] == [other.id]


def test_list_pages_by_fifty(client, db, login) -> None:
    me = factories.user()
    for number in range(51):
        notify(me, K.REQUEST_APPROVED, key=f"n{number}")
    db.session.commit()
    login(me)
    first = client.get("/notifications").text
    assert first.count('class="notification ') == 50
    assert 'href="/notifications?page=2"' in first
    assert client.get("/notifications?page=2").text.count('class="notification ') == 1


def test_preferences_page_lists_the_kinds_of_ones_roles_and_saves(client, db, login) -> None:
    volunteer = factories.volunteer()
    db.session.commit()
    login(volunteer)
    page = client.get("/account/notifications").text
    assert "<fieldset" in page
    assert "<legend" in page
    assert "Nieuw hulpvoorstel" in page
    assert "Aanvraag goedgekeurd" not in page  # a resident's kind
    assert "wachtwoord" in page  # account mails always come, and the page says so
    response = client.post("/account/notifications", data={
        "proposal_new": "digest", "digest": "digest", "request_withdrawn": "off",
        "appointment_reminder": "immediate", "match_cancelled": "immediate",
        "proposal_expired": "immediate",
    }, follow_redirects=True)
    assert "Uw keuzes voor berichten zijn opgeslagen." in response.text
    stored = {row.kind: row.delivery for row in db.session.scalars(
        sa.select(NotificationPreference).where(NotificationPreference.user_id == volunteer.id))}
    assert stored[K.PROPOSAL_NEW] == D.DIGEST
    assert stored[K.DIGEST] == D.DIGEST
    assert stored[K.REQUEST_WITHDRAWN] == D.OFF
    assert notify(volunteer, K.REQUEST_WITHDRAWN, key="w").mail == "off"


def test_a_choice_the_kind_does_not_offer_is_refused_with_a_message(client, db, login) -> None:
    volunteer = factories.volunteer()
    db.session.commit()
    login(volunteer)
    response = client.post("/account/notifications", data={"appointment_reminder": "digest"})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationPreference)) == 0


def test_account_overview_links_to_the_choices(client, db, login) -> None:
    login(factories.user())
    assert 'href="/account/notifications"' in client.get("/account/").text


def test_a_failing_count_does_not_break_the_page(client, db, login, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    from marketplace.notifications import services

    def broken(_user: object) -> int:
        raise OperationalError("SELECT count", {}, Exception("database gone"))

    login(factories.user())
    monkeypatch.setattr(services, "unread_count", broken)
    response = client.get("/account/")
    assert response.status_code == 200
    assert 'aria-label="Meldingen"' in _bell(response.text)


def test_the_bells_count_comes_with_the_account(client, db, login) -> None:
    """No statement of its own on every page: the account's statement brings it."""
    me = factories.user(Role.RESIDENT)
    notify(me, K.REQUEST_APPROVED, key="one")
    db.session.commit()
    login(me)
    db.session.expunge_all()  # a page of its own: the account is read as on a new request
    statements: list[str] = []

    def seen(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        page = client.get("/account/").text
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert 'aria-label="Meldingen, 1 nieuw"' in _bell(page)
    counts = [s for s in statements if "count(notifications.id)" in s]
    assert len(counts) == 1
    assert "FROM users" in counts[0]  # inside the account's statement


def test_a_page_that_marks_messages_read_counts_without_them_in_its_own_bell(db, login) -> None:
    """The count comes with the account when a page starts; opening a conversation marks its
    message notifications read before the page's header is made."""
    match = accepted_match(db)
    conversations.post_message(match.volunteer, match.id, "Komt maandag om tien uur uit?")
    db.session.commit()
    client = login(match.help_request.requester)
    assert 'aria-label="Meldingen, 1 nieuw"' in _bell(client.get("/account/").text)
    page = client.get(page_of(match)).text
    assert "Komt maandag om tien uur uit?" in page
    assert 'aria-label="Meldingen, geen nieuwe"' in _bell(page)

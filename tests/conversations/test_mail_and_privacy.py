"""The e-mail of a new message (its text only by choice), and conversations in the data
export, on deleting an account and after the retention period."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from marketplace.conversations import services
from marketplace.models import ConversationMessage, MessageMailSetting, utcnow
from marketplace.privacy import services as privacy
from tests.conversations.helpers import accepted_match, page_of
from tests.matches.helpers import switch_user
from tests.smtp_server import SmtpServer


def test_the_mail_says_there_is_a_message_and_shows_its_text_only_by_choice(
    app, db, login, client, smtp_server: SmtpServer
) -> None:
    app.config.update(smtp_server.app_config())
    match = accepted_match(db)
    resident = match.help_request.requester
    login(match.volunteer).post(page_of(match), data={"body": "Ik kom maandag om 10 uur."})
    [first] = smtp_server.wait_for(1)
    assert first["To"] == resident.email
    text = SmtpServer.text_of(first)
    assert "stuurde u een bericht" in text
    assert "Ik kom maandag om 10 uur." not in text
    assert f"/matches/{match.id}/messages" in text

    switch_user(login, resident)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "Zet de tekst van een nieuw bericht in de e-mail" in page
    client.post("/account/notifications", data={"message_new": "immediate",
                                                "message_text": "y"})
    assert services.include_text(resident)
    client.get(page_of(match))  # read: the next message mails again
    switch_user(login, match.volunteer)
    client.post(page_of(match), data={"body": "Of liever 11 uur?"})
    second = smtp_server.wait_for(2)[-1]
    assert "Of liever 11 uur?" in SmtpServer.text_of(second)


def test_export_delete_and_retention(db) -> None:
    match = accepted_match(db)
    volunteer, resident = match.volunteer, match.help_request.requester
    services.post_message(volunteer, match.id, "Van de vrijwilliger")
    services.post_message(resident, match.id, "Van de bewoner")
    services.set_include_text(volunteer, True)
    db.session.commit()

    exported = privacy.export_user_data(volunteer)
    assert [(row["text"], row["written_by_me"]) for row in exported["messages"]] == [
        ("Van de vrijwilliger", True), ("Van de bewoner", False)]
    assert exported["message_mail_setting"] == {"message_text_in_email": True}

    privacy.delete_account(volunteer)
    db.session.commit()
    rows = db.session.scalars(sa.select(ConversationMessage).order_by(ConversationMessage.id))
    texts = [(row.body, row.removed_at is not None) for row in rows]
    assert texts == [("", True), ("Van de bewoner", False)]
    assert db.session.get(MessageMailSetting, volunteer.id) is None


def test_the_deleted_text_reads_as_removed(db, login) -> None:
    match = accepted_match(db)
    services.post_message(match.help_request.requester, match.id, "Tot dan")
    db.session.commit()
    privacy.delete_account(match.help_request.requester)
    db.session.commit()
    page = login(match.volunteer).get(page_of(match)).get_data(as_text=True)
    assert "Dit bericht is verwijderd." in page
    assert "Tot dan" not in page


def test_anonymising_the_request_removes_the_conversation_text(db) -> None:
    match = accepted_match(db)
    services.post_message(match.volunteer, match.id, "Mijn telefoon is 0612345678")
    db.session.commit()
    privacy.anonymise_request(match.help_request, utcnow() + timedelta(days=400))
    db.session.commit()
    assert db.session.scalars(sa.select(ConversationMessage.body)).all() == [""]

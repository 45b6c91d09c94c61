"""E-mails go out after the commit, through the outbox and a real SMTP server: the proposal
to the volunteer, the acceptance to the resident; nothing when the change is rolled back."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from marketplace.models import Match, OutboxMessage, OutboxStatus
from tests.matches.helpers import coordinator, make_volunteer, open_request, switch_user
from tests.smtp_server import SmtpServer


@pytest.fixture
def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
    return smtp_server.app_config()


def test_real_round_mails_the_volunteer_then_accept_mails_the_resident(
    db, login, smtp_server: SmtpServer
):
    volunteer = make_volunteer()
    help_request = open_request(title="Boodschappen voor mevrouw")
    db.session.commit()
    client = login(coordinator())
    client.post("/matches/rounds", data={"neighbourhood": ""})  # dry run off = real round
    [message] = smtp_server.wait_for(1)
    text = SmtpServer.text_of(message)
    assert message["To"] == volunteer.email
    assert message["Subject"] == "Nieuw hulpvoorstel voor u"
    assert "Boodschappen voor mevrouw" in text
    assert "Marktplein" not in text
    match = db.session.scalar(sa.select(Match))
    assert f"/matches/{match.id}" in text

    switch_user(login, volunteer).post(f"/matches/{match.id}/accept")
    # The acceptance mail, and a calendar invitation to each side (matches/invitations.py).
    [message] = [item for item in smtp_server.wait_for(4)[1:]
                 if item["Subject"] == "Er is een vrijwilliger voor uw aanvraag"]
    assert message["To"] == help_request.requester.email
    assert "Boodschappen voor mevrouw" in SmtpServer.text_of(message)
    statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
    assert statuses == [OutboxStatus.DONE] * 5  # the round, two mails, two invitations


def test_a_refused_accept_sends_nothing(db, login, smtp_server: SmtpServer):
    volunteer = make_volunteer()
    open_request()
    db.session.commit()
    login(coordinator()).post("/matches/rounds", data={"neighbourhood": ""})
    smtp_server.wait_for(1)
    match = db.session.scalar(sa.select(Match))
    client = switch_user(login, volunteer)
    client.post(f"/matches/{match.id}/accept")
    client.post(f"/matches/{match.id}/accept")  # too late: already accepted
    # The proposal, the acceptance and two calendar invitations; nothing for the refusal.
    assert len(smtp_server.wait_for(5, timeout=0.5)) == 4


def test_mail_that_cannot_be_delivered_waits_and_goes_later(
    app, db, login, smtp_server: SmtpServer, runner
):
    volunteer = make_volunteer()
    open_request()
    db.session.commit()
    app.config["MAIL_PORT"] = 9  # nobody listens: the SMTP connection is refused
    login(coordinator()).post("/matches/rounds", data={"neighbourhood": ""})
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "notification"))
    assert mail.status == OutboxStatus.PENDING
    assert mail.attempts == 1
    assert "ConnectionRefusedError" in mail.error
    app.config["MAIL_PORT"] = smtp_server.port
    db.session.execute(sa.update(OutboxMessage).values(available_at=mail.created_at))
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert "1 delivered" in result.output, result.output
    [message] = smtp_server.wait_for(1)
    assert message["To"] == volunteer.email


def test_links_point_where_the_site_is_served(app, db, login, smtp_server: SmtpServer):
    """`make run` on another port, or behind a proxy: links follow the request's address
    (they pointed at port 5000 whatever the port); SITE_URL, when set, wins."""
    make_volunteer()
    open_request()
    db.session.commit()
    client = login(coordinator())
    client.post("/matches/rounds", data={"neighbourhood": ""},
                base_url="http://localhost:8123")
    match = db.session.scalar(sa.select(Match))
    [message] = smtp_server.wait_for(1)
    assert f"http://localhost:8123/matches/{match.id}" in SmtpServer.text_of(message)

    app.config["SITE_URL"] = "https://hulppunt.example.nl"
    client.post("/auth/logout")
    client.post("/auth/forgot", data={"email": match.volunteer.email},
                base_url="http://localhost:8123")
    reset = smtp_server.wait_for(2)[-1]
    assert "https://hulppunt.example.nl/auth/reset/" in SmtpServer.text_of(reset)

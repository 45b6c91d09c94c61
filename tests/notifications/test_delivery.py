"""Notification e-mail through a real SMTP server: the recipient's language, working links,
Auto-Submitted, nothing private before acceptance, and exactly once."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from marketplace import outbox
from marketplace.models import (
    Match,
    Notification,
    NotificationMail,
    OutboxMessage,
    OutboxStatus,
    Role,
    utcnow,
)
from marketplace.notifications import notify
from marketplace.staff import services as staff_services
from marketplace.transaction import commit
from marketplace.vocabulary import NotificationKind as K
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request, switch_user
from tests.smtp_server import SmtpServer


@pytest.fixture
def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
    return smtp_server.app_config()


def _path(url: str) -> str:
    return urlsplit(url).path


def _links(text: str) -> list[str]:
    return [word for word in text.split() if word.startswith("http")]


def test_proposal_in_english_without_address_then_acceptance_in_dutch(
    db, login, client, smtp_server: SmtpServer
) -> None:
    volunteer = make_volunteer()
    volunteer.locale = "en"
    help_request = open_request(title="Boodschappen voor mevrouw", address="Marktplein 3")
    resident = help_request.requester
    db.session.commit()
    login(coordinator()).post("/matches/rounds", data={"neighbourhood": ""})
    [proposal] = smtp_server.wait_for(1)
    text, html = SmtpServer.text_of(proposal), SmtpServer.text_of(proposal, "html")
    assert proposal["To"] == volunteer.email
    assert proposal["Subject"] == "A new request for your help"
    assert proposal["Auto-Submitted"] == "auto-generated"
    assert "Boodschappen voor mevrouw" in text
    assert "Dear " in text
    assert "Would you say yes or no?" in text
    for private in ("Marktplein", resident.phone, resident.email, resident.name):
        assert private not in text
        assert private not in html
    match = db.session.scalar(sa.select(Match))
    link = next(url for url in _links(text) if "/matches/" in url)
    assert _path(link) == f"/matches/{match.id}"
    assert f'href="{link}"' in html
    assert switch_user(login, volunteer).get(_path(link)).status_code == 200

    client.post(f"/matches/{match.id}/accept")
    accepted = smtp_server.wait_for(2)[-1]
    text = SmtpServer.text_of(accepted)
    assert accepted["To"] == resident.email
    assert accepted["Subject"] == "Er is een vrijwilliger voor uw aanvraag"
    assert accepted["Auto-Submitted"] == "auto-generated"
    assert "Beste " in text
    assert volunteer.phone not in text  # a link to the details, not the details
    link = next(url for url in _links(text) if "/matches/" in url)
    assert switch_user(login, resident).get(_path(link)).status_code == 200
    settings = next(url for url in _links(text) if url.endswith("/account/notifications"))
    assert client.get(_path(settings)).status_code == 200


def test_smtp_down_then_back_delivers_each_exactly_once(app, db, smtp_server: SmtpServer) -> None:
    residents = [factories.user(Role.RESIDENT) for _ in range(3)]
    requests = [factories.help_request(resident) for resident in residents]
    staff = factories.user(Role.COORDINATOR)
    db.session.commit()
    app.config["MAIL_PORT"] = 9  # refused: the mail server is down
    for help_request in requests:
        staff_services.approve_request(staff, help_request)
    commit()  # the coordinator's action succeeds all the same
    rows = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [row.status for row in rows] == [OutboxStatus.PENDING] * 3
    assert all(n.emailed_at is None for n in db.session.scalars(sa.select(Notification)))
    app.config["MAIL_PORT"] = smtp_server.port
    db.session.execute(sa.update(OutboxMessage).values(available_at=utcnow()))
    db.session.commit()
    assert outbox.deliver_due().done == 3
    assert outbox.deliver_due().done == 0
    messages = smtp_server.wait_for(4, timeout=0.5)
    assert sorted(message["To"] for message in messages) == sorted(r.email for r in residents)
    assert all(n.mail == NotificationMail.SENT for n in db.session.scalars(
        sa.select(Notification)))


def test_a_retry_after_a_crash_does_not_send_a_second_copy(db, smtp_server: SmtpServer) -> None:
    resident = factories.user(Role.RESIDENT)
    notification = notify(resident, K.REQUEST_APPROVED, key="approved:1")
    commit()
    [first] = smtp_server.wait_for(1)
    # The worker died after sending but before the outbox row was marked done.
    db.session.execute(sa.update(OutboxMessage).values(status=OutboxStatus.PENDING))
    db.session.commit()
    assert outbox.deliver_due().done == 1
    assert len(smtp_server.wait_for(2, timeout=0.3)) == 1
    # Had it sent again (the crash fell between sending and recording), the copy would
    # carry the same Message-ID, which mail programs show once.
    assert notification is not None
    notification.emailed_at = None
    db.session.commit()
    db.session.execute(sa.update(OutboxMessage).values(status=OutboxStatus.PENDING))
    db.session.commit()
    outbox.deliver_due()
    [_first, second] = smtp_server.wait_for(2)
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"].startswith("<notification.")


def test_no_mail_to_an_unconfirmed_address(db, smtp_server: SmtpServer) -> None:
    resident = factories.user(Role.RESIDENT, email_confirmed_at=None)
    notification = notify(resident, K.REQUEST_APPROVED, key="approved:2")
    commit()
    assert notification is not None
    assert notification.mail == NotificationMail.NO_ADDRESS
    assert smtp_server.wait_for(1, timeout=0.3) == []


def test_a_line_break_in_a_subject_does_not_stop_the_mail(app, smtp_server) -> None:
    from marketplace.mail import send_email

    with app.app_context():
        assert send_email("a@example.org", "Afgezegd: Tuin\r\nopruimen", "Tekst")
    [message] = smtp_server.messages
    assert message["Subject"] == "Afgezegd: Tuin opruimen"

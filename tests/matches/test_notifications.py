"""E-mails go out after the commit: proposal to the volunteer, acceptance to the resident."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.matches import notifications
from marketplace.models import Match
from tests.matches.helpers import coordinator, make_volunteer, open_request


@pytest.fixture
def outbox(monkeypatch):
    sent: list[tuple[str, str, str]] = []

    def fake_send(to, subject, text, html=None):
        sent.append((to, subject, text))
        return True

    monkeypatch.setattr(notifications, "send_email", fake_send)
    return sent


def test_real_round_mails_the_volunteer_then_accept_mails_the_resident(db, login, outbox):
    volunteer = make_volunteer()
    help_request = open_request(title="Boodschappen voor mevrouw")
    db.session.commit()
    client = login(coordinator())
    client.post("/matches/rounds", data={"neighbourhood": ""})  # dry run off = real round
    [(to, subject, text)] = outbox
    assert to == volunteer.email
    assert subject == "Nieuw hulpvoorstel voor u"
    assert "Boodschappen voor mevrouw" in text
    assert "Marktplein" not in text
    match = db.session.scalar(sa.select(Match))
    assert f"/matches/{match.id}" in text
    from tests.matches.helpers import switch_user

    switch_user(login, volunteer).post(f"/matches/{match.id}/accept")
    to, subject, text = outbox[-1]
    assert to == help_request.requester.email
    assert "Boodschappen voor mevrouw" in text

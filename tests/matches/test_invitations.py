"""The e-mailed calendar invitation: on acceptance both sides get a METHOD:REQUEST with the
UID and SEQUENCE of the feed, on calling off a METHOD:CANCEL with STATUS:CANCELLED, in the
recipient's language; nothing (and no address) before acceptance. Real SMTP (aiosmtpd)."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest

from marketplace.matches import lifecycle, services
from marketplace.models import MatchStatus, RequestStatus, Timing
from marketplace.transaction import commit
from tests.matches.helpers import make_volunteer, open_request
from tests.smtp_server import SmtpServer


@pytest.fixture
def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
    # The UID carries the site's host: production sets SITE_URL, so do the tests.
    return {**smtp_server.app_config(), "SITE_URL": "https://hulppunt.example"}


def _invitation(message: EmailMessage) -> tuple[str, icalendar.Calendar]:
    [part] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    method = part.get_param("method")
    return str(method), icalendar.Calendar.from_ical(part.get_payload(decode=True))


def _invites(smtp_server: SmtpServer, count: int) -> dict[str, tuple[str, icalendar.Calendar]]:
    messages = smtp_server.wait_for(count)
    found = {}
    for message in messages:
        if any(part.get_content_type() == "text/calendar" for part in message.walk()):
            found[str(message["To"])] = _invitation(message)
    return found


def _proposed(db):
    volunteer = make_volunteer()
    help_request = open_request(timing=Timing.ONCE, date_start=date(2027, 3, 22),
                                address="Lindenlaan 4", status=RequestStatus.PROPOSED)
    match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.SUGGESTED, None)
    lifecycle.transition(match, MatchStatus.PROPOSED, None)
    db.session.commit()
    return match


def test_accepting_invites_both_sides_with_the_feeds_uid_and_sequence(
    app, db, login, smtp_server: SmtpServer
) -> None:
    match = _proposed(db)
    volunteer, resident = match.volunteer, match.help_request.requester
    resident.locale = "en"
    db.session.commit()
    # Proposed: no invitation went out (the proposal's e-mail carries none).
    assert not any(part.get_content_type() == "text/calendar"
                   for message in smtp_server.wait_for(1) for part in message.walk())
    smtp_server.clear()
    services.accept_match(volunteer, match)
    commit()
    invites = _invites(smtp_server, 3)
    assert set(invites) == {volunteer.email, resident.email}
    method, invite = invites[volunteer.email]
    assert method == "REQUEST"
    assert str(invite["METHOD"]) == "REQUEST"
    (event,) = invite.walk("VEVENT")
    client = login(volunteer)
    (feed_event,) = icalendar.Calendar.from_ical(
        client.get(f"/matches/{match.id}/agenda.ics").data).walk("VEVENT")
    assert str(event["UID"]) == str(feed_event["UID"])
    assert int(event["SEQUENCE"]) == int(feed_event["SEQUENCE"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Lindenlaan 4" in str(event["LOCATION"])
    assert str(event["SUMMARY"]).startswith("Hulp: ")
    _, english = invites[resident.email]
    (english_event,) = english.walk("VEVENT")
    assert str(english_event["SUMMARY"]).startswith("Help: ")


def test_cancelling_sends_a_cancel_with_a_higher_sequence(
    app, db, login, smtp_server: SmtpServer
) -> None:
    match = _proposed(db)
    services.accept_match(match.volunteer, match)
    commit()
    accepted = _invites(smtp_server, 2)
    smtp_server.clear()
    services.cancel_match(match.volunteer, match, "ziek")
    commit()
    cancelled = _invites(smtp_server, 2)
    for address, (method, invite) in cancelled.items():
        (event,) = invite.walk("VEVENT")
        (before,) = accepted[address][1].walk("VEVENT")
        assert method == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == str(before["UID"])
        assert int(event["SEQUENCE"]) > int(before["SEQUENCE"])
        assert "LOCATION" not in event

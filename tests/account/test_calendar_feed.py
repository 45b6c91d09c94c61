"""The private calendar feed: a secret link made on the account page, read by a calendar app
without logging in; renewed or revoked links stop working; the database keeps only a hash."""

from __future__ import annotations

import re
from datetime import date

import icalendar
import sqlalchemy as sa

from marketplace.matches import lifecycle, services
from marketplace.models import Match, MatchStatus, RequestStatus, Timing, User
from marketplace.privacy.services import delete_account
from tests.matches.helpers import make_volunteer, open_request, switch_user

FEED = re.compile(r"/agenda/[A-Za-z0-9_-]{40,}\.ics")


def _match(db, status: MatchStatus = MatchStatus.ACCEPTED) -> Match:
    volunteer = make_volunteer()
    help_request = open_request(status=RequestStatus.MATCHED, timing=Timing.ONCE,
                                date_start=date(2027, 3, 22), address="Lindenlaan 4")
    if status == MatchStatus.ACCEPTED:
        match = lifecycle.create(help_request.id, volunteer.id, status, volunteer)
    else:
        match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.SUGGESTED, None)
        lifecycle.transition(match, MatchStatus.PROPOSED, None)
    db.session.commit()
    return match


def _make_link(client) -> str:
    response = client.post("/account/agenda-link")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    (path,) = set(FEED.findall(response.get_data(as_text=True)))
    return path


def _feed(app, path: str) -> list[icalendar.Event]:
    response = app.test_client().get(path)  # a calendar app: no session, no login
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.data).walk("VEVENT")


def test_the_feed_needs_no_login_and_shares_the_uid_of_the_download(app, db, login):
    match = _match(db)
    client = login(match.volunteer)
    path = _make_link(client)
    (event,) = _feed(app, path)
    download = icalendar.Calendar.from_ical(client.get(f"/matches/{match.id}/agenda.ics").data)
    (downloaded,) = download.walk("VEVENT")
    assert str(event["UID"]) == str(downloaded["UID"])
    assert "Lindenlaan 4" in str(event["LOCATION"])


def test_the_feed_has_the_help_on_both_sides_and_cancelled_help_crossed_out(app, db, login):
    given = _match(db)
    resident = given.help_request.requester
    cancelled = _match(db)
    cancelled.help_request.requester = resident
    proposed = _match(db, MatchStatus.PROPOSED)
    proposed.help_request.requester = resident
    db.session.commit()
    services.cancel_match(resident, cancelled, "Ziek")
    db.session.commit()
    switch_user(login, resident)
    events = {str(event["UID"]): event for event in _feed(app, _make_link(login(resident)))}
    assert set(events) == {f"match-{given.id}@localhost", f"match-{cancelled.id}@localhost"}
    assert str(events[f"match-{cancelled.id}@localhost"]["STATUS"]) == "CANCELLED"
    assert str(events[f"match-{given.id}@localhost"]["STATUS"]) == "CONFIRMED"


def test_a_renewed_or_revoked_link_stops_working(app, db, login):
    match = _match(db)
    client = login(match.volunteer)
    old = _make_link(client)
    new = _make_link(client)
    assert old != new
    assert app.test_client().get(old).status_code == 404
    _feed(app, new)
    page = client.post("/account/agenda-link/revoke", follow_redirects=True)
    assert "Agenda-link maken" in page.get_data(as_text=True)
    assert app.test_client().get(new).status_code == 404
    assert app.test_client().get("/agenda/onzin.ics").status_code == 404


def test_only_a_hash_of_the_link_is_stored(app, db, login):
    match = _match(db)
    path = _make_link(login(match.volunteer))
    token = path.removeprefix("/agenda/").removesuffix(".ics")
    stored = db.session.scalar(
        sa.select(User.calendar_token_hash).where(User.id == match.volunteer_id)
    )
    assert stored
    assert token not in stored
    dump = "\n".join(str(value) for row in db.session.execute(sa.select(User)).all()
                     for value in vars(row[0]).values())
    assert token not in dump
    assert "Nieuwe link maken" in login(match.volunteer).get("/account/").get_data(as_text=True)


def test_deleting_the_account_removes_the_link(app, db, login):
    match = _match(db)
    path = _make_link(login(match.volunteer))
    delete_account(match.volunteer)
    db.session.commit()
    assert match.volunteer.calendar_token_hash is None
    assert app.test_client().get(path).status_code == 404

"""Recurring help (weekly, a buddy): visits are noted, the match goes on until one side stops."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.errors import DomainError, NotAllowed
from marketplace.matches import recurring, services
from marketplace.models import AuditEntry, HelpSession, MatchStatus, RequestStatus, Timing
from marketplace.vocabulary import local_today
from tests.matches.helpers import make_volunteer, open_request, switch_user


def weekly_match(db, started_days_ago: int = 30, **fields):
    """A weekly request (Monday mornings) a volunteer picked ``started_days_ago`` days ago."""
    volunteer = make_volunteer(skills=("boodschappen", "maatje"), vog_status="valid")
    fields.setdefault("timing", Timing.WEEKLY)
    fields.setdefault("weekday", "mon")
    fields.setdefault("date_start", None)
    help_request = open_request(**fields)
    match = services.pick_request(volunteer, help_request)
    match.decided_at -= timedelta(days=started_days_ago)
    db.session.commit()
    return match


def test_weekly_and_buddy_matches_are_recurring(db):
    assert weekly_match(db).recurring
    once = services.pick_request(make_volunteer(), open_request())
    assert not once.recurring


def test_visits_are_noted_and_the_match_goes_on(db):
    match = weekly_match(db)
    today = local_today()
    recurring.log_session(match.volunteer, match, today - timedelta(days=7), 1.5)
    recurring.log_session(match.volunteer, match, today, None)
    recurring.log_session(match.volunteer, match, today - timedelta(days=1), 2)
    db.session.commit()
    db.session.expire_all()
    assert [visit.day for visit in match.sessions] == [
        today - timedelta(days=7), today - timedelta(days=1), today]
    assert match.hours == 3.5
    assert match.status == MatchStatus.ACCEPTED
    assert match.help_request.status == RequestStatus.MATCHED


@pytest.mark.parametrize(("day_offset", "hours", "message"), [
    (1, None, "nog niet geweest"),
    (-32, None, "voor het begin van de hulp"),
    (0, 0.1, "tussen 0,25 en 24"),
    (0, 25, "tussen 0,25 en 24"),
])
def test_bad_visits_are_refused(db, day_offset, hours, message):
    match = weekly_match(db)
    with pytest.raises(DomainError, match=message):
        recurring.log_session(match.volunteer, match, local_today() + timedelta(days=day_offset),
                             hours)
    assert match.sessions == []


def test_a_day_is_noted_once_and_only_by_the_volunteer(db):
    match = weekly_match(db)
    recurring.log_session(match.volunteer, match, local_today())
    with pytest.raises(DomainError, match="al gemeld"):
        recurring.log_session(match.volunteer, match, local_today())
    with pytest.raises(NotAllowed, match="Alleen de vrijwilliger"):
        recurring.log_session(match.help_request.requester, match, local_today())
    with pytest.raises(NotAllowed):
        recurring.log_session(make_volunteer(), match, local_today())


def test_one_off_help_is_confirmed_not_logged(db):
    match = services.pick_request(make_volunteer(), open_request())
    with pytest.raises(DomainError, match="eenmalige hulp"):
        recurring.log_session(match.volunteer, match, local_today())
    with pytest.raises(DomainError, match="eenmalige hulp"):
        recurring.end_help(match.volunteer, match)


def test_recurring_help_is_not_closed_by_a_single_confirmation(db):
    match = weekly_match(db)
    with pytest.raises(DomainError, match="steeds terugkomt"):
        services.confirm_done(match.volunteer, match)
    assert match.status == MatchStatus.ACCEPTED


@pytest.mark.parametrize("side", ["volunteer", "resident"])
def test_either_side_stops_the_help(db, side):
    match = weekly_match(db)
    recurring.log_session(match.volunteer, match, local_today())
    user = match.volunteer if side == "volunteer" else match.help_request.requester
    recurring.end_help(user, match, "Verhuisd naar een andere stad.")
    assert match.status == MatchStatus.COMPLETED
    assert match.help_request.status == RequestStatus.DONE
    assert match.help_request.transitions[-1].note == "Verhuisd naar een andere stad."
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "match.help_ended")).actor_id == user.id
    with pytest.raises(NotAllowed, match="loopt niet"):
        recurring.log_session(match.volunteer, match, local_today() - timedelta(days=1))
    with pytest.raises(NotAllowed, match="loopt niet"):
        recurring.end_help(user, match)


def test_pages_show_visits_and_the_stop_button(db, login, client):
    match = weekly_match(db)
    login(match.volunteer)
    page = client.get(f"/matches/{match.id}").text
    assert "Wanneer is er geholpen?" in page
    assert "elke maandag ochtend" in page
    assert "Er is nog niets gemeld." in page
    assert "Ja, de hulp is gegeven" not in page
    response = client.post(f"/matches/{match.id}/sessions",
                           data={"day": local_today().isoformat(), "hours": "1,5"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Genoteerd" in response.text
    assert "1,5 uur" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpSession)) == 1
    response = client.post(f"/matches/{match.id}/sessions",
                           data={"day": "morgen", "hours": ""})
    assert response.status_code == 400
    assert "Ongeldige datum" in response.text
    switch_user(login, match.help_request.requester)
    page = client.get(f"/matches/{match.id}").text
    assert "1,5 uur" in page
    assert "Melden dat ik heb geholpen" not in page
    response = client.post(f"/matches/{match.id}/stop", data={"reason": "Gaat weer goed."},
                           follow_redirects=True)
    assert "De hulp is gestopt" in response.text
    assert "Deze hulp is gestopt." in response.text
    db.session.expire_all()
    assert match.status == MatchStatus.COMPLETED


@pytest.mark.parametrize("hours", ["sNaN", "NaN", "Infinity", "-inf"])
@pytest.mark.parametrize("action", ["sessions", "done"])
def test_numbers_that_are_not_numbers_are_form_errors(db, login, client, hours, action):
    match = weekly_match(db) if action == "sessions" else services.pick_request(
        make_volunteer(), open_request())
    match.help_request.date_start = local_today()  # the help's day has come
    db.session.commit()
    login(match.volunteer)
    response = client.post(f"/matches/{match.id}/{action}",
                           data={"day": local_today().isoformat(), "hours": hours})
    assert response.status_code == 400
    assert "Vul een getal in" in response.text
    db.session.expire_all()
    assert match.sessions == []
    assert match.hours is None

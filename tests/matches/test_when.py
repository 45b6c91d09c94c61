"""The help's date counts (issue 11, point 8): one-off help is reported as given from its day
on, visits are noted from the request's start on, and a proposal shows when the help is."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from marketplace.errors import DomainError
from marketplace.matches import recurring, services
from marketplace.models import AuditEntry, Match, MatchStatus, Timing
from marketplace.rounds import services as rounds
from marketplace.vocabulary import local_today
from tests.matches.helpers import make_volunteer, open_request, switch_user
from tests.matches.test_recurring import weekly_match


def dutch(day: date) -> str:
    return format_date(day, "medium", locale="nl")


def one_off(db, starts_in_days: int, timing: Timing = Timing.ONCE) -> Match:
    """Accepted one-off help planned ``starts_in_days`` from today (a range lasts 5 days)."""
    help_request = open_request(timing=timing)
    match = services.pick_request(make_volunteer(), help_request)
    help_request.date_start = local_today() + timedelta(days=starts_in_days)
    if timing == Timing.RANGE:
        help_request.date_end = help_request.date_start + timedelta(days=4)
    db.session.commit()
    return match


# --- 1. Help is reported as given from its (first) day on ------------------------------------


@pytest.mark.parametrize("timing", [Timing.ONCE, Timing.RANGE])
def test_help_cannot_be_reported_before_its_day(db, timing):
    match = one_off(db, starts_in_days=7, timing=timing)
    start = match.help_request.date_start
    for side in (match.volunteer, match.help_request.requester):
        with pytest.raises(DomainError, match=f"U kunt vanaf {dutch(start)} melden"):
            services.confirm_done(side, match, hours=2)
    assert services.confirm_done_from(match) == start
    assert match.volunteer_confirmed_at is None
    assert match.resident_confirmed_at is None
    assert match.hours is None
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "match.confirmed_done")) is None


@pytest.mark.parametrize("timing", [Timing.ONCE, Timing.RANGE])
def test_help_can_be_reported_from_its_day_on(db, timing):
    match = one_off(db, starts_in_days=0, timing=timing)
    assert services.confirm_done_from(match) is None
    services.confirm_done(match.volunteer, match)
    services.confirm_done(match.help_request.requester, match)
    assert match.status == MatchStatus.COMPLETED


def test_match_page_says_from_when_instead_of_offering_the_button(db, login, client):
    match = one_off(db, starts_in_days=3)
    start = match.help_request.date_start
    for user in (match.volunteer, match.help_request.requester):
        switch_user(login, user)
        page = client.get(f"/matches/{match.id}").text
        assert f"U kunt vanaf {dutch(start)} melden dat de hulp is gegeven." in page
        assert "Ja, de hulp is gegeven" not in page
    response = client.post(f"/matches/{match.id}/done", data={}, follow_redirects=True)
    assert f"U kunt vanaf {dutch(start)} melden" in response.text  # a stale page: refused
    db.session.expire_all()
    assert match.resident_confirmed_at is None

    match.help_request.date_start = local_today()
    db.session.commit()
    page = client.get(f"/matches/{match.id}").text
    assert "Ja, de hulp is gegeven" in page
    assert "U kunt vanaf" not in page


# --- 2. Visits of recurring help: not before the start, any weekday after it -----------------


def test_no_visit_before_the_request_starts(db):
    match = weekly_match(db, date_start=local_today() + timedelta(days=2))
    with pytest.raises(DomainError, match="De hulp begint op"):
        recurring.log_session(match.volunteer, match, local_today())
    start = local_today() - timedelta(days=3)
    match = weekly_match(db, date_start=start)
    with pytest.raises(DomainError, match=f"De hulp begint op {dutch(start)}"):
        recurring.log_session(match.volunteer, match, start - timedelta(days=1))
    recurring.log_session(match.volunteer, match, start)
    assert [visit.day for visit in match.sessions] == [start]


def test_a_visit_on_another_weekday_is_noted(db):
    # Weekly help on Mondays: a visit moved to another day by agreement still counts.
    match = weekly_match(db, weekday="mon", date_start=local_today() - timedelta(days=14))
    other_day = next(local_today() - timedelta(days=back) for back in range(7)
                     if (local_today() - timedelta(days=back)).weekday() != 0)
    recurring.log_session(match.volunteer, match, other_day, 1)
    assert [visit.day for visit in match.sessions] == [other_day]


def test_visit_form_names_the_planned_day(db, login):
    match = weekly_match(db, weekday="wed", part_of_day="afternoon")
    page = login(match.volunteer).get(f"/matches/{match.id}").text
    assert "Afgesproken: elke woensdag middag. Hielp u op een andere dag?" in page


# --- 3. Proposals show when the help is -----------------------------------------------------


def _proposed_and_accepted(db):
    volunteer = make_volunteer(capacity=2)
    day = local_today() + timedelta(days=(7 - local_today().weekday()) + 7)  # a Monday
    proposed = open_request(title="Eerste vraag", date_start=day)
    accepted = open_request(title="Tweede vraag", date_start=day + timedelta(days=7))
    rounds.run_round(None, None, dry_run=False)
    for match in db.session.scalars(sa.select(Match)):
        if match.help_request_id == accepted.id:
            services.accept_match(volunteer, match)
    db.session.commit()
    return volunteer, proposed, accepted


def test_my_help_shows_the_date_on_proposals_and_accepted_help(db, login):
    volunteer, proposed, accepted = _proposed_and_accepted(db)
    page = login(volunteer).get("/matches/mine").text
    asked = page.split('id="proposed-heading"')[1].split('id="accepted-heading"')[0]
    helping = page.split('id="accepted-heading"')[1]
    assert "Eerste vraag" in asked
    assert f"{dutch(proposed.date_start)}, ochtend" in asked
    assert "Tweede vraag" in helping
    assert f"{dutch(accepted.date_start)}, ochtend" in helping


def test_proposal_mail_says_when(app, db):
    from flask import render_template

    volunteer, proposed, _accepted = _proposed_and_accepted(db)
    match = db.session.scalar(sa.select(Match).where(Match.help_request_id == proposed.id))
    with app.test_request_context("/"):
        text = render_template("matches/email/proposal.txt", match=match, name=volunteer.name,
                               link="https://hulppunt.example/matches/1")
    assert f"Wanneer: {dutch(proposed.date_start)}, ochtend\n" in text

"""The pages: coordinators' rounds, volunteers' matches, the match page, role rules."""

from __future__ import annotations

import re

import sqlalchemy as sa

from marketplace.matches import browsing, services
from marketplace.matches.queries import nearby_open_candidates
from marketplace.models import HelpRequest, Match, MatchingRound, MatchStatus, RequestStatus, Role
from marketplace.rounds import services as rounds
from marketplace.vocabulary import local_today
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request, switch_user
from tests.security.test_query_counts import count_queries

RESIDENT_PHONE = "030 111 2222"
ADDRESS = "Marktplein 3"


def _resident_request(db):
    resident = factories.user(Role.RESIDENT, phone=RESIDENT_PHONE, address="Elders 9")
    return open_request(requester=resident, address=ADDRESS)


def _proposal(db):
    volunteer = make_volunteer()
    volunteer.phone = "06 9999 0000"
    help_request = _resident_request(db)
    rounds.run_round(None, None, dry_run=False)
    db.session.commit()
    match = db.session.scalar(sa.select(Match).where(Match.help_request_id == help_request.id))
    return volunteer, help_request, match


def test_resident_cannot_reach_rounds(db, login):
    client = login(factories.user(Role.RESIDENT))
    assert client.get("/matches/rounds").status_code == 403
    assert client.post("/matches/rounds", data={}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/matches/rounds")
    assert response.status_code == 302
    assert "/auth/login" in response.location


def test_coordinator_runs_a_dry_round_and_approves(db, login):
    staff = coordinator()
    volunteer = make_volunteer()
    help_request = open_request()
    lonely = open_request(category_slug="tuin", title="Heg knippen")
    db.session.commit()
    client = login(staff)
    page = client.get("/matches/rounds")
    assert page.status_code == 200
    assert "Hele stad" in page.text
    response = client.post("/matches/rounds", data={"neighbourhood": "", "dry_run": "y"})
    assert response.status_code == 303
    page = client.get(response.location).text
    assert volunteer.name in page
    assert "De enige geschikte vrijwilliger" in page
    assert "Afstand" in page
    assert "Werkverdeling" in page
    assert "Heg knippen" in page
    assert "Geen vrijwilliger die deze hulp kan geven" in page
    assert 'http-equiv="refresh"' not in page
    assert "nagerekend dat dit de best mogelijke verdeling is" in page
    assert "1 aanvraag gekoppeld" in page
    assert "Woont vlak bij het adres (minder dan 0,1 km)" in page
    assert re.search(r"<td>\d+,\d\d</td>", page)  # cost points too
    assert "ochtend" in page  # when, as on the request page
    assert "1 vrijwilliger meegenomen" in page
    matching_round = db.session.scalar(sa.select(MatchingRound))
    match = db.session.scalar(sa.select(Match))
    response = client.post(
        f"/matches/rounds/{matching_round.id}/approve", data={"match_ids": [str(match.id)]}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert match.status == MatchStatus.PROPOSED
    assert db.session.get(type(help_request), help_request.id).status == RequestStatus.PROPOSED
    assert lonely.status == RequestStatus.OPEN


def test_round_page_shows_the_proven_gap(db, login):
    # A city-size round may stop once the dual bound proves it is within 0.1 % of the best.
    staff = coordinator()
    make_volunteer()
    open_request()
    matching_round = rounds.run_round(staff, None, dry_run=True)
    assert matching_round.stats["gap_percent"] == 0.0
    matching_round.stats = {**matching_round.stats, "gap_percent": 0.041}
    db.session.commit()
    client = login(staff)
    page = client.get(f"/matches/rounds/{matching_round.id}").text
    assert "hooguit 0,041% minder goed is dan de best mogelijke" in page
    client.post("/taal", data={"locale": "en"})
    page = client.get(f"/matches/rounds/{matching_round.id}").text
    assert "at most 0.041% worse than the best possible" in page


def test_approve_all_and_nothing_chosen(db, login):
    staff = coordinator()
    make_volunteer()
    open_request()
    matching_round = rounds.run_round(staff, None, dry_run=True)
    db.session.commit()
    client = login(staff)
    response = client.post(f"/matches/rounds/{matching_round.id}/approve", data={})
    assert "Kies minstens één voorstel" in client.get(response.location).text
    client.post(f"/matches/rounds/{matching_round.id}/approve", data={"approve_all": "y"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(Match)).status == MatchStatus.PROPOSED


def test_lock_unlock_and_forbid_buttons(db, login):
    staff = coordinator()
    make_volunteer()
    open_request()
    matching_round = rounds.run_round(staff, None, dry_run=True)
    db.session.commit()
    match = db.session.scalar(sa.select(Match))
    client = login(staff)
    client.post(f"/matches/{match.id}/lock")
    db.session.expire_all()
    assert match.locked
    assert "Losmaken" in client.get(f"/matches/rounds/{matching_round.id}").text
    client.post(f"/matches/{match.id}/lock", data={"unlock": "1"})
    db.session.expire_all()
    assert not match.locked
    client.post(f"/matches/{match.id}/forbid", data={"reason": "x" * 201})
    db.session.expire_all()
    assert match.status == MatchStatus.SUGGESTED
    client.post(f"/matches/{match.id}/forbid", data={"reason": "Kennen elkaar"})
    db.session.expire_all()
    assert match.status == MatchStatus.WITHDRAWN


def test_before_acceptance_the_volunteer_sees_no_address_or_phone(db, login):
    volunteer, help_request, match = _proposal(db)
    client = login(volunteer)
    for url in ("/matches/mine", f"/matches/{match.id}"):
        page = client.get(url)
        assert page.status_code == 200
        assert help_request.title in page.text
        assert ADDRESS not in page.text
        assert RESIDENT_PHONE not in page.text


def test_accept_shows_contacts_to_both_sides(db, login, client):
    volunteer, help_request, match = _proposal(db)
    login(volunteer)
    response = client.post(f"/matches/{match.id}/accept")
    assert response.status_code == 303
    page = client.get(f"/matches/{match.id}").text
    assert ADDRESS in page
    assert RESIDENT_PHONE in page
    assert ADDRESS in client.get("/matches/mine").text
    switch_user(login, help_request.requester)
    page = client.get(f"/matches/{match.id}").text
    assert volunteer.name in page
    assert "06 9999 0000" in page
    second = client.post(f"/matches/{match.id}/accept")
    assert second.status_code == 403  # the resident is not a volunteer


def test_my_matches_are_read_without_joining_the_volunteer_again(db, login):
    """The volunteer is the one looking, already loaded: the matches' statement joins the
    accounts once (the resident), not 30 columns of the volunteer per match as well."""
    volunteer, help_request, _match = _proposal(db)
    client = login(volunteer)
    client.get("/matches/mine")
    with count_queries() as statements:
        page = client.get("/matches/mine")
    assert help_request.title in page.text
    listing = [statement for statement in statements if "FROM matches" in statement]
    assert len(listing) == 1
    assert len(re.findall(r"JOIN users\b", listing[0])) == 1


def test_double_accept_shows_a_message(db, login):
    volunteer, _help_request, match = _proposal(db)
    client = login(volunteer)
    client.post(f"/matches/{match.id}/accept")
    response = client.post(f"/matches/{match.id}/accept", follow_redirects=True)
    assert "Dit voorstel is niet meer open." in response.text


def test_other_volunteer_gets_404(db, login):
    _volunteer, _help_request, match = _proposal(db)
    client = login(make_volunteer())
    assert client.get(f"/matches/{match.id}").status_code == 404
    assert client.post(f"/matches/{match.id}/accept").status_code == 404
    assert client.get("/matches/999999").status_code == 404


def test_volunteer_cannot_see_a_mere_suggestion(db, login):
    volunteer = make_volunteer()
    open_request()
    rounds.run_round(None, None, dry_run=True)
    db.session.commit()
    match = db.session.scalar(sa.select(Match))
    assert login(volunteer).get(f"/matches/{match.id}").status_code == 404


def test_decline_with_reason(db, login):
    volunteer, help_request, match = _proposal(db)
    client = login(volunteer)
    too_long = client.post(f"/matches/{match.id}/decline", data={"reason": "x" * 501})
    assert too_long.status_code == 400
    assert "hoogstens 500 tekens" in too_long.text
    response = client.post(f"/matches/{match.id}/decline", data={"reason": "Ziek"})
    assert response.status_code == 303
    db.session.expire_all()
    assert match.status == MatchStatus.DECLINED
    assert match.decline_reason == "Ziek"
    assert help_request.status == RequestStatus.OPEN


def test_open_requests_read_the_profile_with_its_skills_in_one_statement(db, login):
    volunteer = make_volunteer()
    help_request = _resident_request(db)
    db.session.commit()
    client = login(volunteer)
    client.get("/matches/open")
    db.session.expunge_all()
    with count_queries() as statements:
        page = client.get("/matches/open")
    assert help_request.title in page.text
    profile_reads = [sql for sql in statements
                     if re.search(r"\sFROM\s+(volunteer_profiles|volunteer_skills)\s", sql)]
    assert len(profile_reads) == 1
    assert "categories" in profile_reads[0]


def test_open_requests_and_pick(db, login):
    volunteer = make_volunteer()
    help_request = _resident_request(db)
    open_request(category_slug="tuin", title="Heg knippen")
    db.session.commit()
    client = login(volunteer)
    page = client.get("/matches/open").text
    assert help_request.title in page
    assert "Heg knippen" not in page
    assert ADDRESS not in page
    assert RESIDENT_PHONE not in page
    response = client.post(f"/matches/open/{help_request.id}/pick")
    assert response.status_code == 303
    assert ADDRESS in client.get(response.location).text
    again = client.post(f"/matches/open/{help_request.id}/pick", follow_redirects=True)
    assert "Iemand anders helpt al bij deze aanvraag." in again.text


def test_pick_with_the_wrong_skill_is_refused_with_a_message(db, login):
    volunteer = make_volunteer(skills=("tuin",))
    help_request = open_request()
    db.session.commit()
    response = login(volunteer).post(f"/matches/open/{help_request.id}/pick", follow_redirects=True)
    assert "Deze hulp staat niet in uw profiel" in response.text
    db.session.expire_all()
    assert help_request.status == RequestStatus.OPEN


def test_done_and_feedback_forms(db, login, client):
    volunteer = make_volunteer()
    help_request = open_request()
    match = services.pick_request(volunteer, help_request)
    help_request.date_start = local_today()  # the planned day has come
    db.session.commit()
    login(volunteer)
    bad = client.post(f"/matches/{match.id}/done", data={"hours": "-3"})
    assert bad.status_code == 400
    assert "tussen 0,25 en 100" in bad.text
    client.post(f"/matches/{match.id}/done", data={"hours": "2,5"})  # Dutch decimal comma
    db.session.expire_all()
    assert match.hours == 2.5
    for rating in ("0", "6", "abc"):
        response = client.post(f"/matches/{match.id}/feedback", data={"rating": rating})
        assert response.status_code == 400
        assert "Kies een cijfer van 1 tot en met 5." in response.text
    missing = client.post(f"/matches/{match.id}/feedback", data={"comment": "hoi"})
    assert missing.status_code == 400
    assert "Kies een cijfer." in missing.text
    assert "hoi</textarea>" in missing.text
    client.post(f"/matches/{match.id}/feedback", data={"rating": "5", "comment": "Fijn"})
    switch_user(login, help_request.requester)
    client.post(f"/matches/{match.id}/done", data={})
    db.session.expire_all()
    assert match.status == MatchStatus.COMPLETED
    assert match.hours == 2.5
    assert help_request.status == RequestStatus.DONE
    assert len(match.feedback) == 1


def test_partial_for_the_request_page(app, db, login):
    from flask import render_template

    volunteer, help_request, match = _proposal(db)
    services.accept_match(volunteer, match)
    db.session.commit()
    with app.test_request_context():
        from flask_login import login_user

        login_user(help_request.requester)
        html = render_template("matches/_for_request.html", help_request=help_request)
    assert volunteer.name in html
    assert "06 9999 0000" in html


def test_open_requests_show_twenty_and_more_on_request(db, login):
    volunteer = make_volunteer()
    titles = [f"Boodschap {number:02d}" for number in range(25)]
    for title in titles:
        open_request(title=title)
    db.session.commit()
    client = login(volunteer)

    first = client.get("/matches/open").text
    assert first.count('class="card"') == 20
    assert "U ziet de 20 dichtstbijzijnde van de 25 aanvragen die bij u passen." in first
    assert 'href="/matches/open?toon=40#aanvraag-21"' in first

    everything = client.get("/matches/open?toon=40").text
    assert everything.count('class="card"') == 25
    assert all(title in everything for title in titles)
    assert "Er zijn 25 aanvragen die bij u passen." in everything
    assert "Toon meer aanvragen" not in everything
    assert 'id="aanvraag-21"' in everything

    for odd in ("abc", "-5", "0", "99999999999999999999"):
        response = client.get(f"/matches/open?toon={odd}")
        assert response.status_code == 200
        assert response.text.count('class="card"') in (20, 25)


def _card_titles(page: str) -> list[str]:
    return re.findall(r'<li class="card"[^>]*>\s*<h2>([^<]+)</h2>', page)


def test_open_requests_come_nearest_first_without_reading_them_all(db, login):
    volunteer = make_volunteer(max_travel_km=5.0)
    home = volunteer.volunteer_profile.latitude
    # Sixty requests north of the volunteer, 55 m apart, made in a shuffled order.
    for step in (*range(30, 60), *range(30)):
        open_request(title=f"Op {step:02d}", latitude=home + step * 0.0005)
    db.session.commit()
    # What reading every candidate would show: nearest first.
    ranked = browsing._ranked(nearby_open_candidates(volunteer.volunteer_profile),
                              volunteer.volunteer_profile, volunteer)
    titles = {row.id: row.title for row in db.session.scalars(sa.select(HelpRequest))}
    expected = [titles[request_id] for _km, request_id in ranked]
    assert expected == [f"Op {step:02d}" for step in range(60)]
    page = login(volunteer).get("/matches/open").text
    assert _card_titles(page) == expected[:20]
    # More than were read: the page does not pretend to know how many there are.
    assert "U ziet de 20 aanvragen die het dichtst bij u zijn en bij u passen." in page
    assert 'href="/matches/open?toon=40#aanvraag-21"' in page
    more = login(volunteer).get("/matches/open?toon=40").text
    assert _card_titles(more) == expected[:40]


def test_the_nearest_come_first_whatever_their_age(db, login):
    volunteer = make_volunteer(max_travel_km=5.0)
    home = volunteer.volunteer_profile.latitude
    # Sixty requests within 200 m, the farthest made first.
    for step in reversed(range(60)):
        open_request(title=f"Vlakbij {step:02d}", latitude=home + step * 0.00003)
    db.session.commit()
    page = login(volunteer).get("/matches/open").text
    assert _card_titles(page) == [f"Vlakbij {step:02d}" for step in range(20)]
    assert "ongeveer 0,0 km" in page


def test_the_nearest_requests_the_rules_leave_out_do_not_hide_the_others(db, login):
    volunteer = make_volunteer(max_travel_km=5.0)
    home = volunteer.volunteer_profile.latitude
    # The 45 nearest are the volunteer's own (never shown to them); 25 others lie beyond.
    for step in range(45):
        open_request(requester=volunteer, title=f"Eigen {step:02d}",
                     latitude=home + step * 0.0002)
    for step in range(25):
        open_request(title=f"Verder {step:02d}", latitude=home + 0.01 + step * 0.0005)
    db.session.commit()
    page = login(volunteer).get("/matches/open").text
    assert _card_titles(page) == [f"Verder {step:02d}" for step in range(20)]
    assert "U ziet de 20 dichtstbijzijnde van de 25 aanvragen die bij u passen." in page


def test_a_request_beyond_the_travel_distance_is_not_shown(db, login):
    volunteer = make_volunteer(max_travel_km=2.0)
    home = volunteer.volunteer_profile.latitude
    open_request(title="Binnen bereik", latitude=home + 1.9 / 111.2)
    open_request(title="Net te ver", latitude=home + 2.1 / 111.2)
    db.session.commit()
    page = login(volunteer).get("/matches/open").text
    assert _card_titles(page) == ["Binnen bereik"]
    assert "Er is 1 aanvraag die bij u past." in page


def test_a_request_without_a_date_says_the_date_is_to_be_agreed(db, login):
    # Requests from before the date became required (and imported ones) have none.
    volunteer = make_volunteer()
    open_request(title="Zonder datum", date_start=None)
    db.session.commit()
    page = login(volunteer).get("/matches/open").text
    assert "Zonder datum" in page
    assert "<dt>Wanneer</dt><dd>in overleg, " in page  # and the part of the day

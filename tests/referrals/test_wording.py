"""A referrer reads the request pages as someone acting for the resident (issue 11 point 4),
and no link on them leads to a page the reader cannot open."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from marketplace.models import (
    HelpRequest,
    Match,
    MatchStatus,
    RequestSource,
    RequestStatus,
    Role,
    User,
    utcnow,
)
from tests import factories
from tests.matches.helpers import switch_user
from tests.referrals.test_referrals import referral_form


@pytest.fixture
def referrer(db) -> User:
    return factories.user(Role.REFERRER, name="Huisartsenpraktijk Noord")


def _referred_with_volunteer(referrer: User) -> Match:
    resident = factories.user(Role.RESIDENT, name="Mevrouw De Vries")
    help_request = factories.help_request(
        requester=resident, status=RequestStatus.MATCHED, source=RequestSource.REFERRER,
        created_by_id=referrer.id, own_network="Haar zoon belt elke dag.")
    match = Match(help_request=help_request, volunteer=factories.volunteer(),
                  status=MatchStatus.ACCEPTED, proposed_at=utcnow())
    factories.db.session.add(match)
    factories.db.session.commit()
    return match


def _links(page: str) -> list[str]:
    return [link for link in re.findall(r'href="(/[^"]*)"', page)
            if not link.startswith("/static/")]


def test_the_referrers_request_page_speaks_of_the_resident(client, db, login, referrer):
    match = _referred_with_volunteer(referrer)
    page = login(referrer).get(f"/requests/{match.help_request_id}").text
    assert "De aanvraag voor Mevrouw De Vries" in page
    assert "De vrijwilliger van Mevrouw De Vries" in page
    assert "Wat de bewoner zelf of met anderen kan" in page
    assert "Terug naar verwijzingen" in page
    for resident_words in ("Uw vrijwilliger", "Terug naar mijn aanvragen",
                           "Wat u zelf of met anderen kunt"):
        assert resident_words not in page


def test_every_link_on_the_referrers_request_page_opens(client, db, login, referrer):
    """The link 'Hulp gegeven melden of beoordelen' led to a match page only the two
    parties may open (404); a referrer no longer gets it, and every other link opens."""
    match = _referred_with_volunteer(referrer)
    page = login(referrer).get(f"/requests/{match.help_request_id}").text
    assert "Hulp gegeven melden of beoordelen" not in page
    assert f'href="/matches/{match.id}"' not in page
    for link in _links(page):
        assert client.get(link).status_code in (200, 302), link


def test_the_resident_keeps_the_link_and_it_opens(client, db, login, referrer):
    match = _referred_with_volunteer(referrer)
    resident = match.help_request.requester
    page = switch_user(login, resident).get(f"/requests/{match.help_request_id}").text
    assert "Uw vrijwilliger" in page
    assert "Terug naar mijn aanvragen" in page
    assert f'href="/matches/{match.id}"' in page
    assert client.get(f"/matches/{match.id}").status_code == 200


def test_a_referrer_follows_referrals_not_my_requests(client, db, login, referrer):
    _referred_with_volunteer(referrer)
    login(referrer)
    response = client.get("/requests/")
    assert response.status_code == 302
    assert response.location.endswith("/referrals/")
    listing = client.get("/referrals/").text
    assert "Mevrouw De Vries" in listing
    assert "Mijn aanvragen" not in listing  # not in the menu either


def test_the_referral_form_asks_about_the_resident(client, db, login, referrer):
    page = login(referrer).get("/referrals/new").text
    assert "Wat heeft de bewoner nodig?" in page
    assert "Over de situatie van de bewoner" in page
    assert "Wat heeft u nodig?" not in page


def test_changing_a_referral_asks_about_the_resident(client, db, login, referrer):
    login(referrer)
    client.post("/referrals/new", data=referral_form())
    help_request = db.session.scalars(sa.select(HelpRequest)).one()
    page = client.get(f"/requests/{help_request.id}/edit").text
    assert "De aanvraag voor Mevrouw De Vries" in page
    assert "Wat heeft de bewoner nodig?" in page
    cancel = client.get(f"/requests/{help_request.id}/cancel").text
    assert "voor Mevrouw De Vries" in cancel
    saved = client.post(f"/requests/{help_request.id}/edit",
                        data=referral_form(description="Zij kan niet meer fietsen."),
                        follow_redirects=True).text
    assert "De aanvraag voor Mevrouw De Vries is opgeslagen." in saved
    assert "Uw aanvraag" not in saved

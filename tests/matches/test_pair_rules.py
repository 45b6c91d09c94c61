"""One set of pair rules for rounds, browsing and picking: the household rule and the VOG's
three-year expiry hold on every path."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from marketplace.access import vog_expires_on, vog_valid_on
from marketplace.errors import DomainError
from marketplace.matches import browsing, services
from marketplace.models import Match, MatchStatus, RequestStatus
from marketplace.rounds import services as rounds
from tests import factories
from tests.matches.helpers import make_volunteer, open_request

TODAY = date.today()
OLD_VOG = TODAY - timedelta(days=3 * 365 + 2)  # more than three years ago
RECENT_VOG = TODAY - timedelta(days=3 * 365 - 30)


def _shown_to(volunteer) -> set[int]:
    return {item.help_request.id for item in browsing.open_requests_for(volunteer)}


def _suggested_pairs() -> set[tuple[int, int]]:
    rounds.run_round(None, None, dry_run=True)
    rows = factories.db.session.execute(
        sa.select(Match.help_request_id, Match.volunteer_id).where(
            Match.status == MatchStatus.SUGGESTED
        )
    )
    return {(int(r), int(v)) for r, v in rows}


def test_picking_the_request_of_someone_in_ones_own_home_is_refused(db):
    """The help is needed elsewhere (the mother's hospital visit), but the person asking lives
    at the volunteer's address: one household, on every path."""
    volunteer = make_volunteer()
    housemate = factories.user(address=volunteer.address.upper(), postcode="1211AB")
    help_request = open_request(requester=housemate, address="Ziekenhuislaan 1")
    db.session.commit()

    assert help_request.id not in _shown_to(volunteer)
    assert (help_request.id, volunteer.id) not in _suggested_pairs()
    with pytest.raises(DomainError, match="niet aannemen"):
        services.pick_request(volunteer, help_request)
    db.session.rollback()
    assert db.session.get(type(help_request), help_request.id).status == RequestStatus.OPEN


def test_a_neighbour_may_pick_the_same_request(db):
    volunteer = make_volunteer()
    help_request = open_request(address="Ziekenhuislaan 1")
    db.session.commit()
    assert help_request.id in _shown_to(volunteer)
    match = services.pick_request(volunteer, help_request)
    assert match.status == MatchStatus.ACCEPTED


def test_vog_expires_three_years_after_its_date():
    profile = factories.VolunteerProfile(vog_status="valid", vog_date=date(2024, 2, 29))
    assert vog_expires_on(date(2024, 2, 29)) == date(2027, 2, 28)
    assert vog_valid_on(profile, date(2027, 2, 27))
    assert not vog_valid_on(profile, date(2027, 2, 28))
    assert not vog_valid_on(factories.VolunteerProfile(vog_status="valid"), TODAY)
    assert not vog_valid_on(factories.VolunteerProfile(vog_status="expired",
                                                       vog_date=TODAY), TODAY)


@pytest.mark.parametrize(("vog_date", "counts"), [(OLD_VOG, False), (RECENT_VOG, True)])
def test_a_vog_older_than_three_years_counts_nowhere(db, vog_date, counts):
    """A coordinator marked the VOG valid years ago: rounds, browsing and picking all see
    that it expired (before, only the profile form did)."""
    volunteer = make_volunteer(skills=("bezoek",), vog_status="valid", vog_date=vog_date)
    help_request = open_request(category_slug="bezoek")
    db.session.commit()

    assert ((help_request.id, volunteer.id) in _suggested_pairs()) is counts
    assert (help_request.id in _shown_to(volunteer)) is counts
    if counts:
        assert services.pick_request(volunteer, help_request).status == MatchStatus.ACCEPTED
    else:
        with pytest.raises(DomainError, match="geldige VOG"):
            services.pick_request(volunteer, help_request)

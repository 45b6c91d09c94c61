"""Contact details after a volunteer said yes (issue 11 point 1): each side sees the other's
phone number and e-mail address as far as the other shares them, with tel: and mailto:
links; nothing before acceptance; nobody else ever."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from marketplace import access
from marketplace.matches import services
from marketplace.models import Match, Role, User
from marketplace.rounds import services as rounds
from tests import factories
from tests.matches.helpers import make_volunteer, open_request, switch_user

RESIDENT_PHONE = "+31201234567"  # shown as 020 123 4567
RESIDENT_EMAIL = "resident.contact@example.nl"
VOLUNTEER_PHONE = "+31612345678"  # shown as 06 12345678
VOLUNTEER_EMAIL = "vera.contact@example.nl"
COORDINATOR_LINE = "Neem contact op via de coördinator"


def _people(db: Any, **resident_fields: Any) -> tuple[User, User, Any]:
    resident = factories.user(Role.RESIDENT, phone=RESIDENT_PHONE, email=RESIDENT_EMAIL,
                              **resident_fields)
    volunteer = make_volunteer()
    volunteer.phone, volunteer.email = VOLUNTEER_PHONE, VOLUNTEER_EMAIL
    help_request = open_request(requester=resident)
    return resident, volunteer, help_request


def _accepted(db: Any, **resident_fields: Any) -> tuple[User, User, Match]:
    resident, volunteer, help_request = _people(db, **resident_fields)
    match = services.pick_request(volunteer, help_request)
    db.session.commit()
    return resident, volunteer, match


def _contact_card(page: str) -> str:
    start = page.index('id="contact-heading"')
    return page[start: page.index("</section>", start)]


def test_the_volunteer_sees_the_residents_phone_and_email_as_links(db: Any, login: Any) -> None:
    _resident, volunteer, match = _accepted(db)
    card = _contact_card(login(volunteer).get(f"/matches/{match.id}").text)
    assert '<a href="tel:+31201234567">020 123 4567</a>' in card
    assert f'<a href="mailto:{RESIDENT_EMAIL}">{RESIDENT_EMAIL}</a>' in card
    assert "niet bekend" not in card
    assert COORDINATOR_LINE not in card
    assert "Kiezen wat u deelt" in card


def test_the_resident_sees_the_volunteers_phone_and_email(db: Any, login: Any,
                                                           client: Any) -> None:
    resident, volunteer, match = _accepted(db)
    login(resident)
    card = _contact_card(client.get(f"/matches/{match.id}").text)
    assert volunteer.name in card
    assert '<a href="tel:+31612345678">06 12345678</a>' in card
    assert f"mailto:{VOLUNTEER_EMAIL}" in card
    request_page = client.get(f"/requests/{match.help_request_id}").text
    assert "06 12345678" in request_page
    assert f"mailto:{VOLUNTEER_EMAIL}" in request_page


def test_a_resident_who_shares_only_email_shows_no_phone(db: Any, login: Any,
                                                        client: Any) -> None:
    _resident, volunteer, match = _accepted(db, share_phone=False)
    login(volunteer)
    for url in (f"/matches/{match.id}", "/matches/mine"):
        page = client.get(url).text
        assert RESIDENT_EMAIL in page
        assert "020 123 4567" not in page
        assert "+31201234567" not in page


def test_a_volunteer_who_shares_only_the_phone_shows_no_email(db: Any, login: Any,
                                                              client: Any) -> None:
    resident, volunteer, match = _accepted(db)
    volunteer.share_email = False
    db.session.commit()
    login(resident)
    for url in (f"/matches/{match.id}", f"/requests/{match.help_request_id}"):
        page = client.get(url).text
        assert "06 12345678" in page
        assert VOLUNTEER_EMAIL not in page


def test_nothing_shared_sends_the_other_side_to_the_coordinator(db: Any, login: Any,
                                                               app: Any) -> None:
    _resident, volunteer, match = _accepted(db, share_phone=False, share_email=False)
    card = _contact_card(login(volunteer).get(f"/matches/{match.id}").text)
    assert COORDINATOR_LINE in card
    assert app.config["MELDPUNT_PHONE"] in card
    assert RESIDENT_EMAIL not in card
    assert "020 123 4567" not in card
    assert "niet bekend" not in card


def test_a_resident_without_phone_or_email_also_goes_through_the_coordinator(
    db: Any, login: Any
) -> None:
    _resident, volunteer, match = _accepted(db)
    match.help_request.requester.phone = None
    match.help_request.requester.email = None
    db.session.commit()
    card = _contact_card(login(volunteer).get(f"/matches/{match.id}").text)
    assert COORDINATOR_LINE in card


def test_nothing_personal_before_the_volunteer_accepts(db: Any, login: Any,
                                                       client: Any) -> None:
    resident, volunteer, help_request = _people(db)
    rounds.run_round(None, None, dry_run=False)
    db.session.commit()
    match = db.session.scalar(sa.select(Match).where(Match.help_request_id == help_request.id))
    assert match is not None
    assert access.contact_for(volunteer, match) is None
    login(volunteer)
    for url in (f"/matches/{match.id}", "/matches/mine"):
        page = client.get(url).text
        assert RESIDENT_EMAIL not in page
        assert "020 123 4567" not in page
    switch_user(login, resident)
    page = client.get(f"/matches/{match.id}").text
    assert VOLUNTEER_EMAIL not in page
    assert "06 12345678" not in page


def test_another_volunteer_never_sees_the_contact_details(db: Any, login: Any) -> None:
    _resident, _volunteer, match = _accepted(db)
    other = make_volunteer()
    db.session.commit()
    assert access.contact_for(other, match) is None
    client = login(other)
    assert client.get(f"/matches/{match.id}").status_code == 404
    mine = client.get("/matches/mine").text
    assert RESIDENT_EMAIL not in mine
    assert "020 123 4567" not in mine


def test_contact_for_gives_each_side_the_others_shared_details(db: Any) -> None:
    resident, volunteer, match = _accepted(db, share_email=False)
    for_volunteer = access.contact_for(volunteer, match)
    for_resident = access.contact_for(resident, match)
    assert for_volunteer == access.SharedContact(resident.name, RESIDENT_PHONE, None)
    assert for_resident == access.SharedContact(volunteer.name, VOLUNTEER_PHONE,
                                                VOLUNTEER_EMAIL)
    assert access.contact_for(None, match) is None


def test_the_referrer_reads_whether_the_volunteer_can_reach_the_resident(
    db: Any, login: Any
) -> None:
    referrer = factories.user(Role.REFERRER)
    resident = factories.user(Role.RESIDENT, phone=RESIDENT_PHONE, share_phone=False,
                              share_email=False)
    help_request = open_request(requester=resident, created_by_id=referrer.id,
                                source="referrer")
    services.pick_request(make_volunteer(), help_request)
    db.session.commit()
    client = login(referrer)
    page = client.get(f"/requests/{help_request.id}").text
    assert "De coördinator brengt hen met elkaar in contact." in page
    assert "020 123 4567" not in page  # the referrer is no party: no contact details
    resident.share_phone = True
    db.session.commit()
    page = client.get(f"/requests/{help_request.id}").text
    assert "De vrijwilliger heeft de contactgegevens die" in page

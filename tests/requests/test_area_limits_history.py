"""Issue 11 point 8: a postcode outside the municipality, the length of long texts, and the
history of a request in the reader's language."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.errors import FieldError
from marketplace.models import HelpRequest, RequestSource, RequestStatus, Role, Timing
from marketplace.requests import lifecycle, services
from marketplace.requests.history import history_note
from tests import factories
from tests.referrals.test_referrals import referral_form
from tests.requests.helpers import form_of, request_form

UTRECHT = "3511 AB"  # a real postcode, in no neighbourhood of Hilversum


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest))


def test_a_resident_outside_the_municipality_hears_where_to_go(client, db, login) -> None:
    login(factories.user(Role.RESIDENT))
    db.session.commit()
    response = client.post("/requests/new", data=request_form(postcode=UTRECHT))
    assert response.status_code == 400
    assert "Hulppunt helpt mensen die in Hilversum wonen." in response.text
    assert "Postcode 3511 AB hoort daar niet bij." in response.text
    assert "Woont u in een andere gemeente?" in response.text
    assert "vrijwilligerscentrum of het wijkteam van uw gemeente" in response.text
    assert _count(db) == 0


def test_a_referral_outside_the_municipality_is_refused_too(client, db, login) -> None:
    login(factories.user(Role.REFERRER))
    db.session.commit()
    response = client.post("/referrals/new", data=referral_form(postcode=UTRECHT))
    assert response.status_code == 400
    assert "Hulppunt helpt mensen die in Hilversum wonen." in response.text
    assert "Woont de bewoner in een andere gemeente?" in response.text
    assert _count(db) == 0


def test_staff_may_still_enter_help_just_outside(db) -> None:
    """A coordinator at the desk decides: a neighbour may help across the border."""
    coordinator = factories.user(Role.COORDINATOR)
    resident = factories.user(Role.RESIDENT)
    data = services.RequestData(
        category_id=factories.category().id, title="Boodschappen", description="Melk.",
        timing=Timing.WEEKLY, date_start=None, date_end=None, weekday="mon",
        part_of_day=None, postcode=UTRECHT, address="Domplein 1")
    help_request = services.create_request(coordinator, resident, data, RequestSource.DESK)
    assert help_request.neighbourhood is None


def test_the_service_refuses_outside_the_area_without_a_form(db) -> None:
    resident = factories.user(Role.RESIDENT)
    data = services.RequestData(
        category_id=factories.category().id, title="Boodschappen", description="Melk.",
        timing=Timing.WEEKLY, date_start=None, date_end=None, weekday="mon",
        part_of_day=None, postcode=UTRECHT, address="Domplein 1")
    with pytest.raises(FieldError) as refused:
        services.create_request(resident, resident, data)
    assert refused.value.field == "postcode"


def test_registering_outside_the_municipality_says_so(client, db) -> None:
    response = client.post("/auth/register", data={
        "name": "Anna Buiten", "email": "anna@voorbeeld.nl", "password": "een-lang-wachtwoord",
        "confirm": "een-lang-wachtwoord", "postcode": UTRECHT, "consent": "y",
    }, follow_redirects=True)
    assert "Hulppunt helpt mensen die in Hilversum wonen." in response.text


def test_the_form_states_each_text_limit(client, db, login) -> None:
    login(factories.user(Role.RESIDENT))
    db.session.commit()
    page = client.get("/requests/new").text
    assert "Maximaal 2000 tekens." in page
    assert 'maxlength="2000"' in page
    assert 'data-counter="Nog {count} tekens over."' in page
    assert "Maximaal 1000 tekens." in page


def test_pasted_text_over_the_limit_is_refused_with_its_length(client, db, login) -> None:
    login(factories.user(Role.RESIDENT))
    db.session.commit()
    response = client.post("/requests/new", data=request_form(description="a" * 5000))
    assert response.status_code == 400
    assert "Deze tekst is 5.000 tekens lang. Er passen maximaal 2000 tekens in." in response.text
    assert _count(db) == 0


def test_history_notes_on_an_english_page(client, db, login) -> None:
    resident = factories.user(Role.RESIDENT, locale="en")
    help_request = factories.help_request(requester=resident)
    lifecycle.record_change(help_request, resident,
                            "Gewijzigd door de bewoner: beschrijving, wanneer")
    lifecycle.transition(help_request, RequestStatus.OPEN, None, "")
    lifecycle.transition(help_request, RequestStatus.MATCHED, None,
                         "vrijwilliger heeft geaccepteerd")
    db.session.commit()
    page = login(resident).get(f"/requests/{help_request.id}").text
    assert "Changed by the resident: description, when" in page
    assert "the volunteer accepted" in page
    assert "Gewijzigd door" not in page
    assert "vrijwilliger heeft geaccepteerd" not in page


@pytest.mark.parametrize(("note", "english"), [
    ("vrijwilliger kon niet", "the volunteer could not help"),
    ("Opnieuw verstuurd door de verwijzer, zonder wijzigingen",
     "Sent again by the referrer, without changes"),
    ("Gewijzigd door een medewerker: soort hulp, iets doen voor een ander",
     "Changed by a member of staff: kind of help, doing something for someone else"),
    ("Mijn buurman helpt al.", "Mijn buurman helpt al."),  # typed by a person: as typed
    ("Gewijzigd door de bewoner: iets onbekends", "Gewijzigd door de bewoner: iets onbekends"),
])
def test_history_note_translates_what_code_wrote(app, note, english) -> None:
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("en"):
        assert history_note(note) == english


def test_every_changed_part_has_a_translation() -> None:
    from marketplace.requests import history, rules

    assert set(rules.CHANGED_PARTS.values()) <= set(history._PARTS)


def test_without_neighbourhoods_the_area_is_not_drawn_and_nobody_is_refused(db) -> None:
    from marketplace import geo
    from marketplace.models import NeighbourhoodPostcode

    assert not geo.serves("3511")
    assert geo.serves("1211")
    db.session.execute(sa.delete(NeighbourhoodPostcode))
    assert geo.serves("3511")


def test_a_request_entered_at_the_desk_outside_the_area_can_still_be_edited(
    client, db, login
) -> None:
    """Staff may enter a request for someone just outside; the resident changing its
    description is not refused for a postcode they did not change."""
    resident = factories.user(Role.RESIDENT)
    help_request = factories.help_request(requester=resident, postcode=UTRECHT,
                                          neighbourhood=None)
    db.session.commit()
    login(resident)
    response = client.post(f"/requests/{help_request.id}/edit",
                           data=form_of(help_request, description="Nu op dinsdag graag."))
    assert response.status_code == 303, response.text[:3000]
    db.session.refresh(help_request)
    assert help_request.description == "Nu op dinsdag graag."
    moved = client.post(f"/requests/{help_request.id}/edit",
                        data=form_of(help_request, postcode="3512 AB"))
    assert moved.status_code == 400
    assert "Hulppunt helpt mensen die in Hilversum wonen." in moved.text


def test_a_text_at_the_limit_with_line_breaks_is_accepted(client, db, login) -> None:
    """Browsers count a line break as one character (maxlength, the counter) but send it as
    two (CR LF): a description the counter called full must not be refused as too long."""
    login(factories.user(Role.RESIDENT))
    db.session.commit()
    text = "\r\n".join(["a" * 190] * 10) + "a" * 91  # 2000 characters as the browser counts
    assert len(text.replace("\r\n", "\n")) == 2000
    response = client.post("/requests/new", data=request_form(description=text))
    assert response.status_code == 303, response.text[:2000]
    stored = db.session.scalar(sa.select(HelpRequest.description))
    assert stored is not None
    assert "\r" not in stored
    assert len(stored) == 2000

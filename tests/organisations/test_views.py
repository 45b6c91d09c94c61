"""The pages: the admin keeps organisations and members, a coordinator routes a request, the
organisation's coordinator answers; bad input gets a clear message and never a 500."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import Organisation, OrganisationReferral, Role
from marketplace.vocabulary import ReferralStatus
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request, switch_user
from tests.organisations.helpers import partner, routed


def test_the_admin_creates_an_organisation_and_adds_a_coordinator(db, login):
    admin = factories.user(Role.ADMIN)
    client = login(admin)
    centrum = factories.neighbourhood("Centrum")
    shopping = factories.category("boodschappen")
    db.session.commit()
    response = client.post("/organisations/new", data={
        "name": "Humanitas Hilversum", "capacity_per_round": "2",
        "neighbourhood_ids": [str(centrum.id)], "category_ids": [str(shopping.id)],
        "active": "y",
    })
    assert response.status_code == 303
    organisation = db.session.scalar(sa.select(Organisation))
    assert [n.name for n in organisation.neighbourhoods] == ["Centrum"]
    assert organisation.capacity_per_round == 2
    lead = factories.user(Role.RESIDENT, email="lead@example.nl")
    response = client.post(f"/organisations/{organisation.id}/members",
                           data={"member-email": "LEAD@example.nl", "member-role": "coordinator"})
    assert response.status_code == 303
    db.session.refresh(lead)
    assert lead.has_role(Role.ORGANISATION_COORDINATOR)
    page = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    assert lead.name in page
    response = client.post(f"/organisations/{organisation.id}/members/{lead.id}/remove",
                           data={"role": "coordinator"})
    assert response.status_code == 303
    db.session.refresh(lead)
    assert not lead.has_role(Role.ORGANISATION_COORDINATOR)


def test_bad_input_is_told_and_nothing_is_lost(db, login):
    client = login(factories.user(Role.ADMIN))
    partner()
    db.session.commit()  # the view's rollback of a refused change must not undo the setup
    response = client.post("/organisations/new", data={
        "name": "Humanitas Hilversum", "capacity_per_round": "-4",
        "neighbourhood_ids": ["999999999999"], "description": "Onze tekst"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kies een aantal van 0 tot 100." in page
    assert "Kies uit de lijst." in page
    assert "Onze tekst" in page
    response = client.post("/organisations/new", data={"name": "Humanitas Hilversum",
                                                         "capacity_per_round": "3"})
    assert "Er is al een organisatie met deze naam." in response.get_data(as_text=True)
    organisation = db.session.scalar(sa.select(Organisation))
    response = client.post(f"/organisations/{organisation.id}/members",
                           data={"member-email": "nobody@example.nl", "member-role": "volunteer"})
    assert response.status_code == 400
    assert "Er is geen actief account met dit e-mailadres." in response.get_data(as_text=True)


def test_a_coordinator_routes_a_request_from_its_page(db, login):
    humanitas = partner()
    help_request = open_request()
    client = login(coordinator())
    db.session.commit()
    page = client.get(f"/staff/requests/{help_request.id}").get_data(as_text=True)
    assert "Naar een partnerorganisatie sturen" in page
    page = client.get(f"/organisations/route/{help_request.id}").get_data(as_text=True)
    assert "Humanitas Hilversum (past bij deze aanvraag)" in page
    response = client.post(f"/organisations/route/{help_request.id}",
                           data={"organisation_id": str(humanitas.organisation.id),
                                 "note": "Graag"})
    assert response.status_code == 303
    referral = db.session.scalar(sa.select(OrganisationReferral))
    assert referral.status == ReferralStatus.ROUTED
    page = client.get(f"/organisations/route/{help_request.id}").get_data(as_text=True)
    assert "wacht al op Humanitas Hilversum" in page
    page = client.get(f"/staff/requests/{help_request.id}").get_data(as_text=True)
    assert "wacht al op Humanitas Hilversum" in page
    assert "Naar een partnerorganisatie sturen" not in page
    response = client.post(f"/organisations/route/{help_request.id}",
                           data={"organisation_id": "abc"})
    assert response.status_code == 400


def test_the_organisation_sees_only_its_own_requests(db, login):
    humanitas, zonnebloem = partner(), partner("De Zonnebloem afdeling Hilversum")
    ours = routed(humanitas, title="Boodschappen voor mevrouw Jansen")
    routed(zonnebloem, title="Bezoek aan meneer Pietersen")
    client = login(humanitas.coordinator)
    page = client.get("/organisations/mine").get_data(as_text=True)
    assert "Boodschappen voor mevrouw Jansen" in page
    assert "Pietersen" not in page
    page = client.get(f"/organisations/referrals/{ours.id}").get_data(as_text=True)
    assert humanitas.volunteer.name in page
    assert zonnebloem.volunteer.name not in page  # only its own people to choose from
    response = client.post(f"/organisations/referrals/{ours.id}/assign",
                           data={"volunteer_id": str(zonnebloem.volunteer.id)})
    assert response.status_code == 400  # refused: not one of the choices
    db.session.refresh(ours)
    assert ours.status == ReferralStatus.ROUTED
    assert "Marktplein 3" not in page  # the address only after the volunteer said yes
    assert ours.help_request.requester.name not in page
    switch_user(login, zonnebloem.coordinator)
    assert client.get(f"/organisations/referrals/{ours.id}").status_code == 404
    assert client.get(f"/staff/requests/{ours.help_request_id}").status_code == 403


def test_returning_without_a_reason_is_told(db, login):
    humanitas = partner()
    referral = routed(humanitas)
    client = login(humanitas.coordinator)
    stranger = make_volunteer()
    db.session.commit()
    response = client.post(f"/organisations/referrals/{referral.id}/return", data={"reason": ""})
    assert response.status_code == 400
    assert "Schrijf kort waarom." in response.get_data(as_text=True)
    response = client.post(f"/organisations/referrals/{referral.id}/assign",
                           data={"volunteer_id": str(stranger.id)})
    assert response.status_code == 400
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.ROUTED


ROUTING_WARNING = ("Let op: de organisatie leest de korte omschrijving en de beschrijving "
                   "zoals de bewoner ze schreef.")
REFERRAL_NOTE = "De beschrijving komt van de bewoner zelf. Deel deze tekst niet buiten uw"


def test_routing_warns_about_personal_details_and_the_text_can_be_tidied_first(db, login):
    humanitas = partner()
    help_request = open_request(title="Boodschappen voor meneer Smit",
                                description="Meneer Smit (Marktplein 3) heeft suiker.")
    desk = coordinator()
    client = login(desk)
    db.session.commit()
    page = client.get(f"/organisations/route/{help_request.id}").get_data(as_text=True)
    assert ROUTING_WARNING in page
    assert "Meneer Smit (Marktplein 3) heeft suiker.</textarea>" in page
    url = f"/organisations/route/{help_request.id}"
    chosen = {"organisation_id": str(humanitas.organisation.id)}
    response = client.post(url, data={**chosen, "description": "  "})
    assert response.status_code == 400  # an empty text is told, nothing is routed
    assert "Vertel wat er nodig is." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(OrganisationReferral)) is None
    response = client.post(url, data={**chosen, "title": "Boodschappen",
                                      "description": "Wekelijks boodschappen doen."})
    assert response.status_code == 303
    db.session.refresh(help_request)
    assert (help_request.title, help_request.description) == (
        "Boodschappen", "Wekelijks boodschappen doen.")
    assert help_request.status_note == "Gewijzigd door een medewerker: titel, beschrijving"
    referral = db.session.scalar(sa.select(OrganisationReferral))
    assert referral.status == ReferralStatus.ROUTED
    switch_user(login, humanitas.coordinator)
    assert client.get(url).status_code == 403  # the warning's page is the meldpunt's
    page = client.get(f"/organisations/referrals/{referral.id}").get_data(as_text=True)
    assert REFERRAL_NOTE in page
    assert "Wekelijks boodschappen doen." in page
    assert "Smit" not in page
    assert "suiker" not in page
    assert ROUTING_WARNING not in page
    switch_user(login, help_request.requester)
    page = client.get(f"/requests/{help_request.id}").get_data(as_text=True)
    assert "Wekelijks boodschappen doen." in page  # the resident sees the change too
    assert REFERRAL_NOTE not in page


def test_routing_without_touching_the_text_records_no_change(db, login):
    humanitas = partner()
    help_request = open_request()
    client = login(coordinator())
    db.session.commit()
    response = client.post(f"/organisations/route/{help_request.id}", data={
        "organisation_id": str(humanitas.organisation.id), "title": help_request.title,
        "description": help_request.description})
    assert response.status_code == 303
    db.session.refresh(help_request)
    assert "Gewijzigd door een medewerker" not in (help_request.status_note or "")

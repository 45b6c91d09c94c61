"""The coordinator's "to phone" list: residents without an address, per neighbourhood."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import AuditEntry, Notification, Role
from marketplace.staff import services as staff_services
from tests import factories


def _desk_resident_request(pc4: str = "1211", name: str = "Mevrouw Jansen"):
    resident = factories.user(Role.RESIDENT, email=None, email_confirmed_at=None, name=name,
                              phone="035 123 4567")
    return factories.help_request(resident, pc4=pc4, title="Boodschappen op vrijdag")


def _centrum_coordinator():
    return factories.user(Role.COORDINATOR, neighbourhood=factories.neighbourhood("Centrum"))


def test_a_question_to_a_resident_without_address_goes_on_the_phone_list(
    client, db, login
) -> None:
    help_request = _desk_resident_request()
    coordinator = _centrum_coordinator()
    staff_services.ask_for_info(coordinator, help_request, "Welke dag past u het best?")
    db.session.commit()
    login(coordinator)
    page = client.get("/staff/").text
    assert "Te bellen" in page
    assert "Mevrouw Jansen" in page
    assert "035 123 4567" in page
    assert "Het Hulppunt heeft een vraag over uw aanvraag" in page
    assert "Onze vraag: Welke dag past u het best?" in page


def test_the_list_shows_the_coordinators_neighbourhood(client, db, login) -> None:
    oost = factories.neighbourhood("Oost")
    elsewhere = _desk_resident_request(pc4="1221", name="Meneer Elders")
    elsewhere.neighbourhood = oost
    coordinator = _centrum_coordinator()
    other_coordinator = factories.user(Role.COORDINATOR, neighbourhood=oost)
    staff_services.reject_request(coordinator, elsewhere, "Dit kunnen wij niet doen.")
    db.session.commit()
    [call] = db.session.scalars(sa.select(Notification)).all()
    login(coordinator)
    page = client.get("/staff/").text
    assert "Meneer Elders" not in page
    # ...but the list does not hide it silently: it says a call waits elsewhere, and shows it.
    assert "In andere wijken wacht nog 1 telefoontje." in page
    page = client.get("/staff/?bellen=alle").text
    assert "Meneer Elders" in page
    assert "Alleen mijn wijk" in page
    login(other_coordinator)
    assert "Meneer Elders" in client.get("/staff/").text
    login(coordinator)  # a colleague may still note the call (the meldpunt is central)
    response = client.post(f"/notifications/phone/{call.id}?bellen=alle")
    # back to the list as it was shown: every neighbourhood's calls
    assert response.headers["Location"].endswith("/staff/?bellen=alle#phone-heading")
    db.session.refresh(call)
    assert call.phoned_by_id == coordinator.id


def test_phoned_records_who_and_when_and_leaves_the_list(client, db, login) -> None:
    help_request = _desk_resident_request()
    coordinator = factories.user(Role.COORDINATOR, name="Coördinator Cor")
    staff_services.escalate_request(coordinator, help_request, "Zorg nodig")
    db.session.commit()
    [call] = db.session.scalars(sa.select(Notification)).all()
    login(coordinator)
    assert client.get(f"/notifications/phone/{call.id}").status_code == 405
    response = client.post(f"/notifications/phone/{call.id}", follow_redirects=True)
    assert "Genoteerd: u heeft gebeld." in response.text
    assert "Mevrouw Jansen" not in response.text
    db.session.refresh(call)
    assert call.phoned_at is not None
    assert call.phoned_by_id == coordinator.id
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "notification.phoned"))
    assert entry is not None
    assert entry.actor_id == coordinator.id
    assert "Mevrouw Jansen gebeld over: Uw aanvraag is doorgestuurd" in entry.detail
    assert client.post(f"/notifications/phone/{call.id}").status_code == 404  # done already


def test_not_for_residents_or_volunteers(client, db, login) -> None:
    help_request = _desk_resident_request()
    staff_services.ask_for_info(factories.user(Role.COORDINATOR), help_request, "Vraag")
    db.session.commit()
    [call] = db.session.scalars(sa.select(Notification)).all()
    login(factories.volunteer())
    assert client.post(f"/notifications/phone/{call.id}").status_code in (302, 403)


def test_a_resident_with_an_address_is_mailed_not_phoned(client, db, login) -> None:
    help_request = factories.help_request()
    coordinator = factories.user(Role.COORDINATOR)
    staff_services.approve_request(coordinator, help_request)
    db.session.commit()
    [notification] = db.session.scalars(sa.select(Notification)).all()
    assert not notification.phone_needed
    login(coordinator)
    assert "Er hoeft nu niemand gebeld te worden." in client.get("/staff/").text


def test_the_dashboard_shows_the_oldest_calls_and_links_to_the_whole_list(
    client, db, login
) -> None:
    coordinator = factories.user(Role.COORDINATOR)
    for number in range(1, 13):
        help_request = _desk_resident_request(name=f"Bewoner {number:02d}")
        staff_services.ask_for_info(coordinator, help_request, "Welke dag past u het best?")
    db.session.commit()
    login(coordinator)
    page = client.get("/staff/").text
    assert "12 bewoners hebben geen e-mailadres en horen dit van u." in page
    assert "Hieronder de 10 die het langst wachten." in page
    assert "Bewoner 10" in page
    assert "Bewoner 11" not in page
    assert 'href="/staff/bellen"' in page
    assert "Alle 12 telefoontjes bekijken" in page
    whole = client.get("/staff/bellen").text
    assert "Bewoner 01" in whole
    assert "Bewoner 12" in whole
    assert "Hieronder" not in whole
    [oldest] = db.session.scalars(sa.select(Notification).order_by(Notification.id).limit(1))
    response = client.post(f"/notifications/phone/{oldest.id}?terug=lijst")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff/bellen#phone-heading")
    assert "Bewoner 01" not in client.get("/staff/bellen").text
    assert "11 bewoners" in client.get("/staff/").text


def test_only_staff_see_the_whole_phone_list(client, db, login) -> None:
    login(factories.user(Role.VOLUNTEER))
    assert client.get("/staff/bellen").status_code == 403


def test_an_unknown_choice_says_it_shows_the_own_neighbourhood(client, db, login) -> None:
    coordinator = _centrum_coordinator()
    everywhere_staff = factories.user(Role.COORDINATOR)  # no neighbourhood: sees them all
    db.session.commit()
    login(coordinator)
    page = client.get("/staff/bellen?bellen=overal").text
    assert "Dit filter klopt niet; we tonen de telefoontjes uit uw eigen wijk." in page
    login(everywhere_staff)
    page = client.get("/staff/bellen?bellen=overal").text
    assert "Dit filter klopt niet; we tonen alles." in page


def test_phoned_with_a_value_the_buttons_never_send_goes_back_without_a_filter_message(
    client, db, login
) -> None:
    help_request = _desk_resident_request()
    coordinator = _centrum_coordinator()
    staff_services.escalate_request(coordinator, help_request, "Zorg nodig")
    db.session.commit()
    [call] = db.session.scalars(sa.select(Notification)).all()
    login(coordinator)
    response = client.post(f"/notifications/phone/{call.id}?bellen=overal&terug=ergens")
    assert response.headers["Location"].endswith("/staff/#phone-heading")
    page = client.get("/staff/").text
    assert "Genoteerd: u heeft gebeld." in page
    assert "Dit filter klopt niet" not in page

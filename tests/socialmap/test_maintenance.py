"""Organisations maintain their own entries; anyone suggests corrections; stale entries are
flagged to their owners."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from marketplace.models import (
    AuditEntry,
    Notification,
    Role,
    Schedule,
    Suggestion,
    SuggestionStatus,
)
from marketplace.notifications.schedule import tick
from marketplace.socialmap import stale
from marketplace.socialmap.taxonomy import term_by_code
from marketplace.vocabulary import NotificationKind, local_today
from tests import factories
from tests.socialmap import helpers


@pytest.fixture
def world(db):
    humanitas = helpers.organisation("Humanitas Hilversum")
    present = helpers.organisation("Stichting Present Hilversum")
    orphan = helpers.organisation("Repair Café Hilversum")  # no coordinator
    result = {
        "own": helpers.service(humanitas, "Thuisadministratie", checked=date(2020, 1, 1)),
        "other": helpers.service(present, "Klusgroepen", checked=local_today()),
        "orphan": helpers.service(orphan, "Repair Café", checked=local_today()),
        "coordinator": helpers.coordinator_of(humanitas),
        "other_coordinator": helpers.coordinator_of(present),
        "admin": factories.user(Role.ADMIN),
        "resident": factories.user(),
    }
    db.session.commit()
    return result


def _actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_maintainer_page_only_for_coordinators_of_an_organisation_and_admin(
    client, login, world,
) -> None:
    assert client.get("/sociale-kaart/beheer").status_code == 302  # to login
    login(world["resident"])
    assert client.get("/sociale-kaart/beheer").status_code == 403
    login(world["coordinator"])
    text = client.get("/sociale-kaart/beheer").get_data(as_text=True)
    assert "Thuisadministratie" in text
    assert "Klusgroepen" not in text


def test_coordinator_edits_own_service_not_another_organisations(client, login, world, db) -> None:
    login(world["coordinator"])
    oost = factories.neighbourhood("Oost")
    term = term_by_code("administratie-geld")
    response = client.post(f"/sociale-kaart/beheer/dienst/{world['own'].uuid}", data={
        "name": "Hulp bij geldzaken", "description": "Wij helpen met post.",
        "eligibility_description": "Iedereen", "fees_description": "Gratis",
        "application_process": "Bel ons", "url": "https://humanitas.example", "email": "",
        "status": "active", "terms": [str(term.id)], "neighbourhoods": [str(oost.id)],
    })
    assert response.status_code == 303
    db.session.expire_all()
    service = world["own"]
    assert service.name == "Hulp bij geldzaken"
    assert [area.name for area in service.areas] == ["Oost"]
    assert service.terms == [term]
    assert service.last_checked_on == local_today()  # saving counts as checking
    assert "socialmap.service_updated" in _actions(db)
    page = client.get(f"/sociale-kaart/?q=geldzaken&wijk={oost.id}").get_data(as_text=True)
    assert "Hulp bij geldzaken" in page
    assert client.get(f"/sociale-kaart/beheer/dienst/{world['other'].uuid}").status_code == 403
    refused = client.post(f"/sociale-kaart/beheer/dienst/{world['other'].uuid}/gecontroleerd")
    assert refused.status_code == 403


def test_bad_input_keeps_what_was_typed(client, login, world) -> None:
    login(world["coordinator"])
    response = client.post(f"/sociale-kaart/beheer/dienst/{world['own'].uuid}", data={
        "name": "", "description": "Mijn lange tekst", "status": "active", "url": "ftp://x",
    })
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Geef de dienst een naam." in text
    assert "Mijn lange tekst" in text
    assert "Een website begint met https://" in text


def test_place_and_opening_hours(client, login, world, db) -> None:
    login(world["coordinator"])
    uuid = world["own"].uuid
    response = client.post(f"/sociale-kaart/beheer/dienst/{uuid}/plek", data={
        "location-name": "Buurthuis De Geus", "location-address_1": "Larenseweg 30",
        "location-postal_code": "1221 CM", "location-city": "Hilversum",
        "location-accessibility": "Rolstoeltoegankelijk", "location-transportation": "",
    })
    assert response.status_code == 303
    response = client.post(f"/sociale-kaart/beheer/dienst/{uuid}/tijden", data={
        "hours-days": ["TU", "TH"], "hours-opens_at": "09:30", "hours-closes_at": "12:00",
    })
    assert response.status_code == 303
    page = client.get(f"/sociale-kaart/dienst/{uuid}").get_data(as_text=True)
    assert "Larenseweg 30" in page
    assert "Rolstoeltoegankelijk" in page
    assert "Dinsdag en donderdag, 09:30 tot 12:00" in page
    wrong = client.post(f"/sociale-kaart/beheer/dienst/{uuid}/tijden", data={
        "hours-days": ["TU"], "hours-opens_at": "12:00", "hours-closes_at": "09:00",
    })
    assert wrong.status_code == 400
    assert "De sluitingstijd moet na de openingstijd liggen." in wrong.get_data(as_text=True)
    schedule = db.session.scalar(sa.select(Schedule))
    removed = client.post(f"/sociale-kaart/beheer/dienst/{uuid}/tijden/{schedule.id}/weg")
    assert removed.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Schedule)) == 0


def test_mark_as_checked_clears_the_stale_list(client, login, world, db) -> None:
    login(world["coordinator"])
    assert "Lang niet gecontroleerd" in client.get("/sociale-kaart/beheer").get_data(as_text=True)
    page = client.get("/sociale-kaart/beheer").get_data(as_text=True)
    assert "Nog nooit" not in page
    response = client.post(f"/sociale-kaart/beheer/dienst/{world['own'].uuid}/gecontroleerd",
                           follow_redirects=True)
    assert "Alle diensten zijn op tijd gecontroleerd." in response.get_data(as_text=True)
    assert "socialmap.service_checked" in _actions(db)


def test_anyone_suggests_a_correction_for_the_organisations_queue(client, login, world,
                                                                  db) -> None:
    uuid = world["own"].uuid
    response = client.post(f"/sociale-kaart/dienst/{uuid}/correctie",
                           data={"message": "Het spreekuur is nu op dinsdag.",
                                 "email": "bezoeker@example.nl"}, follow_redirects=True)
    assert "De organisatie kijkt uw correctie na." in response.get_data(as_text=True)
    login(world["other_coordinator"])
    assert "nu op dinsdag" not in client.get("/sociale-kaart/beheer").get_data(as_text=True)
    login(world["admin"])  # the organisation has a coordinator: not the admin's queue
    assert "nu op dinsdag" not in client.get("/sociale-kaart/beheer").get_data(as_text=True)
    login(world["coordinator"])
    page = client.get("/sociale-kaart/beheer").get_data(as_text=True)
    assert "nu op dinsdag" in page
    assert "bezoeker@example.nl" in page
    suggestion = db.session.scalar(sa.select(Suggestion))
    assert client.post(f"/sociale-kaart/beheer/correctie/{suggestion.id}/goedkeuren"
                       ).status_code == 303
    db.session.expire_all()
    assert suggestion.status == SuggestionStatus.APPROVED
    assert suggestion.email == ""  # forgotten once decided
    assert suggestion.decided_by_id == world["coordinator"].id
    assert "socialmap.suggestion_approved" in _actions(db)
    again = client.post(f"/sociale-kaart/beheer/correctie/{suggestion.id}/afwijzen")
    assert again.status_code == 404


def test_suggestion_for_organisation_without_coordinator_goes_to_admin(client, login, world,
                                                                       db) -> None:
    client.post(f"/sociale-kaart/dienst/{world['orphan'].uuid}/correctie",
                data={"message": "Verhuisd naar de Larenseweg."})
    login(world["coordinator"])
    assert "Verhuisd" not in client.get("/sociale-kaart/beheer").get_data(as_text=True)
    suggestion = db.session.scalar(sa.select(Suggestion))
    refused = client.post(f"/sociale-kaart/beheer/correctie/{suggestion.id}/afwijzen")
    assert refused.status_code == 403
    login(world["admin"])
    assert "Verhuisd" in client.get("/sociale-kaart/beheer").get_data(as_text=True)
    assert client.post(f"/sociale-kaart/beheer/correctie/{suggestion.id}/afwijzen"
                       ).status_code == 303
    db.session.expire_all()
    assert suggestion.status == SuggestionStatus.REJECTED
    assert "socialmap.suggestion_rejected" in _actions(db)


def test_empty_or_bad_suggestion_is_refused_kept_and_explained(client, world, db) -> None:
    url = f"/sociale-kaart/dienst/{world['own'].uuid}/correctie"
    response = client.post(url, data={"message": "  ", "email": "geen-adres"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Schrijf op wat er niet klopt." in text
    assert "Dit e-mailadres klopt niet." in text
    assert "geen-adres" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suggestion)) == 0


def test_stale_entries_are_notified_once_to_their_owners(app, world, db) -> None:
    now = datetime.now(UTC)
    tick(now)
    tick(now + timedelta(minutes=1))
    rows = list(db.session.scalars(sa.select(Notification).where(
        Notification.kind == NotificationKind.SOCIAL_MAP_STALE)))
    assert [row.recipient_id for row in rows] == [world["coordinator"].id]
    assert rows[0].params["service"] == "Thuisadministratie"


def test_stale_entry_without_coordinator_goes_to_admin(app, world, db) -> None:
    world["orphan"].last_checked_on = None
    db.session.commit()
    assert stale.flag_stale(local_today(), 180) == 2  # own (coordinator) + orphan (admin)
    recipients = set(db.session.scalars(sa.select(Notification.recipient_id)))
    assert recipients == {world["coordinator"].id, world["admin"].id}


def test_stale_days_is_configurable(app, world, db) -> None:
    world["other"].last_checked_on = local_today() - timedelta(days=10)
    db.session.commit()
    assert stale.stale_services(local_today(), 5)[-1].name == "Klusgroepen"
    assert "Klusgroepen" not in [item.name for item in stale.stale_services(local_today(), 180)]


def test_old_suggestion_addresses_are_forgotten(app, world, db) -> None:
    db.session.add(Suggestion(service_id=world["own"].id, message="x", email="a@example.nl",
                              created_at=datetime.now(UTC) - timedelta(days=400)))
    db.session.commit()
    assert stale.forget_old_emails(datetime.now(UTC), 365) == 1

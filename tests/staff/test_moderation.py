"""The moderation queue, the request detail and every moderation action."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.models import AuditEntry, RequestStatus, Role, utcnow
from tests import factories

S = RequestStatus


@pytest.fixture
def coordinator(db, login):
    account = factories.user(Role.COORDINATOR, name="Coördinator Cor")
    db.session.commit()
    login(account)
    return account


def test_queue_oldest_first_only_waiting_requests(client, db, coordinator) -> None:
    newer = factories.help_request(title="Nieuwere vraag")
    older = factories.help_request(title="Oudere vraag", status=S.NEEDS_INFO)
    older.created_at = utcnow() - timedelta(days=3)
    factories.help_request(title="Al open", status=S.OPEN)
    db.session.commit()
    page = client.get("/staff/queue").text
    assert page.index("Oudere vraag") < page.index("Nieuwere vraag")
    assert "Al open" not in page
    assert '<th scope="col">' in page
    assert newer.title in page


def test_queue_filters_by_neighbourhood_defaulting_to_own(client, db, coordinator) -> None:
    centrum = factories.neighbourhood("Centrum")
    factories.help_request(title="In het centrum", pc4="1211")
    factories.help_request(title="In Oost", pc4="1212",
                           neighbourhood=factories.neighbourhood("Oost"))
    coordinator.neighbourhood_id = centrum.id
    db.session.commit()
    own = client.get("/staff/queue").text
    assert "In het centrum" in own
    assert "In Oost" not in own
    everything = client.get("/staff/queue?wijk=").text
    assert "In Oost" in everything
    assert "Alle wijken" in everything
    oost = factories.neighbourhood("Oost")
    only_oost = client.get(f"/staff/queue?wijk={oost.id}").text
    assert "In Oost" in only_oost
    assert "In het centrum" not in only_oost


def test_all_requests_filter_by_status(client, db, coordinator) -> None:
    factories.help_request(title="Nog te doen", status=S.SUBMITTED)
    factories.help_request(title="Helemaal afgerond", status=S.DONE)
    db.session.commit()
    page = client.get("/staff/requests?wijk=&status=done").text
    assert "Helemaal afgerond" in page
    assert "Nog te doen" not in page


def test_dashboard_counts(client, db, coordinator) -> None:
    factories.help_request(status=S.SUBMITTED)
    factories.help_request(status=S.SUBMITTED)
    db.session.commit()
    page = client.get("/staff/").text
    assert "Centrum" in page
    assert "Wacht op goedkeuring</a></th><td>2</td>" in page


def test_detail_shows_contact_and_audits_the_view(client, db, coordinator) -> None:
    requester = factories.user(phone="06 9876 5432")
    help_request = factories.help_request(requester)
    db.session.commit()
    page = client.get(f"/staff/requests/{help_request.id}").text
    assert "06 9876 5432" in page
    assert requester.email in page
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "personal_data.viewed")).all()
    assert len(entries) == 1
    assert entries[0].actor_id == coordinator.id
    assert entries[0].target_type == "HelpRequest"
    assert entries[0].target_id == help_request.id
    client.get(f"/staff/requests/{help_request.id}")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "personal_data.viewed")) == 2


ACTIONS = [
    # (endpoint, from status, reason, expected status)
    ("approve", S.SUBMITTED, "", S.OPEN),
    ("ask-info", S.SUBMITTED, "Welke dag past u?", S.NEEDS_INFO),
    ("reject", S.SUBMITTED, "Dit is geen hulpvraag.", S.REJECTED),
    ("reject", S.NEEDS_INFO, "Geen antwoord gekregen.", S.REJECTED),
    ("escalate", S.SUBMITTED, "Zware zorgvraag.", S.ESCALATED),
    ("escalate", S.OPEN, "Zware zorgvraag.", S.ESCALATED),
    ("deescalate", S.ESCALATED, "Toch lichte hulp.", S.OPEN),
    ("close", S.ESCALATED, "Het Sociaal Plein helpt verder.", S.DONE),
    ("cancel", S.SUBMITTED, "Belde af.", S.CANCELLED),
    ("cancel", S.MATCHED, "", S.CANCELLED),
]


@pytest.mark.parametrize(("action", "start", "reason", "end"), ACTIONS)
def test_legal_actions(client, db, coordinator, action, start, reason, end) -> None:
    help_request = factories.help_request(status=start)
    db.session.commit()
    response = client.post(f"/staff/requests/{help_request.id}/{action}",
                           data={"reason": reason, "version": help_request.version},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "flash-success" in response.text
    db.session.refresh(help_request)
    assert help_request.status == end
    last = help_request.transitions[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (start, end, coordinator.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.target_id == help_request.id, AuditEntry.action.like("%request%")
        | AuditEntry.action.in_(["request.info_requested"]))) >= 1


ILLEGAL = [
    ("approve", S.OPEN, "", "Alleen een aanvraag die wacht op goedkeuring"),
    ("approve", S.NEEDS_INFO, "", "Alleen een aanvraag die wacht op goedkeuring"),
    ("approve", S.DONE, "", "Alleen een aanvraag die wacht op goedkeuring"),
    ("ask-info", S.SUBMITTED, "", "Geef een reden op"),
    ("reject", S.SUBMITTED, "   ", "Geef een reden op"),
    ("escalate", S.SUBMITTED, "", "Geef een reden op"),
    ("ask-info", S.OPEN, "Vraag", "kan niet van"),
    ("reject", S.OPEN, "Reden", "kan niet van"),
    ("escalate", S.DONE, "Reden", "kan niet van"),
    ("deescalate", S.OPEN, "", "Alleen een doorverwezen aanvraag"),
    ("close", S.OPEN, "", "Alleen een doorverwezen aanvraag kan hier"),
    ("close", S.DONE, "", "Alleen een doorverwezen aanvraag kan hier"),
    ("cancel", S.DONE, "", "kan niet van"),
    ("cancel", S.REJECTED, "", "kan niet van"),
]


@pytest.mark.parametrize(("action", "start", "reason", "message"), ILLEGAL)
def test_illegal_actions_are_refused_and_change_nothing(
    client, db, coordinator, action, start, reason, message
) -> None:
    help_request = factories.help_request(status=start, status_note="ongewijzigd")
    db.session.commit()
    response = client.post(f"/staff/requests/{help_request.id}/{action}",
                           data={"reason": reason}, follow_redirects=True)
    assert "flash-error" in response.text
    assert message in response.text
    db.session.refresh(help_request)
    assert help_request.status == start
    assert help_request.status_note == "ongewijzigd"
    assert len(help_request.transitions) == 1


def test_approve_twice_gives_a_clear_message(client, db, coordinator) -> None:
    help_request = factories.help_request()
    db.session.commit()
    client.post(f"/staff/requests/{help_request.id}/approve")
    response = client.post(f"/staff/requests/{help_request.id}/approve",
                           follow_redirects=True)
    assert "Alleen een aanvraag die wacht op goedkeuring" in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.OPEN
    assert len(help_request.transitions) == 2


def test_escalate_category_cannot_be_approved(client, db, coordinator) -> None:
    help_request = factories.help_request(category_slug="huishoudelijke-hulp")
    db.session.commit()
    page = client.get(f"/staff/requests/{help_request.id}").text
    assert f"staff/requests/{help_request.id}/approve" not in page
    response = client.post(f"/staff/requests/{help_request.id}/approve",
                           follow_redirects=True)
    assert "niet voor vrijwilligers" in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.SUBMITTED


def test_escalate_category_cannot_be_deescalated(client, db, coordinator) -> None:
    help_request = factories.help_request(category_slug="woningaanpassing", status=S.ESCALATED)
    db.session.commit()
    response = client.post(f"/staff/requests/{help_request.id}/deescalate",
                           follow_redirects=True)
    assert "niet voor vrijwilligers" in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.ESCALATED


def test_stale_version_is_refused(client, db, coordinator) -> None:
    help_request = factories.help_request()
    db.session.commit()
    stale = help_request.version
    client.post(f"/staff/requests/{help_request.id}/ask-info",
                data={"reason": "Welke dag?", "version": stale})
    response = client.post(f"/staff/requests/{help_request.id}/reject",
                           data={"reason": "Nee", "version": stale}, follow_redirects=True)
    assert "Iemand anders heeft deze aanvraag net veranderd" in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.NEEDS_INFO


def test_reason_too_long_is_refused(client, db, coordinator) -> None:
    help_request = factories.help_request()
    db.session.commit()
    response = client.post(f"/staff/requests/{help_request.id}/reject",
                           data={"reason": "x" * 501}, follow_redirects=True)
    assert "Maximaal 500 tekens" in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.SUBMITTED


def test_resident_sees_the_question_and_can_answer(client, db, coordinator, login) -> None:
    resident = factories.user()
    help_request = factories.help_request(resident)
    db.session.commit()
    client.post(f"/staff/requests/{help_request.id}/ask-info",
                data={"reason": "Welke supermarkt?"})
    login(resident)
    page = client.get(f"/requests/{help_request.id}").text
    assert "Welke supermarkt?" in page
    assert "Aanvraag aanvullen" in page


def test_escalated_request_of_an_escalate_category_can_be_closed(client, db, coordinator) -> None:
    help_request = factories.help_request(category_slug="woningaanpassing", status=S.ESCALATED)
    db.session.commit()
    page = client.get(f"/staff/requests/{help_request.id}").text
    assert "Afsluiten: het Sociaal Plein helpt verder" in page
    response = client.post(f"/staff/requests/{help_request.id}/close",
                           data={"version": help_request.version}, follow_redirects=True)
    assert "De aanvraag is afgesloten: het Sociaal Plein helpt verder." in response.text
    db.session.refresh(help_request)
    assert help_request.status == S.DONE
    assert help_request.transitions[-1].actor_id == coordinator.id


def _category_id(slug: str) -> int:
    return factories.category(slug).id


@pytest.mark.parametrize("start", [S.SUBMITTED, S.NEEDS_INFO, S.OPEN])
def test_coordinator_changes_the_kind_of_help(client, db, coordinator, start) -> None:
    help_request = factories.help_request(status=start)
    db.session.commit()
    page = client.get(f"/staff/requests/{help_request.id}").text
    assert "Soort hulp veranderen" in page
    response = client.post(f"/staff/requests/{help_request.id}/category",
                           data={"category_id": _category_id("tuin"), "reason": "Is tuinwerk",
                                 "version": help_request.version}, follow_redirects=True)
    assert "De soort hulp is veranderd" in response.text
    db.session.refresh(help_request)
    assert help_request.category.slug == "tuin"
    assert help_request.status == start
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "request.category_changed")
    )
    assert entry is not None
    assert entry.detail == "boodschappen -> tuin: Is tuinwerk"
    assert entry.actor_id == coordinator.id


@pytest.mark.parametrize(("start", "slug", "message"), [
    (S.MATCHED, "tuin", "zolang er nog geen vrijwilliger is gevraagd"),
    (S.PROPOSED, "tuin", "zolang er nog geen vrijwilliger is gevraagd"),
    (S.OPEN, "huishoudelijke-hulp", "niet voor vrijwilligers"),
    (S.OPEN, "boodschappen", "heeft deze soort hulp al"),
    (S.OPEN, None, "Kies een soort hulp"),
])
def test_category_change_refused_changes_nothing(client, db, coordinator, start, slug,
                                                 message) -> None:
    help_request = factories.help_request(status=start)
    db.session.commit()
    data = {"category_id": _category_id(slug) if slug else "geen-getal",
            "version": help_request.version}
    response = client.post(f"/staff/requests/{help_request.id}/category", data=data,
                           follow_redirects=True)
    assert "flash-error" in response.text
    assert message in response.text
    db.session.refresh(help_request)
    assert help_request.category.slug == "boodschappen"
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "request.category_changed")) is None


def test_submitted_request_may_move_to_help_for_the_sociaal_plein(client, db, coordinator) -> None:
    help_request = factories.help_request(status=S.SUBMITTED)
    db.session.commit()
    client.post(f"/staff/requests/{help_request.id}/category",
                data={"category_id": _category_id("huishoudelijke-hulp")})
    db.session.refresh(help_request)
    assert help_request.category.slug == "huishoudelijke-hulp"
    page = client.get(f"/staff/requests/{help_request.id}").text
    assert f"staff/requests/{help_request.id}/approve" not in page

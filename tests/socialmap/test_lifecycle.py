"""The statuses of the sociale kaart: the allowed moves, each audited in words, one writer;
a deactivated service leaves the directory and the API lists it as inactive."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.audit import ACTIONS
from marketplace.errors import InvalidTransition
from marketplace.hsds import schemas
from marketplace.models import (
    AuditEntry,
    ServiceStatus,
    Suggestion,
    SuggestionStatus,
)
from marketplace.socialmap import contacts, lifecycle, maintenance
from tests import factories
from tests.socialmap import helpers

S = ServiceStatus


@pytest.fixture
def world(db):
    humanitas = helpers.organisation("Humanitas Hilversum")
    present = helpers.organisation("Stichting Present Hilversum")
    result = {"own": helpers.service(humanitas, "Thuisadministratie"),
              "other": helpers.service(present, "Klusgroepen"),
              "coordinator": helpers.coordinator_of(humanitas),
              "other_coordinator": helpers.coordinator_of(present)}
    db.session.commit()
    return result


def test_the_table_covers_every_status_and_every_move_has_words() -> None:
    assert set(lifecycle.ALLOWED) == set(S)
    codes = {lifecycle.action_for(status) for status in S}
    assert len(codes) == len(S)
    assert codes <= set(ACTIONS)
    assert all(status not in moves for status, moves in lifecycle.ALLOWED.items())
    assert set(lifecycle.SUGGESTION_ALLOWED) == set(SuggestionStatus)


def test_a_move_is_audited_and_an_illegal_one_changes_nothing(world, db) -> None:
    service, person = world["own"], world["coordinator"]
    lifecycle.transition(service, S.INACTIVE, person)
    with pytest.raises(InvalidTransition):
        lifecycle.transition(service, S.TEMPORARILY_CLOSED, person)
    with pytest.raises(InvalidTransition):
        lifecycle.transition(service, S.INACTIVE, person)
    assert service.status == S.INACTIVE
    db.session.flush()
    entries = list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action.like("socialmap.service_%"))))
    assert [(entry.action, entry.actor_id) for entry in entries] == [
        ("socialmap.service_deactivated", person.id)]
    assert "van de sociale kaart" in str(ACTIONS["socialmap.service_deactivated"].sentence)


def test_a_suggestion_is_decided_once(world, db) -> None:
    suggestion = Suggestion(service_id=world["own"].id, message="x", email="a@example.nl")
    db.session.add(suggestion)
    db.session.flush()
    lifecycle.decide_suggestion(suggestion, True, world["coordinator"])
    assert (suggestion.status, suggestion.email) == (SuggestionStatus.APPROVED, "")
    with pytest.raises(InvalidTransition):
        lifecycle.decide_suggestion(suggestion, False, world["coordinator"])
    assert suggestion.status == SuggestionStatus.APPROVED


def test_no_field_list_written_with_setattr_holds_the_status() -> None:
    """The maintenance forms copy fields with ``setattr`` loops; none may reach the status
    (the architecture test sees literal writes only)."""
    for names in (maintenance.SERVICE_FIELDS, maintenance.LOCATION_FIELDS,
                  maintenance.ADDRESS_FIELDS, contacts.CONTACT_FIELDS):
        assert "status" not in names


def test_deactivate_and_reactivate(client, login, world, db) -> None:
    login(world["coordinator"])
    service = world["own"]
    url = f"/sociale-kaart/beheer/dienst/{service.uuid}/status"
    edit = client.get(f"/sociale-kaart/beheer/dienst/{service.uuid}").get_data(as_text=True)
    assert "Van de kaart halen (niet actief)" in edit
    assert client.post(url, data={"status": "inactive"}).status_code == 303
    db.session.expire_all()
    assert service.status == S.INACTIVE
    assert "Thuisadministratie" not in client.get("/sociale-kaart/?q=thuis").get_data(
        as_text=True)
    assert client.get(f"/sociale-kaart/dienst/{service.uuid}").status_code == 404
    listed = client.get("/api/hsds/services").get_json()
    assert not list(schemas.page_validator("service").iter_errors(listed))
    assert {item["name"]: item["status"] for item in listed["contents"]}[
        "Thuisadministratie"] == "inactive"
    one = client.get(f"/api/hsds/services/{service.uuid}").get_json()
    assert schemas.errors("service", one) == []
    assert one["status"] == "inactive"
    page = client.get("/sociale-kaart/beheer").get_data(as_text=True)
    assert "Niet actief (niet op de kaart)" in page  # the maintainer still sees it
    refused = client.post(url, data={"status": "temporarily closed"}, follow_redirects=True)
    assert "Deze dienst kan niet van deze status naar die status." in refused.get_data(
        as_text=True)
    assert client.post(url, data={"status": "active"}).status_code == 303
    db.session.expire_all()
    assert service.status == S.ACTIVE
    assert "Thuisadministratie" in client.get("/sociale-kaart/?q=thuis").get_data(as_text=True)
    actions = list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["socialmap.service_deactivated", "socialmap.service_activated"]


def test_status_changes_only_by_the_services_maintainers(client, login, world, db) -> None:
    url = f"/sociale-kaart/beheer/dienst/{world['other'].uuid}/status"
    login(world["coordinator"])
    assert client.post(url, data={"status": "inactive"}).status_code == 403
    login(factories.user())
    assert client.post(url, data={"status": "inactive"}).status_code == 403
    login(world["other_coordinator"])
    assert client.post(url, data={"status": "nonsense"}).status_code == 400
    db.session.expire_all()
    assert world["other"].status == S.ACTIVE

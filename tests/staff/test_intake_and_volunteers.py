"""Desk intake for residents without e-mail, and volunteer verification."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.models import (
    AuditEntry,
    HelpRequest,
    RequestSource,
    RequestStatus,
    Role,
    User,
    VogStatus,
    utcnow,
)
from marketplace.vocabulary import local_today
from tests import factories
from tests.requests.helpers import request_form


@pytest.fixture
def coordinator(db, login):
    account = factories.user(Role.COORDINATOR)
    db.session.commit()
    login(account)
    return account


def intake_form(**overrides):
    data = request_form(resident_name="Meneer Bakker", resident_phone="035 765 4321",
                        resident_email="", consent="y")
    data.update(overrides)
    return data


def test_intake_page_has_a_print_wrapper(client, coordinator) -> None:
    page = client.get("/staff/intake").text
    assert 'class="intake-sheet"' in page
    assert "Meteen goedkeuren" in page


def test_desk_intake_without_email_creates_a_passwordless_resident(
    client, db, coordinator
) -> None:
    response = client.post("/staff/intake", data=intake_form())
    assert response.status_code == 303
    help_request = db.session.scalars(sa.select(HelpRequest)).one()
    resident = help_request.requester
    assert resident.email is None
    assert resident.password_hash is None
    assert resident.phone == "+31357654321"  # stored in E.164
    assert resident.postcode == "1211 AB"
    assert help_request.source == RequestSource.DESK
    assert help_request.created_by_id == coordinator.id
    assert help_request.status == RequestStatus.SUBMITTED
    assert help_request.consent_given


def test_two_phone_residents_get_two_accounts(client, db, coordinator) -> None:
    client.post("/staff/intake", data=intake_form())
    client.post("/staff/intake", data=intake_form(resident_name="Mevrouw Smit"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.email.is_(None))) == 2


def test_intake_reuses_a_known_email(client, db, coordinator) -> None:
    known = factories.user(email="bakker@example.nl")
    db.session.commit()
    client.post("/staff/intake", data=intake_form(resident_email="bakker@example.nl"))
    assert db.session.scalars(sa.select(HelpRequest)).one().requester_id == known.id


def test_intake_can_approve_at_once(client, db, coordinator) -> None:
    client.post("/staff/intake", data=intake_form(approve_now="y"))
    help_request = db.session.scalars(sa.select(HelpRequest)).one()
    assert help_request.status == RequestStatus.OPEN
    assert [t.to_status for t in help_request.transitions] == [
        RequestStatus.SUBMITTED, RequestStatus.OPEN]


def test_intake_approve_at_once_refused_for_escalate_category(client, db, coordinator) -> None:
    category = factories.category("zorg-24-uur")
    response = client.post("/staff/intake", data=intake_form(
        approve_now="y", category_id=category.id))
    assert response.status_code == 400
    assert "niet voor vrijwilligers" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_intake_needs_consent(client, db, coordinator) -> None:
    data = intake_form()
    del data["consent"]
    response = client.post("/staff/intake", data=data)
    assert response.status_code == 400
    assert "toestemming" in response.text


def test_intake_invalid_postcode(client, db, coordinator) -> None:
    response = client.post("/staff/intake", data=intake_form(postcode="1000 AA"))
    assert response.status_code == 400
    assert "Deze postcode bestaat niet" in response.text


def test_volunteer_list_pending_and_neighbourhood(client, db, coordinator) -> None:
    pending = factories.volunteer_profile(pc4="1211")
    done = factories.volunteer_profile(pc4="1211")
    elsewhere = factories.volunteer_profile(pc4="1212")
    done.verified_at = utcnow()
    db.session.commit()
    centrum = factories.neighbourhood("Centrum")
    page = client.get(f"/staff/volunteers?wijk={centrum.id}&pending=1").text
    assert pending.user.name in page
    assert done.user.name not in page
    assert elsewhere.user.name not in page
    assert elsewhere.user.name in client.get("/staff/volunteers?wijk=").text


def test_volunteer_detail_is_audited(client, db, coordinator) -> None:
    profile = factories.volunteer_profile()
    db.session.commit()
    page = client.get(f"/staff/volunteers/{profile.id}").text
    assert profile.user.email in page
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "personal_data.viewed")).one()
    assert (entry.target_type, entry.target_id) == ("VolunteerProfile", profile.id)


def test_mark_vog_valid(client, db, coordinator) -> None:
    profile = factories.volunteer_profile()
    db.session.commit()
    issued = local_today() - timedelta(days=30)
    response = client.post(f"/staff/volunteers/{profile.id}/vog",
                           data={"vog_date": issued.isoformat()}, follow_redirects=True)
    assert "De VOG is vastgelegd." in response.text
    db.session.refresh(profile)
    assert profile.vog_status == VogStatus.VALID
    assert profile.vog_date == issued
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "volunteer.vog_marked_valid")
    )


@pytest.mark.parametrize("value", [(local_today() + timedelta(days=1)).isoformat(), "", "gisteren"])
def test_vog_date_in_future_or_missing_is_refused(client, db, coordinator, value) -> None:
    profile = factories.volunteer_profile()
    db.session.commit()
    response = client.post(f"/staff/volunteers/{profile.id}/vog",
                           data={"vog_date": value}, follow_redirects=True)
    assert "flash-error" in response.text
    db.session.refresh(profile)
    assert profile.vog_status == VogStatus.NONE


def test_mark_training_and_verified(client, db, coordinator) -> None:
    profile = factories.volunteer_profile(trainings="Cursus respijtzorg 2024")
    db.session.commit()
    client.post(f"/staff/volunteers/{profile.id}/training")
    client.post(f"/staff/volunteers/{profile.id}/verify")
    db.session.refresh(profile)
    assert profile.training_verified
    assert profile.verified_at is not None
    assert profile.verified_by_id == coordinator.id
    again = client.post(f"/staff/volunteers/{profile.id}/verify", follow_redirects=True)
    assert "al gecontroleerd" in again.text
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"volunteer.training_verified", "volunteer.verified"} <= actions

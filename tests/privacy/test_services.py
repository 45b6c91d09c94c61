"""Export, deletion and retention of personal data."""

from __future__ import annotations

import json
from datetime import date, timedelta

import sqlalchemy as sa

from marketplace.models import (
    AuditEntry,
    Concern,
    Feedback,
    HelpRequest,
    HelpSession,
    Match,
    MatchStatus,
    RequestStatus,
    Role,
    User,
    VolunteerProfile,
    utcnow,
)
from marketplace.privacy.services import (
    DELETED_NAME,
    delete_account,
    export_user_data,
    purge_closed_requests,
)
from marketplace.requests import lifecycle
from tests import factories
from tests.security import data


def _match(help_request: HelpRequest, volunteer: User, status: MatchStatus) -> Match:
    return data.match(help_request, volunteer, status)


def test_export_contains_everything_and_is_json(db) -> None:
    resident = factories.user(Role.RESIDENT, Role.VOLUNTEER)
    help_request = factories.help_request(resident, description="Hulp met de tuin")
    other_volunteer = data.volunteer()
    match = _match(help_request, other_volunteer, MatchStatus.ACCEPTED)
    db.session.add(Feedback(match=match, author_id=resident.id, rating=5, comment="Fijn"))
    db.session.add(HelpSession(match=match, day=date(2026, 11, 16), hours=1.5))
    db.session.add(Concern(reporter_id=resident.id, message="Ik maak me zorgen"))
    db.session.commit()

    exported = export_user_data(resident)
    text = json.dumps(exported)
    assert exported["account"]["email"] == resident.email
    assert "password_hash" not in exported["account"]
    assert exported["roles"] == ["resident", "volunteer"]
    assert exported["requests"][0]["description"] == "Hulp met de tuin"
    assert exported["requests"][0]["transitions"][0]["to_status"] == "submitted"
    assert exported["matches"][0]["side"] == "resident"
    assert "volunteer_id" not in exported["matches"][0]
    assert exported["matches"][0]["sessions"] == [{"day": "2026-11-16", "hours": 1.5}]
    assert exported["feedback_written"][0]["comment"] == "Fijn"
    assert exported["concerns"][0]["message"] == "Ik maak me zorgen"
    assert other_volunteer.email not in text


def test_export_of_volunteer_has_profile_and_skills(db) -> None:
    volunteer = data.volunteer(skills=("boodschappen", "tuin"))
    db.session.commit()
    exported = export_user_data(volunteer)
    assert exported["volunteer_profile"]["skills"] == ["boodschappen", "tuin"]


def test_delete_account_anonymises_and_cancels(db) -> None:
    resident = factories.user(Role.RESIDENT, phone="06 99", address="Dorpsstraat 9")
    running = factories.help_request(resident, status=RequestStatus.OPEN, own_network="Mijn zus")
    volunteer = data.volunteer()
    match = _match(running, volunteer, MatchStatus.PROPOSED)
    escalated = factories.help_request(resident, status=RequestStatus.ESCALATED)
    db.session.commit()

    delete_account(resident)
    db.session.commit()
    db.session.expire_all()

    account = db.session.get(User, resident.id)
    assert account.email is None
    assert account.name == DELETED_NAME
    assert (account.phone, account.address, account.postcode) == (None, None, None)
    assert account.password_hash is None
    assert not account.is_active
    assert account.anonymised_at is not None
    assert account.roles == {Role.RESIDENT}
    for item_id in (running.id, escalated.id):
        item = db.session.get(HelpRequest, item_id)
        assert item.status == RequestStatus.CANCELLED
        assert (item.description, item.title, item.address) == ("", "", "")
        assert item.own_network == ""
        assert item.postcode == "1211"
        assert item.anonymised_at is not None
        assert item.category.slug == "boodschappen"
        assert item.neighbourhood is not None
    assert db.session.get(Match, match.id).status == MatchStatus.WITHDRAWN
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "account.deleted")
    ) is not None


def test_delete_volunteer_frees_their_requests(db) -> None:
    volunteer = data.volunteer()
    help_request = factories.help_request(status=RequestStatus.OPEN)
    lifecycle.transition(help_request, RequestStatus.MATCHED, None)
    match = _match(help_request, volunteer, MatchStatus.ACCEPTED)
    db.session.commit()

    delete_account(volunteer)
    db.session.commit()
    db.session.expire_all()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(VolunteerProfile)) == 0
    assert db.session.get(Match, match.id).status == MatchStatus.WITHDRAWN
    freed = db.session.get(HelpRequest, help_request.id)
    assert freed.status == RequestStatus.OPEN
    assert freed.description != ""  # the resident's request itself is untouched


def test_delete_is_idempotent(db) -> None:
    resident = factories.user()
    factories.help_request(resident)
    db.session.commit()
    delete_account(resident)
    db.session.commit()
    delete_account(resident)
    db.session.commit()
    assert db.session.get(User, resident.id).name == DELETED_NAME


def test_purge_anonymises_only_old_closed_requests(db) -> None:
    now = utcnow()
    old_done = factories.help_request(
        status=RequestStatus.DONE, closed_at=now - timedelta(days=400)
    )
    recent_done = factories.help_request(
        status=RequestStatus.DONE, closed_at=now - timedelta(days=10)
    )
    old_open = factories.help_request(status=RequestStatus.OPEN)
    old_open.created_at = now - timedelta(days=800)
    db.session.commit()

    assert purge_closed_requests(now, 365) == 1
    db.session.commit()
    assert purge_closed_requests(now, 365) == 0  # idempotent
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(HelpRequest, old_done.id).description == ""
    assert db.session.get(HelpRequest, old_done.id).anonymised_at is not None
    assert db.session.get(HelpRequest, recent_done.id).description != ""
    assert db.session.get(HelpRequest, old_open.id).description != ""


def test_purge_cli_dry_run_and_real(app, db, runner) -> None:
    factories.help_request(
        status=RequestStatus.CANCELLED, closed_at=utcnow() - timedelta(days=40)
    )
    db.session.commit()
    result = runner.invoke(args=["privacy", "purge", "--days", "30", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 closed requests would be anonymised" in result.output
    result = runner.invoke(args=["privacy", "purge", "--days", "30"])
    assert "1 closed requests anonymised" in result.output
    result = runner.invoke(args=["privacy", "purge", "--days", "30"])
    assert "0 closed requests anonymised" in result.output
    result = runner.invoke(args=["privacy", "purge"])  # default RETENTION_DAYS
    assert result.exit_code == 0
    result = runner.invoke(args=["privacy", "purge", "--days", "-1"])
    assert result.exit_code != 0

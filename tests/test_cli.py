"""The command-line commands an operator uses: users, catalogue, demo."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from marketplace.auth.services import find_by_email
from marketplace.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from marketplace.models import (
    Category,
    HelpRequest,
    RequestStatus,
    Role,
    Service,
    User,
    VolunteerProfile,
)
from marketplace.models.types import utcnow


def test_create_admin_makes_a_working_administrator(runner, db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["users", "create-admin", "--email", "Beheer@Gemeente.nl",
                                 "--name", "Beheer", "--password", "een-lang-wachtwoord"])
    assert result.exit_code == 0, result.output
    admin = find_by_email("beheer@gemeente.nl")
    assert admin is not None
    assert admin.has_role(Role.ADMIN)
    assert admin.check_password("een-lang-wachtwoord")


def test_create_admin_refuses_a_short_password(runner, db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["users", "create-admin", "--email", "a@b.nl", "--name", "A",
                                 "--password", "kort"])
    assert result.exit_code != 0
    assert "10 tekens" in result.output
    assert find_by_email("a@b.nl") is None


def test_catalogue_seed_is_idempotent(runner, db) -> None:  # type: ignore[no-untyped-def]
    before = db.session.scalar(sa.select(sa.func.count(Category.id)))
    result = runner.invoke(args=["catalogue", "seed"])
    assert result.exit_code == 0
    assert "0 new rows" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Category.id))) == before == 14


def test_demo_logins_says_none_without_demo_data(runner, db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["demo", "logins"])
    assert "No demo accounts" in result.output


def _snapshot(db) -> list[tuple[str, str, float]]:  # type: ignore[no-untyped-def]
    rows = db.session.execute(
        sa.select(User.name, User.postcode, VolunteerProfile.max_travel_km)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .order_by(User.email)
    )
    return [tuple(row) for row in rows]


def test_demo_seed_builds_hilversum_in_every_state(runner, db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    count = db.session.scalar(sa.select(sa.func.count(VolunteerProfile.id)))
    assert count == 200
    # The 150 of the last 60 days; before them, two years of history for the indicators.
    recent = HelpRequest.created_at >= utcnow() - timedelta(days=61)
    assert db.session.scalar(sa.select(sa.func.count(HelpRequest.id)).where(recent)) == 150
    assert db.session.scalar(sa.select(sa.func.count(HelpRequest.id)).where(~recent)) > 500
    statuses = set(db.session.scalars(sa.select(HelpRequest.status).distinct()))
    assert statuses == set(RequestStatus)
    # The sociale kaart: at least 30 services of at least 10 organisations (issue 17).
    assert db.session.scalar(sa.select(sa.func.count(Service.id))) >= 30
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Service.organisation_id)))) >= 10
    for email, role in DEMO_ACCOUNTS:
        account = find_by_email(email)
        assert account is not None, email
        assert account.has_role(Role(role)), email
        assert account.check_password(DEMO_PASSWORD)
    logins = runner.invoke(args=["demo", "logins"]).output
    assert all(email in logins for email, _role in DEMO_ACCOUNTS)
    again = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert "already present" in again.output
    assert db.session.scalar(sa.select(sa.func.count(VolunteerProfile.id))) == 200


def test_demo_seed_is_deterministic(app, runner, db) -> None:  # type: ignore[no-untyped-def]
    from marketplace.demo import seed
    from tests.conftest import _empty_database

    seed()
    db.session.commit()
    first = _snapshot(db)
    _empty_database()
    from marketplace.admin.services import seed_catalogue

    seed_catalogue()
    seed()
    db.session.commit()
    assert _snapshot(db) == first

"""Aftercare's personal data: in the export, and forgotten with the account or the request."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.aftercare import services as aftercare
from marketplace.aftercare import tasks, waakvlam
from marketplace.matches import services
from marketplace.models import Feedback, FollowUpTask, Match, Role, Waakvlam, utcnow
from marketplace.privacy.services import anonymise_request, delete_account, export_user_data
from tests import factories
from tests.aftercare.helpers import once_match


def _followed(db):
    coordinator = factories.user(Role.COORDINATOR)
    resident = factories.user(Role.RESIDENT)
    waakvlam.ensure_default_rhythm()
    started = waakvlam.start(coordinator, resident, waakvlam.rhythms()[0].id, "Na een val")
    [checkin] = db.session.scalars(sa.select(FollowUpTask)).all()
    tasks.close(checkin.id, coordinator, "Gebeld, gaat goed")
    db.session.commit()
    return resident, started


def test_the_export_holds_the_waakvlam_ratings_and_the_not_given_reason(db) -> None:
    resident, _started = _followed(db)
    data = export_user_data(resident)
    [item] = data["waakvlam"]
    assert item["note"] == "Na een val"
    assert [checkin["outcome"] for checkin in item["checkins"]] == ["Gebeld, gaat goed", ""]
    match = once_match(days_ago=1)
    aftercare.report_not_given(match.volunteer, match, "Ik was ziek")
    services.leave_feedback(match.volunteer, match, 2, "Lastig adres")
    db.session.commit()
    exported = export_user_data(match.volunteer)
    assert exported["matches"][0]["not_given_reason"] == "Ik was ziek"
    assert exported["feedback_written"][0]["comment"] == "Lastig adres"


def test_deleting_the_account_removes_the_waakvlam_and_its_checkins(db) -> None:
    resident, _started = _followed(db)
    delete_account(resident)
    db.session.commit()
    assert db.session.scalars(sa.select(Waakvlam)).all() == []
    assert db.session.scalars(sa.select(FollowUpTask)).all() == []


def test_the_reasons_and_sentences_go_with_the_account_and_the_request(db) -> None:
    match = once_match(days_ago=1)
    aftercare.report_not_given(match.volunteer, match, "Ik was ziek")
    services.leave_feedback(match.volunteer, match, 1, "Niemand deed open")
    db.session.commit()
    delete_account(match.volunteer)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Match, match.id).not_given_reason == ""
    assert db.session.scalar(sa.select(Feedback.comment)) == ""
    other = once_match(days_ago=1)
    aftercare.report_not_given(other.help_request.requester, other, "Vergeten")
    anonymise_request(other.help_request, utcnow())
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Match, other.id).not_given_reason == ""


def test_after_the_retention_period_stopped_waakvlams_and_outcomes_go(db) -> None:
    from datetime import timedelta

    from marketplace.privacy.services import purge_closed_requests

    resident, started = _followed(db)
    waakvlam.stop(factories.user(Role.COORDINATOR), started.id)
    db.session.commit()
    purge_closed_requests(utcnow(), 365)
    assert db.session.scalars(sa.select(Waakvlam)).all() == [started]  # not yet due
    purge_closed_requests(utcnow() + timedelta(days=366), 365)
    db.session.commit()
    assert db.session.scalars(sa.select(Waakvlam)).all() == []
    assert db.session.scalars(sa.select(FollowUpTask)).all() == []
    assert resident.anonymised_at is None

"""Builders for the aftercare tests: accepted one-off and weekly help on chosen days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.matches import services
from marketplace.models import FollowUpTask, Match, Timing
from marketplace.vocabulary import TaskKind, local_today
from tests.matches.helpers import make_volunteer, open_request


def once_match(days_ago: int, **fields: Any) -> Match:
    """Accepted one-off help planned ``days_ago`` days ago (negative: still to come)."""
    volunteer = make_volunteer()
    help_request = open_request(date_start=date(2030, 1, 7), **fields)
    match = services.pick_request(volunteer, help_request)
    help_request.date_start = local_today() - timedelta(days=days_ago)
    db.session.commit()
    return match


def weekly_match(started_days_ago: int) -> Match:
    """Accepted weekly help (Monday mornings), agreed ``started_days_ago`` days ago."""
    volunteer = make_volunteer(skills=("boodschappen", "maatje"), vog_status="valid")
    help_request = open_request(timing=Timing.WEEKLY, weekday="mon", date_start=None)
    match = services.pick_request(volunteer, help_request)
    assert match.decided_at is not None
    match.decided_at -= timedelta(days=started_days_ago)
    db.session.commit()
    return match


def tasks_of(kind: TaskKind) -> list[FollowUpTask]:
    return list(db.session.scalars(
        sa.select(FollowUpTask).where(FollowUpTask.kind == kind).order_by(FollowUpTask.id)
    ))

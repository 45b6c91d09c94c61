"""Entries their owners have not checked for ``SOCIAL_MAP_STALE_DAYS`` are flagged: each
maintainer is told once per entry and check (the notification key holds the date of the last
check, so after "checked" and another stale period they are told again).

Also here, because it runs on the same tick: an open suggestion's e-mail address is
forgotten after ``RETENTION_DAYS``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    MemberRole,
    OrganisationMember,
    Role,
    Service,
    Suggestion,
    User,
    UserRole,
)
from marketplace.notifications import notify
from marketplace.socialmap.maintenance import stale_before
from marketplace.vocabulary import NotificationKind


def owners(organisation_id: int) -> list[User]:
    """Who is told about the organisation's entries: its coordinators, else the admins."""
    coordinators = list(db.session.scalars(
        sa.select(User).join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == organisation_id,
               OrganisationMember.role == MemberRole.COORDINATOR)
        .order_by(User.id)
    ))
    if coordinators:
        return coordinators
    return list(db.session.scalars(
        sa.select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.ADMIN).order_by(User.id)
    ))


def stale_services(today: date, stale_days: int) -> list[Service]:
    """Services (of any status but defunct) last checked before the stale limit, or never."""
    limit = stale_before(today, stale_days)
    return list(db.session.scalars(
        sa.select(Service).where(
            sa.or_(Service.last_checked_on.is_(None), Service.last_checked_on < limit),
            Service.status != "defunct",
        ).order_by(Service.id)
    ))


def flag_stale(today: date, stale_days: int) -> int:
    """Notify the owners of every stale entry (in the current transaction; no commit).
    Returns how many notifications were written; 0 on a second run."""
    written = 0
    for service in stale_services(today, stale_days):
        checked = service.last_checked_on.isoformat() if service.last_checked_on else "never"
        for person in owners(service.organisation_id):
            key = f"social_map_stale:{person.id}:{service.uuid}:{checked}"
            if notify(person, NotificationKind.SOCIAL_MAP_STALE, key=key,
                      service=service.name) is not None:
                written += 1
    return written


def forget_old_emails(now: datetime, retention_days: int) -> int:
    """Blank the e-mail addresses of suggestions older than the retention period."""
    result = db.session.execute(
        sa.update(Suggestion)
        .where(Suggestion.email != "",
               Suggestion.created_at < now - timedelta(days=retention_days))
        .values(email="")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def tick(now: datetime) -> int:
    """The sociale kaart's part of the notifications tick: flag stale entries and forget old
    suggestion addresses, in one transaction of its own. Returns notifications written."""
    from flask import current_app

    from marketplace.transaction import commit
    from marketplace.vocabulary import LOCAL_ZONE

    today = now.astimezone(LOCAL_ZONE).date()
    written = flag_stale(today, int(current_app.config["SOCIAL_MAP_STALE_DAYS"]))
    forget_old_emails(now, int(current_app.config["RETENTION_DAYS"]))
    commit()
    return written

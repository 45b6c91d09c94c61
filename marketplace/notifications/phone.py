"""The coordinator's "to phone" list: residents without a confirmed e-mail address hear
what concerns them from their coordinator (issue 11 point 2).

A notification with ``phone_needed`` waits on the list of the coordinators of its request's
neighbourhood (staff without a neighbourhood see every one) until somebody marks it phoned.
The list is a filter, not a wall: the meldpunt is central, so any staff member may mark a
call as done (a colleague phoned for another neighbourhood).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from marketplace import audit
from marketplace.access import require_staff
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import HelpRequest, Notification, User, utcnow
from marketplace.notifications.texts import Words, describe

#: More than a coordinator phones in a day; the oldest first (the full list's page).
LIMIT = 100
#: The dashboard shows the oldest few and links to the full list.
DASHBOARD_LIMIT = 10


def _waiting() -> sa.Select[Notification]:
    return (
        sa.select(Notification)
        .join(HelpRequest, Notification.help_request_id == HelpRequest.id)
        .where(Notification.phone_needed.is_(True), Notification.phoned_at.is_(None))
    )


@dataclass(frozen=True)
class Calls:
    """The oldest waiting calls in a coordinator's view, and how many wait in it in all."""

    shown: list[tuple[Notification, Words]]
    total: int


def own_neighbourhood_only(coordinator: User, everywhere: bool = False) -> bool:
    """The list shows only the coordinator's neighbourhood: they have one and did not ask for
    every neighbourhood's calls (staff without a neighbourhood always see them all)."""
    return coordinator.neighbourhood_id is not None and not everywhere


def _in_view(coordinator: User, everywhere: bool) -> sa.Select[Notification]:
    query = _waiting()
    if own_neighbourhood_only(coordinator, everywhere):
        query = query.where(HelpRequest.neighbourhood_id == coordinator.neighbourhood_id)
    return query


def calls_for(coordinator: User, *, everywhere: bool = False, limit: int = LIMIT) -> Calls:
    """The calls waiting for ``coordinator``'s neighbourhood (all when they have none, or
    with ``everywhere``): the oldest ``limit``, each with what to tell (in the active
    language), and how many there are. Raises NotAllowed for anyone but staff."""
    require_staff(coordinator)
    # The three are many-to-one: joined into the same statement (one round trip, not four).
    query = _in_view(coordinator, everywhere).options(
        joinedload(Notification.recipient), joinedload(Notification.help_request),
        joinedload(Notification.match),
    ).order_by(Notification.created_at, Notification.id).limit(limit)
    shown = [(notification, describe(notification))
             for notification in db.session.scalars(query).unique()]
    total = len(shown)
    if total == limit:  # there may be more: count them
        counted = sa.select(sa.func.count()).select_from(
            _in_view(coordinator, everywhere).subquery())
        total = db.session.scalar(counted) or 0
    return Calls(shown, total)


def count_elsewhere(coordinator: User) -> int:
    """How many calls wait outside ``coordinator``'s neighbourhood: the dashboard says so,
    so the list is never silently filtered (0 for staff without a neighbourhood)."""
    require_staff(coordinator)
    if not own_neighbourhood_only(coordinator):
        return 0
    query = _waiting().where(
        sa.or_(HelpRequest.neighbourhood_id.is_(None),
               HelpRequest.neighbourhood_id != coordinator.neighbourhood_id)
    )
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def mark_phoned(coordinator: User, notification_id: int) -> Notification:
    """Record that ``coordinator`` phoned about a waiting call (who and when, and a line in
    the audit log in words). Raises NotFound for a call that is not waiting (done already,
    or no call at all)."""
    require_staff(coordinator)
    notification = db.session.scalar(_waiting().where(Notification.id == notification_id))
    if notification is None:
        raise NotFound(_l("Dit telefoontje staat niet (meer) op uw lijst."))
    notification.phoned_at = utcnow()
    notification.phoned_by_id = coordinator.id
    subject = describe(notification).subject
    audit.record(coordinator, "notification.phoned", notification.help_request,
                 f"{notification.recipient.name} gebeld over: {subject}")
    db.session.flush()
    return notification

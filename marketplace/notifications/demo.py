"""Notifications for the demo (``flask demo``): every demo login finds its bell in use.

Written through :func:`marketplace.notifications.notify` with the keys the real events use,
for what the demo data shows (an approved request, a volunteer who helps, a proposal, a
cancellation, questions to residents without e-mail on the coordinator's phone list). They
count as mailed before the demo began: nothing is sent, and the oldest is read.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.matches import lifecycle as match_lifecycle
from marketplace.models import (
    HelpRequest,
    Match,
    MatchStatus,
    Notification,
    NotificationMail,
    RequestSource,
    RequestStatus,
    User,
    VolunteerProfile,
)
from marketplace.notifications.services import notify
from marketplace.vocabulary import NotificationKind as K

R = RequestStatus


def _match(help_request: HelpRequest, status: MatchStatus) -> Match | None:
    return db.session.scalar(sa.select(Match).where(
        Match.help_request_id == help_request.id, Match.status == status))


def _for_resident(resident: User) -> None:
    requests = db.session.scalars(
        sa.select(HelpRequest).where(HelpRequest.requester_id == resident.id)).unique()
    for help_request in requests:
        if help_request.status in (R.OPEN, R.PROPOSED, R.MATCHED):
            notify(resident, K.REQUEST_APPROVED,
                   key=f"request_approved:request:{help_request.id}:demo",
                   help_request=help_request, title=help_request.title)
        match = _match(help_request, MatchStatus.ACCEPTED)
        if match is not None:
            notify(resident, K.MATCH_ACCEPTED, key=f"match_accepted:match:{match.id}",
                   help_request=help_request, match=match, title=help_request.title)


def _for_volunteer(volunteer: User) -> None:
    matches = db.session.scalars(sa.select(Match).where(
        Match.volunteer_id == volunteer.id, Match.status == MatchStatus.PROPOSED)).unique()
    for match in matches:
        notify(volunteer, K.PROPOSAL_NEW, key=f"proposal_new:match:{match.id}",
               help_request=match.help_request, match=match, title=match.help_request.title)
    open_count = db.session.scalar(
        sa.select(sa.func.count(HelpRequest.id)).where(HelpRequest.status == R.OPEN)) or 0
    notify(volunteer, K.DIGEST, key=f"digest:demo:{volunteer.id}", requests=int(open_count))


def _for_referrer(referrer: User) -> None:
    referred = db.session.scalars(
        sa.select(HelpRequest).where(
            HelpRequest.created_by_id == referrer.id,
            HelpRequest.source == RequestSource.REFERRER,
            HelpRequest.status == R.MATCHED,
        ).order_by(HelpRequest.id).limit(3)
    ).unique()
    for help_request in referred:
        match = _match(help_request, MatchStatus.ACCEPTED)
        if match is not None:
            notify(referrer, K.MATCH_ACCEPTED, key=f"match_accepted:match:{match.id}:referrer",
                   help_request=help_request, title=help_request.title, for_referrer=True)


def _cancellation(staff: list[User]) -> None:
    """A volunteer called off help for an open request in the coordinator's neighbourhood:
    the coordinators and the resident were told."""
    neighbourhood_id = staff[0].neighbourhood_id
    help_request = db.session.scalar(
        sa.select(HelpRequest).where(HelpRequest.status == R.OPEN,
                                     HelpRequest.neighbourhood_id == neighbourhood_id)
        .order_by(HelpRequest.id).limit(1))
    profile = db.session.scalar(sa.select(VolunteerProfile).order_by(
        VolunteerProfile.user_id.desc()).limit(1))
    if help_request is None or profile is None:
        return
    volunteer = profile.user
    match = match_lifecycle.create(help_request.id, volunteer.id, MatchStatus.ACCEPTED,
                                   volunteer, "demo")
    db.session.flush()
    match_lifecycle.cancel(match, volunteer, "vrijwilliger zegde af: ziek")
    for person in [help_request.requester, *staff]:
        notify(person, K.MATCH_CANCELLED, key=f"match_cancelled:{match.id}:{person.id}",
               help_request=help_request, match=match, title=help_request.title,
               by="volunteer", reason="Ik ben ziek geworden.", urgent=False)


#: What a resident without e-mail was told by phone, per state of their request.
_PHONED = {R.NEEDS_INFO: K.REQUEST_INFO_NEEDED, R.OPEN: K.REQUEST_APPROVED,
           R.REJECTED: K.REQUEST_REJECTED, R.ESCALATED: K.REQUEST_ESCALATED}


def _phone_list() -> None:
    """Residents who have no e-mail address hear of their request from the coordinator."""
    waiting = db.session.scalars(
        sa.select(HelpRequest).join(User, HelpRequest.requester_id == User.id)
        .where(HelpRequest.status.in_(list(_PHONED)), User.email.is_(None))
        .order_by(HelpRequest.id)
    ).unique()
    for help_request in waiting:
        kind = _PHONED[help_request.status]
        notify(help_request.requester, kind,
               key=f"{kind.value}:request:{help_request.id}:demo",
               help_request=help_request, title=help_request.title,
               note=help_request.status_note if kind != K.REQUEST_APPROVED else "")


def seed_demo_notifications(resident: User, volunteer: User, referrer: User,
                            staff: list[User]) -> int:
    """Write the demo's notifications (the caller commits). Returns how many."""
    _for_resident(resident)
    _for_volunteer(volunteer)
    _for_referrer(referrer)
    _cancellation(staff)
    _phone_list()
    db.session.flush()
    rows = list(db.session.scalars(sa.select(Notification).order_by(Notification.id)))
    per_person = Counter(row.recipient_id for row in rows)
    read: set[int] = set()
    for row in rows:
        if row.mail == NotificationMail.QUEUED:
            row.mail, row.emailed_at = NotificationMail.SENT, row.created_at
        if per_person[row.recipient_id] > 1 and row.recipient_id not in read:
            row.read_at = row.created_at  # the oldest is read already; the rest is new
            read.add(row.recipient_id)
    return len(rows)

"""Personal data: export, account deletion and retention (AVG / GDPR).

Services flush and never commit; the caller (a view or the CLI) commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from marketplace import audit, outbox
from marketplace.aftercare import privacy as aftercare_privacy
from marketplace.carers import privacy as carer_privacy
from marketplace.conversations import privacy as conversation_privacy
from marketplace.extensions import db
from marketplace.matches import lifecycle as match_lifecycle
from marketplace.models import (
    AuditEntry,
    Concern,
    Feedback,
    HelpRequest,
    Match,
    MatchTransition,
    ReportStory,
    RequestStatus,
    RequestTransition,
    User,
    utcnow,
)
from marketplace.notifications import services as notification_services
from marketplace.organisations import privacy as organisation_privacy
from marketplace.privacy.notification_export import export_notifications, export_preferences
from marketplace.requests import lifecycle

DELETED_NAME = "Verwijderde gebruiker"
# Requests that still wait for help go back to "open" when their volunteer leaves.
BACK_TO_OPEN = (RequestStatus.PROPOSED, RequestStatus.MATCHED)


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def _columns(row: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """All column values of an ORM row, JSON-serialisable (dates as ISO strings)."""
    result: dict[str, Any] = {}
    for column in sa.inspect(row).mapper.column_attrs:
        if column.key in skip:
            continue
        value = getattr(row, column.key)
        result[column.key] = str(value) if hasattr(value, "value") else _iso(value)
    return result


def _export_request(help_request: HelpRequest) -> dict[str, Any]:
    data = _columns(help_request, skip=("version",))
    data["category"] = help_request.category.slug
    data["transitions"] = [
        _columns(row, skip=("help_request_id", "actor_id")) for row in help_request.transitions
    ]
    return data


def _export_match(match: Match, side: str) -> dict[str, Any]:
    """A match as seen by one side; the other side's identity is not theirs to export."""
    data = _columns(match, skip=("explanation", "cost"))
    data["side"] = side
    data["sessions"] = [{"day": visit.day.isoformat(), "hours": visit.hours}
                        for visit in match.sessions]
    if side == "resident":
        data.pop("volunteer_id", None)
    return data


def export_personal_data(user: User) -> dict[str, Any]:
    """:func:`export_user_data` for ``user`` themselves, recorded in the audit log."""
    data = export_user_data(user)
    audit.record(user, "personal_data.exported", user)
    return data


def export_user_data(user: User) -> dict[str, Any]:
    """Everything Hulppunt keeps about ``user``, as a JSON-serialisable dict."""
    account = _columns(user, skip=("password_hash", "security_stamp", "unread_notifications"))
    account["neighbourhood"] = user.neighbourhood.name if user.neighbourhood else None
    profile = None
    if user.volunteer_profile is not None:
        profile = _columns(user.volunteer_profile, skip=("verified_by_id",))
        profile["skills"] = [category.slug for category in user.volunteer_profile.skills]
    requests = db.session.scalars(
        sa.select(HelpRequest)
        .where(sa.or_(HelpRequest.requester_id == user.id, HelpRequest.created_by_id == user.id))
        .order_by(HelpRequest.id)
    ).unique().all()
    own_request_ids = [row.id for row in requests if row.requester_id == user.id]
    as_volunteer = db.session.scalars(
        sa.select(Match).where(Match.volunteer_id == user.id).order_by(Match.id)
    ).unique().all()
    as_resident = db.session.scalars(
        sa.select(Match).where(Match.help_request_id.in_(own_request_ids)).order_by(Match.id)
    ).unique().all() if own_request_ids else []
    feedback = db.session.scalars(
        sa.select(Feedback).where(Feedback.author_id == user.id).order_by(Feedback.id)
    ).all()
    # A sentence a coordinator chose for the council report (shown there without a name).
    chosen = {feedback_id: at for feedback_id, at in db.session.execute(
        sa.select(ReportStory.feedback_id, ReportStory.chosen_at)
        .where(ReportStory.feedback_id.in_([row.id for row in feedback]))
    )} if feedback else {}
    concerns = db.session.scalars(
        sa.select(Concern).where(Concern.reporter_id == user.id).order_by(Concern.id)
    ).all()
    accesses = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.target_type == "User", AuditEntry.target_id == user.id)
        .order_by(AuditEntry.id)
    ).all()
    return {
        "exported_at": utcnow().isoformat(),
        "account": account,
        "roles": sorted(str(role) for role in user.roles),
        "volunteer_profile": profile,
        "requests": [_export_request(row) for row in requests],
        "matches": [_export_match(m, "volunteer") for m in as_volunteer]
        + [_export_match(m, "resident") for m in as_resident],
        "feedback_written": [
            {**_columns(row), "chosen_for_council_report_at": _iso(chosen.get(row.id))}
            for row in feedback
        ],
        "concerns": [_columns(row, skip=("handled_by_id",)) for row in concerns],
        "waakvlam": aftercare_privacy.export(user),
        "notifications": export_notifications(user),
        "notification_preferences": export_preferences(user),
        "messages": conversation_privacy.export_messages(user),
        "message_mail_setting": conversation_privacy.export_setting(user),
        "organisations": organisation_privacy.export_memberships(user),
        "organisation_referrals": organisation_privacy.export_referrals(own_request_ids),
        "access_log": [
            {"at": _iso(row.at), "action": row.action, "detail": row.detail} for row in accesses
        ],
        **carer_privacy.export_carer_data(user),
    }


def _pc4(postcode: str | None) -> str:
    return (postcode or "").replace(" ", "")[:4]


def anonymise_request(help_request: HelpRequest, now: datetime) -> None:
    """Blank the free text and address of a request; keep what the indicators count.

    Kept: category, neighbourhood, source, status, dates, urgency, four-digit postcode and
    coordinates rounded to about a kilometre. Idempotent.
    """
    help_request.title = ""
    help_request.description = ""
    help_request.address = ""
    help_request.own_network = ""
    help_request.can_offer = ""
    help_request.status_note = ""
    help_request.postcode = _pc4(help_request.postcode)
    help_request.latitude = round(help_request.latitude, 2)
    help_request.longitude = round(help_request.longitude, 2)
    if help_request.anonymised_at is None:
        help_request.anonymised_at = now
    db.session.execute(
        sa.update(RequestTransition)
        .where(RequestTransition.help_request_id == help_request.id)
        .values(note="")
    )
    db.session.execute(
        sa.update(Match).where(Match.help_request_id == help_request.id).values(decline_reason="")
    )
    match_ids = sa.select(Match.id).where(Match.help_request_id == help_request.id)
    db.session.execute(
        sa.update(MatchTransition)
        .where(MatchTransition.match_id.in_(match_ids))
        .values(note="")
    )
    notification_services.forget_request(help_request)
    aftercare_privacy.forget_request(help_request)
    conversation_privacy.forget_request(help_request, now)
    carer_privacy.forget_respite(help_request)
    organisation_privacy.forget_request(help_request)


def _withdraw_matches(matches: list[Match], actor: User, note: str) -> None:
    """Withdraw matches still in play; a request that lost its volunteer goes back to open."""
    for match in matches:
        match_lifecycle.withdraw(match, actor, note)
        help_request = match.help_request
        if help_request.status in BACK_TO_OPEN and help_request.requester_id != actor.id:
            lifecycle.transition(help_request, RequestStatus.OPEN, actor, note)


def _close_request(help_request: HelpRequest, actor: User, note: str) -> None:
    """Cancel a request that is still running (escalated ones via open)."""
    if help_request.status in lifecycle.CLOSED:
        return
    if not lifecycle.can_transition(help_request, RequestStatus.CANCELLED):
        lifecycle.transition(help_request, RequestStatus.OPEN, actor, note)
    lifecycle.transition(help_request, RequestStatus.CANCELLED, actor, note)


def delete_account(user: User, now: datetime | None = None) -> None:
    """Delete ``user``'s account: anonymise what the indicators need, remove the rest.

    Running matches are withdrawn (a request that loses its volunteer goes back to open),
    the user's own running requests are cancelled, all their requests are anonymised, the
    volunteer profile is deleted and the account row keeps only its roles (for counting).
    Open concerns are kept for the staff's follow-up. Idempotent. The caller commits.
    """
    now = now or utcnow()
    note = "Account verwijderd"
    _withdraw_matches(
        list(db.session.scalars(
            sa.select(Match).where(
                Match.volunteer_id == user.id, Match.status.in_(match_lifecycle.IN_PLAY)
            )
        ).unique()),
        user,
        note,
    )
    own_requests = db.session.scalars(
        sa.select(HelpRequest).where(HelpRequest.requester_id == user.id)
    ).unique().all()
    for help_request in own_requests:
        # Cancelling withdraws the request's matches (lifecycle.WITHDRAWS_MATCHES).
        _close_request(help_request, user, note)
        anonymise_request(help_request, now)
    _forget_texts(user)
    aftercare_privacy.forget(user)
    conversation_privacy.forget_author(user, now)
    carer_privacy.delete_carer_data(user)
    notification_services.forget_recipient(user)
    organisation_privacy.forget_member(user)
    if user.email:
        outbox.forget_address(user.email)
    _anonymise_user(user, now)
    audit.record(None, "account.deleted", user, f"{len(own_requests)} aanvragen geanonimiseerd")
    db.session.flush()


def _forget_texts(user: User) -> None:
    db.session.execute(
        sa.update(Feedback).where(Feedback.author_id == user.id).values(comment="")
    )
    db.session.execute(
        sa.update(Concern)
        .where(Concern.reporter_id == user.id, Concern.status != "open")
        .values(message="")
    )


def _anonymise_user(user: User, now: datetime) -> None:
    user.email = None
    user.name = DELETED_NAME
    user.phone = None
    user.address = None
    user.postcode = None
    user.password_hash = None
    user.calendar_token_hash = None
    user.active = False
    user.security_stamp = (user.security_stamp or 0) + 1
    if user.anonymised_at is None:
        user.anonymised_at = now
    if user.volunteer_profile is not None:
        user.volunteer_profile = None


def closed_requests_due(now: datetime, retention_days: int) -> sa.Select[HelpRequest]:
    """Closed, not yet anonymised requests whose ``closed_at`` is older than the retention."""
    cutoff = now - timedelta(days=retention_days)
    return sa.select(HelpRequest).where(
        HelpRequest.status.in_(lifecycle.CLOSED),
        HelpRequest.closed_at.is_not(None),
        HelpRequest.closed_at < cutoff,
        HelpRequest.anonymised_at.is_(None),
    )


def count_due(now: datetime, retention_days: int) -> int:
    query = closed_requests_due(now, retention_days).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(query)) or 0


#: Delivered outbox messages (rendered mail with names) are kept this long, for support.
SENT_MAIL_DAYS = 14


def purge_closed_requests(now: datetime, retention_days: int) -> int:
    """Anonymise closed requests past the retention period; returns how many.

    Idempotent (already anonymised rows are skipped) and safe to run from cron: each run
    touches only rows that are due. Raises ``ValueError`` for a negative retention.
    """
    if retention_days < 0:
        raise ValueError("retention_days must be zero or more")
    rows = db.session.scalars(closed_requests_due(now, retention_days)).unique().all()
    for help_request in rows:
        anonymise_request(help_request, now)
    outbox.prune_done(now - timedelta(days=SENT_MAIL_DAYS))
    aftercare_privacy.purge(now - timedelta(days=retention_days))
    carer_privacy.purge_old_checks(now, retention_days)
    if rows:
        audit.record(None, "personal_data.purged", None, f"{len(rows)} aanvragen geanonimiseerd")
    db.session.flush()
    return len(rows)

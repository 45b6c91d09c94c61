"""The life of a help request as an explicit state machine.

    submitted -> open -> proposed -> matched -> done
    with needs_info, cancelled, rejected and escalated on the side; an open request the
    requester changed goes back to submitted, to be checked again.

:func:`transition` is the only code that changes ``HelpRequest.status``. It checks first and
changes nothing when the move is illegal, so a refused transition is never half-applied.
"""

from __future__ import annotations

from marketplace.errors import InvalidTransition
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.matches import lifecycle as match_lifecycle
from marketplace.models import (
    HelpRequest,
    RequestStatus,
    RequestTransition,
    User,
    utcnow,
)
from marketplace.referrals import report as referral_report
from marketplace.vocabulary import REQUEST_STATUS_LABELS as STATUS_LABELS

S = RequestStatus

ALLOWED: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.SUBMITTED: frozenset({S.OPEN, S.NEEDS_INFO, S.REJECTED, S.ESCALATED, S.CANCELLED}),
    S.NEEDS_INFO: frozenset({S.SUBMITTED, S.REJECTED, S.ESCALATED, S.CANCELLED}),
    S.OPEN: frozenset({S.PROPOSED, S.MATCHED, S.SUBMITTED, S.ESCALATED, S.CANCELLED}),
    S.PROPOSED: frozenset({S.MATCHED, S.OPEN, S.ESCALATED, S.CANCELLED}),
    S.MATCHED: frozenset({S.DONE, S.OPEN, S.CANCELLED}),
    S.ESCALATED: frozenset({S.OPEN, S.DONE}),
    S.DONE: frozenset(),
    S.CANCELLED: frozenset(),
    S.REJECTED: frozenset(),
}

# Moves that must say why (shown to the resident or referrer).
REASON_REQUIRED = frozenset({S.REJECTED, S.NEEDS_INFO, S.ESCALATED})
CLOSED = frozenset({S.DONE, S.CANCELLED, S.REJECTED})

# Leaving the marketplace this way ends every pairing still in play for the request (back to
# submitted: a round's suggestions were made for what the request said before it changed).
WITHDRAWS_MATCHES = frozenset({S.SUBMITTED, S.CANCELLED, S.REJECTED, S.ESCALATED})


def can_transition(help_request: HelpRequest, to_status: RequestStatus) -> bool:
    return to_status in ALLOWED[help_request.status]


def transition(
    help_request: HelpRequest,
    to_status: RequestStatus,
    actor: User | None,
    note: str = "",
) -> RequestTransition:
    """Move ``help_request`` to ``to_status`` and record who did it, when and why.

    Raises :class:`InvalidTransition` (and changes nothing) when the move is not allowed from
    the current state or a required reason is missing. The caller commits.
    """
    from_status = help_request.status
    if to_status not in ALLOWED[from_status]:
        raise InvalidTransition(
            _l(
                "Deze aanvraag kan niet van '%(current)s' naar '%(target)s'.",
                current=STATUS_LABELS[from_status],
                target=STATUS_LABELS[to_status],
            )
        )
    note = (note or "").strip()
    if to_status in REASON_REQUIRED and not note:
        raise InvalidTransition(_l("Geef een reden op."))
    now = utcnow()
    help_request.status = to_status
    help_request.status_note = note[:500]
    if to_status == S.OPEN and help_request.opened_at is None:
        help_request.opened_at = now
    if to_status == S.MATCHED:
        help_request.matched_at = now
    if to_status in CLOSED:
        help_request.closed_at = now
    if to_status in WITHDRAWS_MATCHES and help_request.id is not None:
        match_lifecycle.withdraw_all(
            match_lifecycle.in_play_for(help_request.id), actor,
            f"aanvraag: {STATUS_LABELS[to_status]}",
        )
    record = RequestTransition(
        help_request=help_request,
        from_status=from_status,
        to_status=to_status,
        actor_id=actor.id if actor is not None else None,
        note=note[:500],
        at=now,
    )
    db.session.add(record)
    referral_report.status_changed(help_request, actor)
    return record


def record_change(help_request: HelpRequest, actor: User | None, note: str) -> RequestTransition:
    """Record in the history that the request's content changed while its status stayed
    (a resident corrected a request that waits for approval).

    The note becomes the status note, so a coordinator reads it next to the status. Raises
    :class:`InvalidTransition` when ``note`` is empty (a history line must say what changed).
    The caller commits.
    """
    note = (note or "").strip()[:500]
    if not note:
        raise InvalidTransition(_l("Geef een reden op."))
    help_request.status_note = note
    record = RequestTransition(
        help_request=help_request,
        from_status=help_request.status,
        to_status=help_request.status,
        actor_id=actor.id if actor is not None else None,
        note=note,
        at=utcnow(),
    )
    db.session.add(record)
    return record


def record_creation(help_request: HelpRequest, actor: User | None) -> RequestTransition:
    """Record the first state of a new request (from nothing to submitted)."""
    record = RequestTransition(
        help_request=help_request,
        from_status=None,
        to_status=help_request.status,
        actor_id=actor.id if actor is not None else None,
    )
    db.session.add(record)
    return record

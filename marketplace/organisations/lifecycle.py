"""The life of a request routed to a partner organisation, as an explicit state machine.

    (new) -> routed -> assigned | returned | timed_out | withdrawn

A coordinator of the meldpunt (or a matching round) *routes* a request to an organisation;
the organisation's coordinator *assigns* one of its volunteers (the request then becomes an
ordinary proposal to that volunteer) or *returns* it with a reason; left unanswered until
``due_at`` it *times out* and is back in the meldpunt's queue by itself. It is *withdrawn*
when the request was taken or closed meanwhile.

This module is the only code that assigns ``OrganisationReferral.status``; every move is
recorded (who, when, why) in ``referral_transitions``.
"""

from __future__ import annotations

from datetime import datetime

from marketplace.errors import InvalidTransition
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import OrganisationReferral, ReferralTransition, User, utcnow
from marketplace.vocabulary import ReferralStatus

S = ReferralStatus

ALLOWED: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    S.ROUTED: frozenset({S.ASSIGNED, S.RETURNED, S.TIMED_OUT, S.WITHDRAWN}),
    S.ASSIGNED: frozenset(),
    S.RETURNED: frozenset(),
    S.TIMED_OUT: frozenset(),
    S.WITHDRAWN: frozenset(),
}
#: Waiting for the organisation: the request is not in the meldpunt's queue meanwhile.
WAITING = frozenset({S.ROUTED})


def create(
    help_request_id: int,
    organisation_id: int,
    actor: User | None,
    due_at: datetime,
    note: str = "",
) -> OrganisationReferral:
    """A new referral, routed (the caller checks the request and commits)."""
    referral = OrganisationReferral(
        help_request_id=help_request_id, organisation_id=organisation_id,
        status=S.ROUTED, routed_by_id=actor.id if actor is not None else None,
        note=(note or "").strip()[:500], due_at=due_at, explanation={},
    )
    db.session.add(referral)
    _record(referral, None, S.ROUTED, actor, note, utcnow())
    return referral


def transition(
    referral: OrganisationReferral,
    to_status: ReferralStatus,
    actor: User | None,
    note: str = "",
    at: datetime | None = None,
) -> None:
    """Move ``referral`` to ``to_status`` and record who, when (``at``, default now) and why.

    Raises :class:`InvalidTransition` and changes nothing when the move is not allowed (the
    organisation answered already). The caller commits.
    """
    from_status = referral.status
    if to_status not in ALLOWED[from_status]:
        raise InvalidTransition(
            _l("Deze aanvraag is al afgehandeld door de organisatie (%(status)s).",
               status=from_status.label)
        )
    now = at or utcnow()
    referral.status = to_status
    referral.decided_at = now
    _record(referral, from_status, to_status, actor, note, now)


def _record(
    referral: OrganisationReferral,
    from_status: ReferralStatus | None,
    to_status: ReferralStatus,
    actor: User | None,
    note: str,
    at: datetime,
) -> None:
    referral.transitions.append(ReferralTransition(
        from_status=from_status, to_status=to_status,
        actor_id=actor.id if actor is not None else None,
        note=(note or "").strip()[:500], at=at,
    ))

"""Personal data of the partner-organisation feature, for :mod:`marketplace.privacy`: what a
person's export shows (the organisations they belong to, where their requests were sent), and
what is forgotten with a request (the notes about it) or an account (its memberships)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    HelpRequest,
    OrganisationMember,
    OrganisationReferral,
    ReferralTransition,
    User,
)


def export_memberships(user: User) -> list[dict[str, Any]]:
    """The organisations ``user`` belongs to, as coordinator or volunteer."""
    rows = db.session.scalars(
        sa.select(OrganisationMember).where(OrganisationMember.user_id == user.id)
    )
    return [{"organisation": row.organisation.name, "role": str(row.role),
             "since": row.created_at.isoformat()} for row in rows]


def export_referrals(request_ids: list[int]) -> list[dict[str, Any]]:
    """Where the person's own requests were sent: organisation, status, dates and the notes."""
    if not request_ids:
        return []
    rows = db.session.scalars(
        sa.select(OrganisationReferral)
        .where(OrganisationReferral.help_request_id.in_(request_ids))
        .order_by(OrganisationReferral.id)
    )
    return [{"request_id": row.help_request_id, "organisation": row.organisation.name,
             "status": str(row.status), "routed_at": row.created_at.isoformat(),
             "decided_at": row.decided_at.isoformat() if row.decided_at else None,
             "note": row.note, "reason": row.reason} for row in rows]


def forget_request(help_request: HelpRequest) -> None:
    """Blank what people typed about the request's referrals (kept: who, when, the status)."""
    db.session.execute(
        sa.update(OrganisationReferral)
        .where(OrganisationReferral.help_request_id == help_request.id)
        .values(note="", reason="")
    )
    referral_ids = sa.select(OrganisationReferral.id).where(
        OrganisationReferral.help_request_id == help_request.id)
    db.session.execute(
        sa.update(ReferralTransition)
        .where(ReferralTransition.referral_id.in_(referral_ids))
        .values(note="")
    )


def forget_member(user: User) -> None:
    """A deleted account belongs to no organisation any more."""
    db.session.execute(sa.delete(OrganisationMember).where(OrganisationMember.user_id == user.id))

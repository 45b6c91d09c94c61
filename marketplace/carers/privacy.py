"""The carers' personal data: in the export, gone with the account, and past the retention
period only what the indicators count. Functions flush nothing themselves; the caller's
transaction (``privacy.services``) commits."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import CarerCheck, CarerProfile, HelpRequest, RespiteDetails, User


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def export_carer_data(user: User) -> dict[str, Any]:
    """The carer profile, every overload check and the respite details of ``user``'s own
    requests, JSON-serialisable (keys ``carer_profile``, ``carer_checks``, ``respite``)."""
    profile = db.session.scalar(sa.select(CarerProfile).where(CarerProfile.user_id == user.id))
    checks = db.session.scalars(
        sa.select(CarerCheck).where(CarerCheck.user_id == user.id).order_by(CarerCheck.id))
    respite = db.session.scalars(
        sa.select(RespiteDetails).join(HelpRequest)
        .where(HelpRequest.requester_id == user.id).order_by(RespiteDetails.help_request_id))
    return {
        "carer_profile": None if profile is None else {
            "relation": profile.relation, "lives_together": profile.lives_together,
            "since": _iso(profile.since), "hours_per_week": profile.hours_per_week,
            "care_kinds": list(profile.care_kinds), "conditions": list(profile.conditions),
            "registered_by_someone_else": profile.registered_by_id is not None,
            "consent_at": _iso(profile.consent_at), "created_at": _iso(profile.created_at),
        },
        "carer_checks": [
            {"taken_at": _iso(row.taken_at), "answers": dict(row.answers),
             "felt_burden": row.felt_burden, "total": row.total, "level": row.level,
             "high_areas": list(row.high_areas)}
            for row in checks
        ],
        "respite": [
            {"request_id": row.help_request_id, "cared_for_name": row.cared_for_name,
             "cared_for_needs": row.cared_for_needs, "carer_needs": row.carer_needs,
             "carer_address": row.carer_address}
            for row in respite
        ],
    }


def delete_carer_data(user: User) -> None:
    """Delete ``user``'s carer profile, checks and respite details (account deletion)."""
    db.session.execute(sa.delete(CarerCheck).where(CarerCheck.user_id == user.id))
    db.session.execute(sa.delete(CarerProfile).where(CarerProfile.user_id == user.id))
    own = sa.select(HelpRequest.id).where(HelpRequest.requester_id == user.id)
    db.session.execute(sa.delete(RespiteDetails).where(RespiteDetails.help_request_id.in_(own)))


def forget_respite(help_request: HelpRequest) -> None:
    """An anonymised request keeps no names, needs or addresses of the two people."""
    db.session.execute(
        sa.delete(RespiteDetails).where(RespiteDetails.help_request_id == help_request.id))


def purge_old_checks(now: datetime, retention_days: int) -> int:
    """Unlink checks older than the retention period from their carer and drop the answers;
    the level, total and neighbourhood stay for the indicators. Returns how many."""
    cutoff = now - timedelta(days=retention_days)
    result = db.session.execute(
        sa.update(CarerCheck)
        .where(CarerCheck.taken_at < cutoff, CarerCheck.user_id.is_not(None))
        .values(user_id=None, answers={}, high_areas=[])
    )
    return int(getattr(result, "rowcount", 0) or 0)

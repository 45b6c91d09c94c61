"""Writing to the audit log. Services call :func:`record` for every change that matters."""

from __future__ import annotations

from marketplace.extensions import db
from marketplace.models import AuditEntry, User


def record(
    actor: User | None,
    action: str,
    target: object | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add an audit entry to the session (the caller's transaction commits it)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=getattr(target, "id", None),
        detail=detail[:500],
    )
    db.session.add(entry)
    return entry

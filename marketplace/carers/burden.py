"""A carer's burden as the matching sees it (kept free of the feature's other imports so the
conversion layer can ask it)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from marketplace.carers.scoring import LEVELS
from marketplace.extensions import db
from marketplace.models import CarerCheck


def burden_levels(user_ids: Iterable[int]) -> dict[int, int]:
    """user id -> burden level (0 light, 1 raised, 2 overloaded) of their latest check;
    people without a check are left out (the matching reads them as 0)."""
    ids = set(user_ids)
    if not ids:
        return {}
    latest = (
        sa.select(CarerCheck.user_id, sa.func.max(CarerCheck.id).label("last_id"))
        .where(CarerCheck.user_id.in_(ids)).group_by(CarerCheck.user_id).subquery()
    )
    rows = db.session.execute(
        sa.select(CarerCheck.user_id, CarerCheck.level)
        .join(latest, CarerCheck.id == latest.c.last_id)
    )
    return {user_id: LEVELS.index(level) for user_id, level in rows
            if user_id is not None and level in LEVELS}

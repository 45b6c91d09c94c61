"""Waakvlam: periodic check-ins with a resident, against relapse, in a staged rhythm.

The rhythm is data (:class:`WaakvlamRhythm`, named, stored in the database): a list of
stages ``[{"every_days": 7, "times": 4}, {"every_days": 30, "times": null}]`` read in
order, ``times: null`` meaning "from then on". Each check-in is a
:class:`~marketplace.models.tasks.FollowUpTask` of kind ``waakvlam``;
:mod:`marketplace.aftercare.waakvlam` is the only writer of both tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, intpk

if TYPE_CHECKING:
    from marketplace.models.users import User


class WaakvlamRhythm(Model):
    """A named rhythm of check-ins a coordinator can choose (the admin keeps the list)."""

    __tablename__ = "waakvlam_rhythms"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    stages: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[created_at]


class Waakvlam(Model):
    """One resident followed with check-ins, from ``started_at`` until ``stopped_at``.

    ``stages`` is a copy of the rhythm's stages at the start: changing a named rhythm later
    does not change what was agreed with this resident. ``done`` counts the check-ins held.
    ``note`` says why (in the coordinator's words; personal data).
    """

    __tablename__ = "waakvlams"

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    rhythm_name: Mapped[str] = mapped_column(sa.String(80), default="")
    stages: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    done: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[created_at]
    started_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stopped_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    stopped_by: Mapped[User | None] = relationship(foreign_keys=[stopped_by_id])

    @property
    def running(self) -> bool:
        return self.stopped_at is None

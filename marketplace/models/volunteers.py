"""A volunteer's profile: what they can do, when, where and how far."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model, db
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk
from marketplace.vocabulary import VogStatus

if TYPE_CHECKING:
    from marketplace.models.catalogue import Category, Neighbourhood
    from marketplace.models.users import User

volunteer_skills = sa.Table(
    "volunteer_skills",
    db.metadata,
    sa.Column(
        "volunteer_id",
        sa.ForeignKey("volunteer_profiles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("category_id", sa.ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)


class VolunteerProfile(Model):
    __tablename__ = "volunteer_profiles"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    postcode: Mapped[str] = mapped_column(sa.String(7))
    latitude: Mapped[float]
    longitude: Mapped[float]
    neighbourhood_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    max_travel_km: Mapped[float] = mapped_column(default=5.0)
    # Slot codes such as "mon-morning", see marketplace.vocabulary.SLOTS.
    availability: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    vog_status: Mapped[VogStatus] = enum_column(VogStatus, default=VogStatus.NONE)
    vog_date: Mapped[date | None]
    trainings: Mapped[str] = mapped_column(sa.String(500), default="")
    training_verified: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int] = mapped_column(default=1)
    paused: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship(
        back_populates="volunteer_profile", foreign_keys=[user_id], lazy="joined"
    )
    skills: Mapped[list[Category]] = relationship(secondary=volunteer_skills, lazy="selectin")
    neighbourhood: Mapped[Neighbourhood | None] = relationship(lazy="joined")

    @property
    def has_vog(self) -> bool:
        return self.vog_status == VogStatus.VALID

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def __repr__(self) -> str:
        return f"<VolunteerProfile {self.id} user={self.user_id}>"

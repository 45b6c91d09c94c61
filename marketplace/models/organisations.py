"""Partner organisations behind the meldpunt (Humanitas, Zonnebloem, a neighbourhood
association...): who they are, where they work, what help they give, and who belongs to them.

The same row is the HSDS 3.0 ``organization`` of the sociale kaart (``uuid`` is its HSDS id)
and the partner a coordinator can route a request to.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk, utcnow

if TYPE_CHECKING:
    from marketplace.models.catalogue import Category, Neighbourhood
    from marketplace.models.users import User


organisation_neighbourhoods = sa.Table(
    "organisation_neighbourhoods",
    Model.metadata,
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("neighbourhood_id", sa.ForeignKey("neighbourhoods.id", ondelete="CASCADE"),
              primary_key=True),
)

organisation_categories = sa.Table(
    "organisation_categories",
    Model.metadata,
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("category_id", sa.ForeignKey("categories.id", ondelete="CASCADE"),
              primary_key=True),
)


def new_uuid() -> str:
    return str(uuid.uuid4())


class Organisation(Model):
    """A partner organisation (HSDS ``organization``)."""

    __tablename__ = "organisations"

    id: Mapped[intpk]
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    alternate_name: Mapped[str] = mapped_column(sa.String(120), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str] = mapped_column(sa.String(30), default="")  # E.164, marketplace.phones
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(
        secondary=organisation_neighbourhoods, order_by="Neighbourhood.name"
    )
    categories: Mapped[list[Category]] = relationship(
        secondary=organisation_categories, order_by="Category.position"
    )
    members: Mapped[list[OrganisationMember]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class MemberRole(enum.StrEnum):
    COORDINATOR = "coordinator"  # sees the requests routed to the organisation, assigns
    VOLUNTEER = "volunteer"  # can be assigned by the organisation's coordinator


class OrganisationMember(Model):
    """A person who belongs to an organisation (a volunteer may belong to several, or none)."""

    __tablename__ = "organisation_members"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[MemberRole] = enum_column(MemberRole, primary_key=True)
    created_at: Mapped[created_at]

    organisation: Mapped[Organisation] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

"""Partner organisations behind the meldpunt (Humanitas, Zonnebloem, a neighbourhood
association...): who they are, where they work, what help they give, and who belongs to them.

The same row is the HSDS 3.0 ``organization`` of the sociale kaart (``uuid`` is its HSDS id)
and the partner a coordinator can route a request to.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk, utcnow
from marketplace.vocabulary import ReferralStatus

if TYPE_CHECKING:
    from marketplace.models.catalogue import Category, Neighbourhood
    from marketplace.models.matches import Match
    from marketplace.models.requests import HelpRequest
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
    #: How many requests the organisation takes on in one matching round (issue 17).
    capacity_per_round: Mapped[int] = mapped_column(default=3, server_default="3")
    #: Hours it has to answer a routed request (None: ``ORGANISATION_ANSWER_HOURS``).
    answer_hours: Mapped[int | None] = mapped_column(default=None)

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


class OrganisationReferral(Model):
    """A request a meldpunt coordinator (or a round) routed to a partner organisation.

    The organisation's coordinator assigns one of its volunteers (``match`` is then the
    proposal to that volunteer) or returns it with a ``reason``; unanswered by ``due_at`` it
    returns by itself. :mod:`marketplace.organisations.lifecycle` is the only writer of
    ``status``; ``transitions`` keep the history.
    """

    __tablename__ = "organisation_referrals"
    __table_args__ = (sa.Index("ix_organisation_referrals_open", "status", "due_at"),)

    id: Mapped[intpk]
    help_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ReferralStatus] = enum_column(ReferralStatus, default=ReferralStatus.ROUTED)
    routed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    round_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("matching_rounds.id", ondelete="SET NULL")
    )
    match_id: Mapped[int | None] = mapped_column(sa.ForeignKey("matches.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")  # the meldpunt's, to the org
    reason: Mapped[str] = mapped_column(sa.String(500), default="")  # why it was returned
    explanation: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[created_at]
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    help_request: Mapped[HelpRequest] = relationship()
    organisation: Mapped[Organisation] = relationship()
    routed_by: Mapped[User | None] = relationship()
    match: Mapped[Match | None] = relationship()
    transitions: Mapped[list[ReferralTransition]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ReferralTransition.id",
    )


class ReferralTransition(Model):
    """One change of a referral's state: who, when, from what to what, and why."""

    __tablename__ = "referral_transitions"

    id: Mapped[intpk]
    referral_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation_referrals.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[ReferralStatus | None] = enum_column(ReferralStatus, nullable=True)
    to_status: Mapped[ReferralStatus] = enum_column(ReferralStatus)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    at: Mapped[created_at]

    referral: Mapped[OrganisationReferral] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()

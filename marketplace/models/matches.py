"""Matching rounds, the proposals they make, forbidden pairs and feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk
from marketplace.vocabulary import MatchStatus, RoundStatus

if TYPE_CHECKING:
    from marketplace.models.catalogue import Neighbourhood
    from marketplace.models.requests import HelpRequest
    from marketplace.models.users import User


class MatchingRound(Model):
    __tablename__ = "matching_rounds"

    id: Mapped[intpk]
    neighbourhood_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="SET NULL")
    )
    dry_run: Mapped[bool] = mapped_column(default=True)
    status: Mapped[RoundStatus] = enum_column(RoundStatus, default=RoundStatus.QUEUED)
    started_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stats: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Unmatched requests with their reason code: {"<request id>": "no_volunteer_in_range"}.
    unmatched: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str] = mapped_column(sa.String(500), default="")

    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    started_by: Mapped[User | None] = relationship()
    matches: Mapped[list[Match]] = relationship(back_populates="round")


class Match(Model):
    """A pairing of a request with a volunteer, from a round or picked by the volunteer."""

    __tablename__ = "matches"

    id: Mapped[intpk]
    help_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("matching_rounds.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[MatchStatus] = enum_column(MatchStatus, default=MatchStatus.SUGGESTED)
    locked: Mapped[bool] = mapped_column(default=False)
    self_picked: Mapped[bool] = mapped_column(default=False)
    distance_km: Mapped[float] = mapped_column(default=0.0)
    cost: Mapped[float] = mapped_column(default=0.0)
    explanation: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    decline_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    hours: Mapped[float | None]
    created_at: Mapped[created_at]
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resident_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    volunteer_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # One side reported the help did not happen (aftercare), with a reason in one line.
    not_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    not_given_reason: Mapped[str] = mapped_column(sa.String(200), default="")

    help_request: Mapped[HelpRequest] = relationship(lazy="joined")
    volunteer: Mapped[User] = relationship(lazy="joined")
    round: Mapped[MatchingRound | None] = relationship(back_populates="matches")
    feedback: Mapped[list[Feedback]] = relationship(
        back_populates="match", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[HelpSession]] = relationship(
        back_populates="match", cascade="all, delete-orphan", order_by="HelpSession.day"
    )
    transitions: Mapped[list[MatchTransition]] = relationship(
        back_populates="match", cascade="all, delete-orphan", passive_deletes=True,
        order_by="MatchTransition.id",
    )

    @property
    def recurring(self) -> bool:
        """Weekly help or a kind of help that recurs by nature (a buddy, respite care): the
        match goes on, visit after visit, until one side stops it."""
        from marketplace.models.requests import Timing

        request = self.help_request
        return request.timing == Timing.WEEKLY or bool(request.category.recurring)


class MatchTransition(Model):
    """One change of a match's state: who, when, from what to what, and why."""

    __tablename__ = "match_transitions"

    id: Mapped[intpk]
    match_id: Mapped[int] = mapped_column(
        sa.ForeignKey("matches.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[MatchStatus | None] = enum_column(MatchStatus, nullable=True)
    to_status: Mapped[MatchStatus] = enum_column(MatchStatus)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    at: Mapped[created_at]

    match: Mapped[Match] = relationship(back_populates="transitions")


class ForbiddenPair(Model):
    """A pair the optimiser must never propose: a block, an earlier decline, one household."""

    __tablename__ = "forbidden_pairs"
    __table_args__ = (sa.UniqueConstraint("help_request_id", "volunteer_id"),)

    id: Mapped[intpk]
    help_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]


class Feedback(Model):
    __tablename__ = "feedback"
    __table_args__ = (sa.UniqueConstraint("match_id", "author_id"),)

    id: Mapped[intpk]
    match_id: Mapped[int] = mapped_column(sa.ForeignKey("matches.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[created_at]

    match: Mapped[Match] = relationship(back_populates="feedback")


class HelpSession(Model):
    """One time the volunteer helped, in a recurring match (a day and, optionally, hours)."""

    __tablename__ = "help_sessions"
    __table_args__ = (sa.UniqueConstraint("match_id", "day"),)

    id: Mapped[intpk]
    match_id: Mapped[int] = mapped_column(
        sa.ForeignKey("matches.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(sa.Date)
    hours: Mapped[float | None]
    created_at: Mapped[created_at]

    match: Mapped[Match] = relationship(back_populates="sessions")

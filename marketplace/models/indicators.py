"""What the indicators add to the schema: stories chosen for the council report, and the
indexes the period queries need (declared here so the tables' own modules stay untouched)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.matches import Feedback, HelpSession, MatchTransition
from marketplace.models.requests import HelpRequest, RequestTransition
from marketplace.models.types import created_at, intpk
from marketplace.models.volunteers import VolunteerProfile

if TYPE_CHECKING:
    from marketplace.models.users import User


class ReportStory(Model):
    """A feedback sentence a coordinator chose "for the report". Deleting the feedback (or
    the account behind it) deletes the choice."""

    __tablename__ = "report_stories"

    id: Mapped[intpk]
    feedback_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback.id", ondelete="CASCADE"), unique=True
    )
    chosen_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    chosen_at: Mapped[created_at]

    feedback: Mapped[Feedback] = relationship()
    chosen_by: Mapped[User | None] = relationship()


# Every indicator counts rows by a moment inside a period.
INDEXES = (
    sa.Index("ix_help_requests_created_at", HelpRequest.created_at),
    sa.Index("ix_request_transitions_to_status_at", RequestTransition.to_status,
             RequestTransition.at),
    sa.Index("ix_match_transitions_to_status_at", MatchTransition.to_status, MatchTransition.at),
    sa.Index("ix_feedback_created_at", Feedback.created_at),
    sa.Index("ix_help_sessions_day", HelpSession.day),
    sa.Index("ix_volunteer_profiles_created_at", VolunteerProfile.created_at),
)

__all__ = ["INDEXES", "ReportStory"]

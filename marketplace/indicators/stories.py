"""Stories for the council report: feedback sentences a coordinator chose.

Coordinators and administrators see the period's written feedback (the sentence, the rating,
which side wrote it, the kind of help: no names) and choose some; the report shows only the
chosen ones. A choice is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale

from marketplace import audit
from marketplace.access import can_choose_stories
from marketplace.errors import NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.indicators.queries import Scope
from marketplace.models import Category, Feedback, HelpRequest, Match, ReportStory, User

#: At most this many sentences are offered per period (the newest).
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Story:
    feedback_id: int
    comment: str
    rating: int
    by_resident: bool
    category: str
    created_at: datetime
    chosen: bool


def _stories(scope: Scope, only_chosen: bool, limit: int) -> list[Story]:
    # The kind of help in the reader's language (the Dutch name where no English one is set).
    category = (sa.func.coalesce(sa.func.nullif(Category.name_en, ""), Category.name_nl)
                if str(get_locale() or "nl") == "en" else Category.name_nl)
    statement = (
        sa.select(Feedback.id, Feedback.comment, Feedback.rating,
                  Feedback.author_id == HelpRequest.requester_id, category,
                  Feedback.created_at, ReportStory.id.is_not(None))
        .join(Match, Match.id == Feedback.match_id)
        .join(HelpRequest, HelpRequest.id == Match.help_request_id)
        .join(Category, Category.id == HelpRequest.category_id)
        .outerjoin(ReportStory, ReportStory.feedback_id == Feedback.id)
        .where(Feedback.comment != "", scope.within(Feedback.created_at),
               scope.where(HelpRequest.neighbourhood_id))
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        .limit(limit)
    )
    if only_chosen:
        statement = statement.where(ReportStory.id.is_not(None))
    return [Story(*row) for row in db.session.execute(statement)]


def candidates(scope: Scope) -> list[Story]:
    """The period's written feedback in the scope's neighbourhoods, newest first."""
    return _stories(scope, only_chosen=False, limit=MAX_CANDIDATES)


def chosen(scope: Scope) -> list[Story]:
    """The sentences chosen for the report, of feedback given in the period."""
    return _stories(scope, only_chosen=True, limit=MAX_CANDIDATES)


def choose(actor: User, feedback_id: int, wanted: bool) -> None:
    """Mark (``wanted``) or unmark a feedback sentence for the report (doing it twice changes
    nothing). Raises :class:`NotFound` when the feedback does not exist,
    :class:`NotAllowed` for anyone but staff."""
    if not can_choose_stories(actor):
        raise NotAllowed(_l("Alleen medewerkers van het meldpunt kiezen verhalen."))
    feedback = db.session.get(Feedback, feedback_id)
    if feedback is None:
        raise NotFound(_l("Deze reactie bestaat niet (meer)."))
    story = db.session.scalar(sa.select(ReportStory).where(ReportStory.feedback_id == feedback_id))
    if wanted and story is None:
        db.session.add(ReportStory(feedback_id=feedback_id, chosen_by_id=actor.id))
        audit.record(actor, "story.chosen", feedback.match)
    elif not wanted and story is not None:
        db.session.delete(story)
        audit.record(actor, "story.unchosen", feedback.match)
    db.session.flush()

"""The SQL behind the volunteers', satisfaction and trend indicators (see :mod:`.queries`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.indicators.periods import Period
from marketplace.indicators.queries import RequestCounts, Scope, grouped, request_counts
from marketplace.models import (
    Feedback,
    HelpRequest,
    HelpSession,
    Match,
    MatchStatus,
    MatchTransition,
    User,
    VolunteerProfile,
)

_HELPING = (MatchStatus.ACCEPTED, MatchStatus.COMPLETED)


def _activity(scope: Scope) -> sa.Subquery:
    """Per volunteer (user id) whether they were active in the period (``now``) and in the
    previous period of the same length (``before``): a match of theirs was accepted or
    completed, or they logged a visit. Both periods in one pass over the moves and visits."""
    earlier = scope.period.previous()
    start, end = scope.bounds()
    early_start, early_end = earlier.utc_bounds

    def flags(moment: Any, first: Any, last: Any, early_first: Any, early_last: Any) -> list[Any]:
        return [sa.case((sa.and_(moment >= first, moment < last), 1), else_=0).label("now"),
                sa.case((sa.and_(moment >= early_first, moment < early_last), 1),
                        else_=0).label("before")]

    # The previous period ends where this one starts: one range for both, so the index on
    # (to_status, at) finds the moves.
    moved = (
        sa.select(Match.volunteer_id.label("volunteer_id"),
                  *flags(MatchTransition.at, start, end, early_start, early_end))
        .join(MatchTransition, MatchTransition.match_id == Match.id)
        .where(MatchTransition.to_status.in_(_HELPING),
               MatchTransition.at >= min(start, early_start), MatchTransition.at < end)
    )
    first, last = scope.period.first, scope.period.last
    visited = (
        sa.select(Match.volunteer_id.label("volunteer_id"),
                  *flags(HelpSession.day, first, last + timedelta(days=1),
                         earlier.first, earlier.last + timedelta(days=1)))
        .join(HelpSession, HelpSession.match_id == Match.id)
        .where(HelpSession.day >= min(first, earlier.first), HelpSession.day <= last)
    )
    either = sa.union_all(moved, visited).subquery()
    return (
        sa.select(either.c.volunteer_id, sa.func.max(either.c.now).label("now"),
                  sa.func.max(either.c.before).label("before"))
        .group_by(either.c.volunteer_id)
        .subquery()
    )


def volunteer_counts(scope: Scope) -> dict[str, Any]:
    """Active volunteers, new ones (profile made in the period), those who stopped (active
    in the previous period of the same length, not in this one), and the hours given. The
    volunteer's own neighbourhood decides the scope."""
    activity = _activity(scope)
    active, stopped = db.session.execute(
        sa.select(sa.func.sum(activity.c.now),
                  sa.func.sum(sa.case((sa.and_(activity.c.before == 1, activity.c.now == 0), 1),
                                      else_=0)))
        .join(VolunteerProfile, VolunteerProfile.user_id == activity.c.volunteer_id)
        .where(scope.where(VolunteerProfile.neighbourhood_id))
    ).one()
    new = db.session.scalar(
        sa.select(sa.func.count(VolunteerProfile.id))
        .where(scope.within(VolunteerProfile.created_at),
               scope.where(VolunteerProfile.neighbourhood_id))
    )
    return {"active": int(active or 0), "new": int(new or 0),
            "stopped": int(stopped or 0), **hours_given(scope)}


def hours_given(scope: Scope) -> dict[str, Any]:
    """Hours of visits logged in the period, plus the hours of one-off help (no visits)
    completed in the period; ``hours_volunteers`` is how many volunteers logged them."""
    visits = db.session.execute(
        sa.select(sa.func.sum(HelpSession.hours), sa.func.count(sa.distinct(Match.volunteer_id)))
        .join(Match, Match.id == HelpSession.match_id)
        .where(HelpSession.day >= scope.period.first, HelpSession.day <= scope.period.last,
               HelpSession.hours.is_not(None), scope.of_match(Match.id))
    ).one()
    has_visits = sa.exists().where(HelpSession.match_id == Match.id)
    one_off = db.session.execute(
        sa.select(sa.func.sum(Match.hours), sa.func.count(sa.distinct(Match.volunteer_id)))
        .join(MatchTransition, MatchTransition.match_id == Match.id)
        .where(MatchTransition.to_status == MatchStatus.COMPLETED,
               scope.within(MatchTransition.at), Match.hours.is_not(None), ~has_visits,
               scope.of_match(Match.id))
    ).one()
    hours = float(visits[0] or 0) + float(one_off[0] or 0)
    return {"hours": hours, "hours_volunteers": int(visits[1] or 0) + int(one_off[1] or 0)}


def registered_by_neighbourhood(scope: Scope) -> dict[int | None, int]:
    """Volunteers with a profile made before the period's end and an active account, per
    neighbourhood: the numerator of "share of residents volunteering"."""
    _start, end = scope.bounds()
    return grouped(
        sa.select(VolunteerProfile.neighbourhood_id, sa.func.count(VolunteerProfile.id))
        .join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.created_at < end, User.active.is_(True),
               scope.where(VolunteerProfile.neighbourhood_id))
        .group_by(VolunteerProfile.neighbourhood_id)
    )


def ratings(scope: Scope) -> dict[str, tuple[int, float | None]]:
    """Feedback given in the period by residents (the requester) and by volunteers (the
    match's volunteer): how many ratings and their average, in one statement."""
    by_resident = Feedback.author_id == HelpRequest.requester_id
    by_volunteer = Feedback.author_id == Match.volunteer_id
    row = db.session.execute(
        sa.select(sa.func.sum(sa.case((by_resident, 1), else_=0)),
                  sa.func.avg(sa.case((by_resident, Feedback.rating))),
                  sa.func.sum(sa.case((by_volunteer, 1), else_=0)),
                  sa.func.avg(sa.case((by_volunteer, Feedback.rating))))
        .join(Match, Match.id == Feedback.match_id)
        .join(HelpRequest, HelpRequest.id == Match.help_request_id)
        .where(scope.within(Feedback.created_at), scope.where(HelpRequest.neighbourhood_id))
    ).one()
    return {key: (int(number or 0), float(average) if average is not None else None)
            for key, number, average in (("residents", row[0], row[1]),
                                         ("volunteers", row[2], row[3]))}


def monthly(scope: Scope, counts: RequestCounts | None = None) -> list[tuple[Period, int, int]]:
    """Per month of the period: requests created (from :func:`request_counts`) and matches
    accepted (one query with a sum per month; the month boundaries are Amsterdam
    midnights)."""
    months = scope.period.months()
    requests = (request_counts(scope) if counts is None else counts).per_month(len(months))
    accepted = db.session.execute(
        sa.select(*(sa.func.sum(sa.case((sa.and_(MatchTransition.at >= month.utc_bounds[0],
                                                 MatchTransition.at < month.utc_bounds[1]), 1),
                                        else_=0))
                    for month in months))
        .where(MatchTransition.to_status == MatchStatus.ACCEPTED,
               scope.within(MatchTransition.at), scope.of_match(MatchTransition.match_id))
    ).one()
    return [(month, requests[i], int(accepted[i] or 0)) for i, month in enumerate(months)]

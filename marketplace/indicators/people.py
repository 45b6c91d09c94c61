"""The SQL behind the volunteers', satisfaction and trend indicators (see :mod:`.queries`)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.indicators.periods import Period
from marketplace.indicators.queries import Scope, grouped
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


def _active_ids(scope: Scope) -> sa.Select[Any]:
    """Volunteers (user ids) who had a match accepted or completed, or logged a visit, in the
    period; the volunteer's own neighbourhood decides the scope."""
    start, end = scope.bounds()
    moved = (
        sa.select(Match.volunteer_id.label("volunteer_id"))
        .join(MatchTransition, MatchTransition.match_id == Match.id)
        .where(MatchTransition.to_status.in_(_HELPING), scope.within(MatchTransition.at))
    )
    visited = (
        sa.select(Match.volunteer_id.label("volunteer_id"))
        .join(HelpSession, HelpSession.match_id == Match.id)
        .where(HelpSession.day >= scope.period.first, HelpSession.day <= scope.period.last)
    )
    either = sa.union(moved, visited).subquery()
    return (
        sa.select(either.c.volunteer_id)
        .join(VolunteerProfile, VolunteerProfile.user_id == either.c.volunteer_id)
        .where(scope.where(VolunteerProfile.neighbourhood_id))
    )


def volunteer_counts(scope: Scope) -> dict[str, Any]:
    """Active volunteers, new ones (profile made in the period), those who stopped (active
    in the previous period of the same length, not in this one), and the hours given."""
    active = _active_ids(scope).subquery()
    earlier = _active_ids(Scope(scope.period.previous(), scope.neighbourhood_ids)).subquery()
    count_active = db.session.scalar(sa.select(sa.func.count()).select_from(active))
    stopped = db.session.scalar(
        sa.select(sa.func.count()).select_from(earlier)
        .where(earlier.c.volunteer_id.not_in(sa.select(active.c.volunteer_id)))
    )
    new = db.session.scalar(
        sa.select(sa.func.count(VolunteerProfile.id))
        .where(scope.within(VolunteerProfile.created_at),
               scope.where(VolunteerProfile.neighbourhood_id))
    )
    return {"active": int(count_active or 0), "new": int(new or 0),
            "stopped": int(stopped or 0), **hours_given(scope)}


def hours_given(scope: Scope) -> dict[str, Any]:
    """Hours of visits logged in the period, plus the hours of one-off help (no visits)
    completed in the period; ``hours_volunteers`` is how many volunteers logged them."""
    in_scope = scope.where(HelpRequest.neighbourhood_id)
    visits = db.session.execute(
        sa.select(sa.func.sum(HelpSession.hours), sa.func.count(sa.distinct(Match.volunteer_id)))
        .join(Match, Match.id == HelpSession.match_id)
        .join(HelpRequest, HelpRequest.id == Match.help_request_id)
        .where(HelpSession.day >= scope.period.first, HelpSession.day <= scope.period.last,
               HelpSession.hours.is_not(None), in_scope)
    ).one()
    has_visits = sa.exists().where(HelpSession.match_id == Match.id)
    one_off = db.session.execute(
        sa.select(sa.func.sum(Match.hours), sa.func.count(sa.distinct(Match.volunteer_id)))
        .join(MatchTransition, MatchTransition.match_id == Match.id)
        .join(HelpRequest, HelpRequest.id == Match.help_request_id)
        .where(MatchTransition.to_status == MatchStatus.COMPLETED,
               scope.within(MatchTransition.at), Match.hours.is_not(None), ~has_visits,
               in_scope)
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


def active_by_neighbourhood(scope: Scope) -> dict[int | None, int]:
    active = _active_ids(scope).subquery()
    return grouped(
        sa.select(VolunteerProfile.neighbourhood_id, sa.func.count())
        .select_from(active)
        .join(VolunteerProfile, VolunteerProfile.user_id == active.c.volunteer_id)
        .group_by(VolunteerProfile.neighbourhood_id)
    )


def ratings(scope: Scope) -> dict[str, tuple[int, float | None]]:
    """Feedback given in the period by residents (the requester) and by volunteers (the
    match's volunteer): how many ratings and their average."""
    result: dict[str, tuple[int, float | None]] = {}
    for key, author in (("residents", HelpRequest.requester_id),
                        ("volunteers", Match.volunteer_id)):
        row = db.session.execute(
            sa.select(sa.func.count(Feedback.id), sa.func.avg(Feedback.rating))
            .join(Match, Match.id == Feedback.match_id)
            .join(HelpRequest, HelpRequest.id == Match.help_request_id)
            .where(Feedback.author_id == author, scope.within(Feedback.created_at),
                   scope.where(HelpRequest.neighbourhood_id))
        ).one()
        result[key] = (int(row[0]), float(row[1]) if row[1] is not None else None)
    return result


def monthly(scope: Scope) -> list[tuple[Period, int, int]]:
    """Per month of the period: requests created and matches accepted, each in one query
    with a sum per month (the month boundaries are Amsterdam midnights)."""
    months = scope.period.months()

    def sums(moment: Any) -> list[Any]:
        return [sa.func.sum(sa.case((sa.and_(moment >= month.utc_bounds[0],
                                             moment < month.utc_bounds[1]), 1), else_=0))
                for month in months]

    requests = db.session.execute(
        sa.select(*sums(HelpRequest.created_at))
        .where(scope.within(HelpRequest.created_at), scope.where(HelpRequest.neighbourhood_id))
    ).one()
    accepted = db.session.execute(
        sa.select(*sums(MatchTransition.at))
        .join(Match, Match.id == MatchTransition.match_id)
        .join(HelpRequest, HelpRequest.id == Match.help_request_id)
        .where(MatchTransition.to_status == MatchStatus.ACCEPTED,
               scope.within(MatchTransition.at), scope.where(HelpRequest.neighbourhood_id))
    ).one()
    return [(month, int(requests[i] or 0), int(accepted[i] or 0))
            for i, month in enumerate(months)]

"""The SQL behind the indicators: counts grouped in the database, never every row in Python.

Every function takes a :class:`Scope` (a period and the neighbourhoods, None meaning all) and
returns plain numbers keyed by what they are grouped by. The same statements run on SQLite
and PostgreSQL; the one dialect difference (hours between two moments) is compiled per
dialect below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from marketplace.extensions import db
from marketplace.indicators.periods import Period
from marketplace.models import (
    HelpRequest,
    Match,
    MatchingRound,
    MatchStatus,
    MatchTransition,
    RequestStatus,
    RequestTransition,
    RoundStatus,
)


@dataclass(frozen=True)
class Scope:
    period: Period
    neighbourhood_ids: tuple[int, ...] | None = None  # None: every neighbourhood

    def bounds(self) -> tuple[datetime, datetime]:
        return self.period.utc_bounds

    def within(self, moment: Any) -> ColumnElement[bool]:
        start, end = self.period.utc_bounds
        return sa.and_(moment >= start, moment < end)

    def where(self, neighbourhood_column: Any) -> ColumnElement[bool]:
        if self.neighbourhood_ids is None:
            return sa.true()
        return neighbourhood_column.in_(self.neighbourhood_ids)


class hours_between(FunctionElement[float]):  # noqa: N801 - reads as a SQL function
    """Hours from the first moment to the second, as a float, in SQL."""

    type = sa.Float()
    inherit_cache = True


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (f"((julianday({compiler.process(end, **kw)}) - "
            f"julianday({compiler.process(start, **kw)})) * 24.0)")


@compiles(hours_between)
def _hours_default(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (f"(EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - "
            f"{compiler.process(start, **kw)})) / 3600.0)")


def grouped(statement: sa.Select[Any] | Any) -> dict[Any, int]:
    return {key: int(number) for key, number in db.session.execute(statement)}


def requests_by(column: Any, scope: Scope) -> dict[Any, int]:
    """Requests created in the period, counted per value of ``column`` of HelpRequest."""
    return grouped(
        sa.select(column, sa.func.count(HelpRequest.id))
        .where(scope.within(HelpRequest.created_at), scope.where(HelpRequest.neighbourhood_id))
        .group_by(column)
    )


def request_moves(scope: Scope) -> dict[str, int]:
    """Escalations (moves to ESCALATED) and de-escalations (moves out of it) in the period."""
    in_scope = sa.and_(
        scope.within(RequestTransition.at), scope.where(HelpRequest.neighbourhood_id)
    )
    base = sa.select(sa.func.count(RequestTransition.id)).join(
        HelpRequest, HelpRequest.id == RequestTransition.help_request_id
    ).where(in_scope)
    escalated = db.session.scalar(
        base.where(RequestTransition.to_status == RequestStatus.ESCALATED)
    )
    back = db.session.scalar(
        base.where(RequestTransition.from_status == RequestStatus.ESCALATED,
                   RequestTransition.to_status != RequestStatus.ESCALATED)
    )
    return {"escalated": int(escalated or 0), "de_escalated": int(back or 0)}


def _match_moves(scope: Scope, status: MatchStatus) -> sa.Select[Any]:
    """Match ids that moved to ``status`` in the period, in the scope's neighbourhoods."""
    return (
        sa.select(MatchTransition.match_id)
        .join(Match, Match.id == MatchTransition.match_id)
        .join(HelpRequest, HelpRequest.id == Match.help_request_id)
        .where(MatchTransition.to_status == status, scope.within(MatchTransition.at),
               scope.where(HelpRequest.neighbourhood_id))
        .distinct()
    )


def match_counts(scope: Scope) -> dict[str, int]:
    """Matches proposed (to a volunteer), accepted and completed in the period."""
    proposed = db.session.scalar(
        sa.select(sa.func.count(Match.id))
        .join(HelpRequest, HelpRequest.id == Match.help_request_id)
        .where(scope.within(Match.proposed_at), scope.where(HelpRequest.neighbourhood_id))
    )
    result = {"proposed": int(proposed or 0)}
    for key, status in (("accepted", MatchStatus.ACCEPTED), ("completed", MatchStatus.COMPLETED)):
        moves = _match_moves(scope, status).subquery()
        result[key] = int(db.session.scalar(sa.select(sa.func.count()).select_from(moves)) or 0)
    return result


def accepted_by_neighbourhood(scope: Scope) -> dict[int | None, int]:
    """Matches accepted in the period, per neighbourhood of the request."""
    moves = _match_moves(scope, MatchStatus.ACCEPTED).subquery()
    return grouped(
        sa.select(HelpRequest.neighbourhood_id, sa.func.count())
        .select_from(moves)
        .join(Match, Match.id == moves.c.match_id)
        .join(HelpRequest, HelpRequest.id == Match.help_request_id)
        .group_by(HelpRequest.neighbourhood_id)
    )


#: 7 x 24 hours, with a second's slack for the float arithmetic of dates in SQL.
_WEEK_HOURS = 7 * 24 + 1 / 3600


def time_to_match(scope: Scope) -> dict[str, Any]:
    """For requests created in the period: how many, how many were matched (ever), within
    7 days, still without a match (and not escalated, rejected or cancelled), and the
    histogram of whole hours from request to match (for the median)."""
    hours = hours_between(HelpRequest.created_at, HelpRequest.matched_at)
    created = sa.and_(scope.within(HelpRequest.created_at),
                      scope.where(HelpRequest.neighbourhood_id))
    closed_otherwise = (RequestStatus.ESCALATED, RequestStatus.REJECTED, RequestStatus.CANCELLED)
    row = db.session.execute(
        sa.select(
            sa.func.count(HelpRequest.id),
            sa.func.count(HelpRequest.matched_at),
            sa.func.sum(sa.case((hours <= _WEEK_HOURS, 1), else_=0)),
            sa.func.sum(sa.case(
                (sa.and_(HelpRequest.matched_at.is_(None),
                         HelpRequest.status.not_in(closed_otherwise)), 1), else_=0)),
        ).where(created)
    ).one()
    bucket = sa.func.round(hours)
    histogram = grouped(
        sa.select(bucket, sa.func.count()).where(created, HelpRequest.matched_at.is_not(None))
        .group_by(bucket)
    )
    return {"created": int(row[0]), "matched": int(row[1]), "within_week": int(row[2] or 0),
            "unmatched": int(row[3] or 0), "hours_histogram": histogram}


def median_from_histogram(histogram: dict[Any, int]) -> float | None:
    """The (lower) median of values given as ``{value: how many}``; None when empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if 2 * seen >= total:
            return float(value)
    return None  # pragma: no cover - the loop always returns


def unmatched_reasons(scope: Scope) -> dict[str, int]:
    """Requests a real (not dry-run) round finished in the period left without a volunteer,
    per the engine's reason code of the last such round. Rounds are few, so their stored
    ``unmatched`` maps are read; the requests' neighbourhoods come from one query."""
    rounds = db.session.execute(
        sa.select(MatchingRound.unmatched)
        .where(MatchingRound.dry_run.is_(False), MatchingRound.status == RoundStatus.DONE,
               scope.within(MatchingRound.finished_at))
        .order_by(MatchingRound.finished_at, MatchingRound.id)
    ).scalars()
    last_reason: dict[int, str] = {}
    for unmatched in rounds:
        for request_id, reason in (unmatched or {}).items():
            last_reason[int(request_id)] = str(reason)
    kept = set(_in_neighbourhoods(last_reason, scope))
    result: dict[str, int] = {}
    for request_id, reason in last_reason.items():
        if request_id in kept:
            result[reason] = result.get(reason, 0) + 1
    return result


def _in_neighbourhoods(request_ids: Iterable[int], scope: Scope) -> list[int]:
    ids = list(request_ids)
    if scope.neighbourhood_ids is None or not ids:
        return ids
    return list(db.session.scalars(
        sa.select(HelpRequest.id).where(HelpRequest.id.in_(ids),
                                        scope.where(HelpRequest.neighbourhood_id))
    ))

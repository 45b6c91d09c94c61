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

    def of_match(self, match_id: Any) -> ColumnElement[bool]:
        """The match ``match_id`` is about a request in the scope's neighbourhoods. For the
        whole city this is no condition at all, so the statement needs no join to the
        matches and requests (most of the dashboard's time, before)."""
        if self.neighbourhood_ids is None:
            return sa.true()
        return match_id.in_(
            sa.select(Match.id).join(HelpRequest, HelpRequest.id == Match.help_request_id)
            .where(HelpRequest.neighbourhood_id.in_(self.neighbourhood_ids))
        )


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


@dataclass(frozen=True)
class RequestCounts:
    """Requests created in the period, counted per (kind of help, source, neighbourhood,
    month of the period) in one statement; the dashboard's four request tables read it."""

    rows: tuple[tuple[Any, Any, Any, int, int], ...]

    def by(self, key: str) -> dict[Any, int]:
        """Counts per value of the column named ``key`` (``category_id``, ``source`` or
        ``neighbourhood_id``)."""
        position = _COUNTED.index(key)
        result: dict[Any, int] = {}
        for row in self.rows:
            result[row[position]] = result.get(row[position], 0) + row[4]
        return result

    def per_month(self, months: int) -> list[int]:
        result = [0] * months
        for row in self.rows:
            result[row[3]] += row[4]
        return result


_COUNTED = ("category_id", "source", "neighbourhood_id")


def request_counts(scope: Scope) -> RequestCounts:
    months = scope.period.months()
    month: Any = sa.literal(0)
    if len(months) > 1:  # the first month whose end lies after the moment
        month = sa.case(*((HelpRequest.created_at < item.utc_bounds[1], index)
                          for index, item in enumerate(months[:-1])), else_=len(months) - 1)
    columns = [getattr(HelpRequest, key) for key in _COUNTED]
    rows = db.session.execute(
        sa.select(*columns, month, sa.func.count(HelpRequest.id))
        .where(scope.within(HelpRequest.created_at), scope.where(HelpRequest.neighbourhood_id))
        .group_by(*columns, month)
    )
    return RequestCounts(tuple((row[0], row[1], row[2], int(row[3]), int(row[4]))
                               for row in rows))


def requests_by(column: Any, scope: Scope, counts: RequestCounts | None = None) -> dict[Any, int]:
    """Requests created in the period, counted per value of ``column`` of HelpRequest."""
    return (request_counts(scope) if counts is None else counts).by(column.key)


def request_moves(scope: Scope) -> dict[str, int]:
    """Escalations (moves to ESCALATED) and de-escalations (moves out of it) in the period."""
    escalated = RequestTransition.to_status == RequestStatus.ESCALATED
    back = sa.and_(RequestTransition.from_status == RequestStatus.ESCALATED, ~escalated)
    statement = sa.select(sa.func.sum(sa.case((escalated, 1), else_=0)),
                          sa.func.sum(sa.case((back, 1), else_=0))
                          ).where(scope.within(RequestTransition.at))
    if scope.neighbourhood_ids is not None:
        statement = statement.join(
            HelpRequest, HelpRequest.id == RequestTransition.help_request_id
        ).where(scope.where(HelpRequest.neighbourhood_id))
    row = db.session.execute(statement).one()
    return {"escalated": int(row[0] or 0), "de_escalated": int(row[1] or 0)}


#: (status reached, neighbourhood of the request) -> matches
Moves = dict[tuple[MatchStatus, int | None], int]


def match_moves(scope: Scope) -> Moves:
    """Matches that were accepted or completed in the period, per (status, neighbourhood of
    the request), in one statement: a match counts once per status, also when it reached
    that status twice."""
    rows = db.session.execute(
        sa.select(MatchTransition.to_status, HelpRequest.neighbourhood_id,
                  sa.func.count(sa.distinct(MatchTransition.match_id)))
        .join(Match, Match.id == MatchTransition.match_id)
        .join(HelpRequest, HelpRequest.id == Match.help_request_id)
        .where(MatchTransition.to_status.in_((MatchStatus.ACCEPTED, MatchStatus.COMPLETED)),
               scope.within(MatchTransition.at), scope.where(HelpRequest.neighbourhood_id))
        .group_by(MatchTransition.to_status, HelpRequest.neighbourhood_id)
    )
    return {(MatchStatus(status), neighbourhood): int(number)
            for status, neighbourhood, number in rows}


def match_counts(scope: Scope, moves: Moves | None = None) -> dict[str, int]:
    """Matches proposed (to a volunteer), accepted and completed in the period (``moves``:
    :func:`match_moves` of the same scope, when the caller has it already)."""
    proposed = db.session.scalar(
        sa.select(sa.func.count(Match.id))
        .where(scope.within(Match.proposed_at), scope.of_match(Match.id))
    )
    moves = match_moves(scope) if moves is None else moves
    result = {"proposed": int(proposed or 0)}
    for key, status in (("accepted", MatchStatus.ACCEPTED), ("completed", MatchStatus.COMPLETED)):
        result[key] = sum(number for (moved, _), number in moves.items() if moved == status)
    return result


def accepted_by_neighbourhood(moves: Moves) -> dict[int | None, int]:
    """Matches accepted in the period, per neighbourhood of the request (from
    :func:`match_moves`)."""
    return {neighbourhood: number for (status, neighbourhood), number in moves.items()
            if status == MatchStatus.ACCEPTED}


#: 7 x 24 hours, with a second's slack for the float arithmetic of dates in SQL.
_WEEK_HOURS = 7 * 24 + 1 / 3600


def time_to_match(scope: Scope) -> dict[str, Any]:
    """For requests created in the period: how many, how many were matched (ever), within
    7 days, still without a match (and not escalated, rejected or cancelled), and the
    histogram of whole hours from request to match (for the median); one statement grouped
    by whole hours (no hours: not matched)."""
    hours = hours_between(HelpRequest.created_at, HelpRequest.matched_at)
    closed_otherwise = (RequestStatus.ESCALATED, RequestStatus.REJECTED, RequestStatus.CANCELLED)
    bucket = sa.func.round(hours)
    rows = db.session.execute(
        sa.select(
            bucket, sa.func.count(HelpRequest.id),
            sa.func.sum(sa.case((hours <= _WEEK_HOURS, 1), else_=0)),
            sa.func.sum(sa.case(
                (sa.and_(HelpRequest.matched_at.is_(None),
                         HelpRequest.status.not_in(closed_otherwise)), 1), else_=0)),
        ).where(scope.within(HelpRequest.created_at), scope.where(HelpRequest.neighbourhood_id))
        .group_by(bucket)
    ).all()
    histogram = {value: int(number) for value, number, _, _ in rows if value is not None}
    return {"created": sum(int(row[1]) for row in rows), "matched": sum(histogram.values()),
            "within_week": sum(int(row[2] or 0) for row in rows),
            "unmatched": sum(int(row[3] or 0) for row in rows), "hours_histogram": histogram}


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

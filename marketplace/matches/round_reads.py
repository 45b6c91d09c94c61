"""The round's reads in bulk: Core ``select``s straight into engine inputs, no ORM objects.

A whole-city round reads thousands of requests and volunteers; loading them as ORM objects
(with their joined users, categories and selectin skills) took most of the round's time, and
so did one frozen input object per row after that. These functions read bare columns into
the engine's columns (:class:`matching.arrays.RequestColumns`, ``VolunteerColumns``) and
encode them once (:func:`matching.arrays.encode_columns`): the same arrays that
:func:`matching.arrays.encode` makes of the :class:`matching.RequestInput` and
:class:`matching.VolunteerInput` values :mod:`marketplace.matches.conversion` builds from ORM
rows, by the same rules (the VOG rule is :func:`marketplace.access.vog_valid_on`'s, the
household rule :func:`marketplace.matches.pair_rules.household_key`'s); the volunteers'
side is :mod:`marketplace.matches.round_volunteers`. Objects are built only for the few
that need them (locked pairs, organisations).

A round's *scope* is a ``select`` of request ids (:func:`open_scope`, :func:`ids_scope`), used
as a subquery so no read sends thousands of ids as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa

from marketplace.carers.burden import burden_levels
from marketplace.carers.respite import RESPITE_SLUG
from marketplace.extensions import db
from marketplace.matches import bulk_write, pair_rules, queries, round_volunteers
from marketplace.matches.conversion import urgency_level, waiting_days
from marketplace.matches.pair_rules import Household, Pair, household_key
from marketplace.models import (
    Category,
    Feedback,
    ForbiddenPair,
    HelpRequest,
    Match,
    MatchStatus,
    RequestStatus,
    User,
    utcnow,
)
from marketplace.models.requests import weekly_slot
from marketplace.organisations import conversion as organisation_conversion
from marketplace.vocabulary import local_today
from matching import RequestInput, VolunteerInput
from matching.arrays import (
    Encoded,
    RequestColumns,
    encode_columns,
    join_volunteers,
    request_input,
    volunteer_columns,
    volunteer_input,
)
from matching.model import SLOT_INDEX

Scope = sa.Select[Any]


@dataclass(frozen=True)
class RequestFacts:
    """What storing a request's suggestion needs beside the engine's answer."""

    category: str
    slot: str | None
    requester_id: int
    homes: frozenset[Household]


def open_scope(neighbourhood_id: int | None) -> Scope:
    """Ids of the open requests volunteers may take (as :func:`queries.open_requests`)."""
    query = (
        sa.select(HelpRequest.id)
        .join(Category, HelpRequest.category_id == Category.id)
        .where(HelpRequest.status == RequestStatus.OPEN, Category.escalate.is_(False),
               queries.date_still_ahead(local_today()))
    )
    if neighbourhood_id is not None:
        query = query.where(HelpRequest.neighbourhood_id == neighbourhood_id)
    return query


def ids_scope(request_ids: list[int]) -> Scope:
    """Exactly these requests (a re-solve of one request)."""
    return sa.select(HelpRequest.id).where(HelpRequest.id.in_(request_ids))


def _in_scope(column: Any, scope: Scope) -> sa.ColumnElement[bool]:
    return column.in_(scope.correlate(None).scalar_subquery())


def request_rows(scope: Scope) -> list[sa.Row[Any]]:
    """The scope's requests as bare rows, by id."""
    requester = sa.orm.aliased(User)
    query = (
        sa.select(
            HelpRequest.id, HelpRequest.requester_id, HelpRequest.latitude,
            HelpRequest.longitude, HelpRequest.timing, HelpRequest.weekday,
            HelpRequest.part_of_day, HelpRequest.date_start, HelpRequest.urgency,
            HelpRequest.opened_at, HelpRequest.created_at, HelpRequest.address,
            HelpRequest.postcode, HelpRequest.neighbourhood_id, Category.slug,
            Category.requires_vog,
            Category.requires_training,
            requester.address.label("requester_address"),
            requester.postcode.label("requester_postcode"),
        )
        .join(Category, HelpRequest.category_id == Category.id)
        .join(requester, HelpRequest.requester_id == requester.id)
        .where(_in_scope(HelpRequest.id, scope))
        .order_by(HelpRequest.id)
    )
    rows: list[Any] = list(db.session.connection().execute(query).all())
    return rows


def previous_helpers(scope: Scope) -> dict[int, dict[int, float]]:
    """requester id -> {volunteer id: best rating given} (as :func:`queries.previous_helpers`),
    for the requesters of the scope's requests."""
    requesters = (
        sa.select(HelpRequest.requester_id).where(_in_scope(HelpRequest.id, scope))
    )
    query = (
        sa.select(HelpRequest.requester_id, Match.volunteer_id, sa.func.max(Feedback.rating))
        .join(Match, Match.help_request_id == HelpRequest.id)
        .join(Feedback, Feedback.match_id == Match.id)
        .where(
            HelpRequest.requester_id.in_(requesters.scalar_subquery()),
            Match.status == MatchStatus.COMPLETED,
            Feedback.author_id == HelpRequest.requester_id,
        )
        .group_by(HelpRequest.requester_id, Match.volunteer_id)
    )
    history: dict[int, dict[int, float]] = {}
    for requester_id, volunteer_id, rating in db.session.execute(query):
        history.setdefault(requester_id, {})[volunteer_id] = float(rating)
    return history


def request_columns(
    rows: list[sa.Row[Any]], history: dict[int, dict[int, float]]
) -> tuple[RequestColumns, dict[int, RequestFacts]]:
    """Engine columns and storing facts for the rows of :func:`request_rows`, by the rules
    of :func:`conversion.request_from_values`; a respite request carries its carer's latest
    burden level (the cost model's ``carer`` term)."""
    now = utcnow()
    burdens = burden_levels(row.requester_id for row in rows if row.slug == RESPITE_SLUG)
    (ids, requester_ids, lat, lon, timing, weekday, part_of_day, date_start, urgency,
     opened_at, created_at, address, postcode, slug, requires_vog, requires_training,
     requester_address, requester_postcode) = round_volunteers.transposed(
        rows, "id", "requester_id", "latitude", "longitude", "timing", "weekday",
        "part_of_day", "date_start", "urgency", "opened_at", "created_at", "address",
        "postcode", "slug", "requires_vog", "requires_training", "requester_address",
        "requester_postcode")
    slots = list(map(weekly_slot, timing, weekday, part_of_day, date_start))
    homes = [frozenset(key for key in keys if key is not None) for keys in zip(
        map(household_key, address, postcode),
        map(household_key, requester_address, requester_postcode), strict=True)]
    facts = dict(zip(ids, map(RequestFacts, slug, slots, requester_ids, homes), strict=True))
    columns = RequestColumns(
        ids=ids, lat=np.array(lat, dtype=np.float64), lon=np.array(lon, dtype=np.float64),
        category=slug,
        slot=np.array([SLOT_INDEX.get(slot or "", -1) for slot in slots], dtype=np.int64),
        vog=np.array(requires_vog, dtype=np.bool_),
        training=np.array(requires_training, dtype=np.bool_),
        urgency=np.array(list(map(urgency_level, urgency)), dtype=np.int64),
        waiting=np.array([waiting_days(opened or created, now)
                          for opened, created in zip(opened_at, created_at, strict=True)],
                         dtype=np.float64),
        carer_burden=np.clip(np.array(
            [burdens.get(requester, 0) if category == RESPITE_SLUG else 0
             for requester, category in zip(requester_ids, slug, strict=True)],
            dtype=np.int64), 0, 2),
        helpers=tuple((number, volunteer_id, rating)
                      for number, requester in enumerate(requester_ids)
                      for volunteer_id, rating in history.get(requester, {}).items()),
    )
    return columns, facts


def stored_forbidden(scope: Scope) -> set[tuple[int, int]]:
    """(request id, volunteer id) pairs stored as forbidden for the scope's requests."""
    query = sa.select(ForbiddenPair.help_request_id, ForbiddenPair.volunteer_id).where(
        _in_scope(ForbiddenPair.help_request_id, scope)
    )
    return {(int(r), int(v)) for r, v in db.session.execute(query)}


def locked_suggestions(scope: Scope) -> list[Match]:
    """Locked suggestions for the scope's requests, by id (few: ORM rows are fine)."""
    query = sa.select(Match).where(
        _in_scope(Match.help_request_id, scope),
        Match.status == MatchStatus.SUGGESTED,
        Match.locked.is_(True),
    )
    return list(db.session.scalars(query.order_by(Match.id)).unique())


def suggestion_ids(request_ids: list[int]) -> list[tuple[int, int, int]]:
    """(match id, request id, volunteer id) of the suggestions for these requests, by id."""
    found: list[tuple[int, int, int]] = []
    for condition in bulk_write.id_conditions(Match.help_request_id, request_ids):
        query = sa.select(Match.id, Match.help_request_id, Match.volunteer_id).where(
            condition, Match.status == MatchStatus.SUGGESTED
        )
        found.extend((int(m), int(r), int(v)) for m, r, v in db.session.execute(query))
    return sorted(found)


@dataclass(frozen=True)
class RoundInputs:
    """Everything one solve needs: the engine's instance ``encoded`` (the requests by id,
    then the eligible volunteers by user id, then the partner organisations), the
    ``forbidden`` pairs in it by id, the ``facts`` of each request by id (for storing its
    suggestion), and the locked suggestions that are carried into the round (``locked`` are
    their pairs)."""

    encoded: Encoded
    forbidden: list[tuple[Any, Any]]
    locked: list[Pair]
    facts: dict[int, RequestFacts]
    carried: list[Match]

    @property
    def request_ids(self) -> list[int]:
        return [int(request_id) for request_id in self.encoded.request_ids]

    @property
    def requests(self) -> list[RequestInput]:
        """The requests as objects (built on each call; the round itself works on arrays)."""
        return [request_input(self.encoded, row) for row in range(len(self.encoded.request_ids))]

    @property
    def volunteers(self) -> list[VolunteerInput]:
        """The volunteers as objects (built on each call)."""
        return [volunteer_input(self.encoded, row)
                for row in range(len(self.encoded.volunteer_ids))]


def collect_inputs(neighbourhood_id: int | None) -> RoundInputs:
    """Open requests (optionally of one neighbourhood) and all eligible volunteers."""
    return inputs_for_scope(open_scope(neighbourhood_id))


def inputs_for_ids(request_ids: list[int]) -> RoundInputs:
    """These requests (one request's re-solve) and all eligible volunteers."""
    return inputs_for_scope(ids_scope(request_ids))


def inputs_for_scope(scope: Scope) -> RoundInputs:
    """The engine's inputs for the scope's requests, by the rules of
    :mod:`marketplace.matches.pair_rules` (forbidden pairs, households, valid locks), with
    the partner organisations as volunteers too (``organisations.conversion``); requests
    waiting for an organisation's answer stay out. Raises ValueError when a stored value
    breaks the engine's contract (``matching.arrays.encode_columns``)."""
    # The bulk reads run on the session's connection, which does not autoflush as the
    # session's own execute does: pending changes are flushed first, so every read sees them.
    db.session.flush()
    scope = scope.where(HelpRequest.id.not_in(organisation_conversion.waiting_ids()))
    rows = request_rows(scope)
    requests, facts = request_columns(rows, previous_helpers(scope))
    people, homes = round_volunteers.volunteers(local_today())
    # Each read evaluates the scope anew: keep only pairs of the requests read (a request
    # opened in between would name an id the engine was not given).
    forbidden = pair_rules.household_rule(
        {pair for pair in stored_forbidden(scope) if pair[0] in facts},
        [(rid, fact.requester_id, fact.homes) for rid, fact in facts.items()],
        homes,
    )
    organisations, outside_areas = organisation_conversion.organisation_inputs(rows)
    every_forbidden = [*forbidden, *outside_areas]
    encoded = encode_columns(
        requests, join_volunteers(people, volunteer_columns(organisations)), every_forbidden
    )
    locks = locked_suggestions(scope)
    locked = _valid_locks(encoded, forbidden, locks)
    kept = set(locked)
    carried = [m for m in locks if (m.help_request_id, m.volunteer_id) in kept]
    return RoundInputs(encoded, every_forbidden, locked, facts, carried)


def _valid_locks(encoded: Encoded, forbidden: list[Pair], locks: list[Match]) -> list[Pair]:
    """:func:`pair_rules.valid_locks`, given as objects only the few locked requests and
    volunteers of the round."""
    request_rows = {encoded.request_index[m.help_request_id] for m in locks
                    if m.help_request_id in encoded.request_index}
    volunteer_rows = {encoded.volunteer_index[m.volunteer_id] for m in locks
                      if m.volunteer_id in encoded.volunteer_index}
    return pair_rules.valid_locks(
        [request_input(encoded, row) for row in sorted(request_rows)],
        [volunteer_input(encoded, row) for row in sorted(volunteer_rows)],
        forbidden, locks,
    )

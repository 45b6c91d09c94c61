"""The round's reads in bulk: Core ``select``s straight into engine inputs, no ORM objects.

A whole-city round reads thousands of requests and volunteers; loading them as ORM objects
(with their joined users, categories and selectin skills) took most of the round's time.
These functions read bare columns and build the same :class:`matching.RequestInput` and
:class:`matching.VolunteerInput` values that :mod:`marketplace.matches.conversion` builds
from ORM rows, by the same rules (the VOG rule is :func:`marketplace.access.vog_valid_on`'s,
the household rule :func:`marketplace.matches.pair_rules.household_key`'s).

A round's *scope* is a ``select`` of request ids (:func:`open_scope`, :func:`ids_scope`), used
as a subquery so no read sends thousands of ids as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from marketplace.access import vog_expires_on
from marketplace.carers.burden import burden_levels
from marketplace.carers.respite import RESPITE_SLUG
from marketplace.extensions import db
from marketplace.matches import pair_rules, queries
from marketplace.matches.conversion import request_from_values
from marketplace.matches.pair_rules import Household, household_key
from marketplace.models import (
    Category,
    Feedback,
    ForbiddenPair,
    HelpRequest,
    Match,
    MatchStatus,
    RequestStatus,
    User,
    VogStatus,
    VolunteerProfile,
    utcnow,
    volunteer_skills,
)
from marketplace.models.requests import weekly_slot
from marketplace.organisations import conversion as organisation_conversion
from marketplace.vocabulary import local_today
from matching import SLOTS, RequestInput, VolunteerInput

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
        .where(HelpRequest.status == RequestStatus.OPEN, Category.escalate.is_(False))
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
    return list(db.session.execute(query))


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


def requests_from_rows(
    rows: list[sa.Row[Any]], history: dict[int, dict[int, float]]
) -> tuple[list[RequestInput], dict[int, RequestFacts]]:
    """Engine inputs and storing facts for the rows of :func:`request_rows`; a respite
    request carries its carer's latest burden level (the cost model's ``carer`` term)."""
    now = utcnow()
    inputs, facts = [], {}
    burdens = burden_levels(row.requester_id for row in rows if row.slug == RESPITE_SLUG)
    for row in rows:
        slot = weekly_slot(row.timing, row.weekday, row.part_of_day, row.date_start)
        inputs.append(request_from_values(
            row.id, row.latitude, row.longitude, row.slug, row.requires_vog,
            row.requires_training, slot, row.urgency, row.opened_at or row.created_at,
            history.get(row.requester_id), now,
            burdens.get(row.requester_id, 0) if row.slug == RESPITE_SLUG else 0,
        ))
        homes = {
            household_key(row.address, row.postcode),
            household_key(row.requester_address, row.requester_postcode),
        }
        facts[row.id] = RequestFacts(
            row.slug, slot, row.requester_id, frozenset(k for k in homes if k is not None)
        )
    return inputs, facts


def _skills() -> dict[int, list[str]]:
    """profile id -> category slugs."""
    query = sa.select(volunteer_skills.c.volunteer_id, Category.slug).join(
        Category, volunteer_skills.c.category_id == Category.id
    )
    skills: dict[int, list[str]] = {}
    for profile_id, slug in db.session.execute(query):
        skills.setdefault(profile_id, []).append(slug)
    return skills


def volunteers(today: date) -> tuple[list[VolunteerInput], dict[int, Household | None]]:
    """Eligible volunteers (as :func:`queries.eligible_profiles`: active, unpaused, not
    anonymised, with a skill) as engine inputs, by user id, and each one's home."""
    query = (
        sa.select(
            VolunteerProfile.id, VolunteerProfile.user_id, VolunteerProfile.latitude,
            VolunteerProfile.longitude, VolunteerProfile.availability,
            VolunteerProfile.max_travel_km, VolunteerProfile.vog_status,
            VolunteerProfile.vog_date, VolunteerProfile.training_verified,
            VolunteerProfile.capacity, VolunteerProfile.paused, User.address, User.postcode,
        )
        .join(User, VolunteerProfile.user_id == User.id)
        .where(
            VolunteerProfile.paused.is_(False),
            User.active.is_(True),
            User.anonymised_at.is_(None),
        )
        .order_by(VolunteerProfile.user_id)
    )
    skills = _skills()
    active, recent = queries.active_match_counts(), queries.recent_match_counts()
    inputs, homes = [], {}
    for row in db.session.execute(query):
        if not skills.get(row.id):
            continue
        inputs.append(VolunteerInput(
            id=row.user_id, lat=row.latitude, lon=row.longitude,
            skills=frozenset(skills[row.id]),
            availability=frozenset(s for s in row.availability or () if s in SLOTS),
            max_km=max(float(row.max_travel_km), 0.0),
            has_vog=_vog_valid(row.vog_status, row.vog_date, today),
            has_training=row.training_verified,
            capacity=max(row.capacity - active.get(row.user_id, 0), 0),
            paused=row.paused, recent_matches=recent.get(row.user_id, 0),
        ))
        homes[row.user_id] = household_key(row.address, row.postcode)
    return inputs, homes


def _vog_valid(status: str, vog_date: date | None, today: date) -> bool:
    """:func:`marketplace.access.vog_valid_on` on bare columns."""
    return status == VogStatus.VALID and vog_date is not None and today < vog_expires_on(vog_date)


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


def suggestion_ids(request_ids: list[int], chunk: int = 1000) -> list[tuple[int, int, int]]:
    """(match id, request id, volunteer id) of the suggestions for these requests, by id."""
    found: list[tuple[int, int, int]] = []
    for start in range(0, len(request_ids), chunk):
        query = sa.select(Match.id, Match.help_request_id, Match.volunteer_id).where(
            Match.help_request_id.in_(request_ids[start:start + chunk]),
            Match.status == MatchStatus.SUGGESTED,
        )
        found.extend((int(m), int(r), int(v)) for m, r, v in db.session.execute(query))
    return sorted(found)



@dataclass(frozen=True)
class RoundInputs:
    """Everything one solve needs: the engine's inputs, the ``facts`` of each request by id
    (for storing its suggestion), the request ids in order, and the locked suggestions that
    are carried into the round (``locked`` are their pairs)."""

    requests: list[RequestInput]
    volunteers: list[VolunteerInput]
    forbidden: list[tuple[int, int]]
    locked: list[tuple[int, int]]
    facts: dict[int, RequestFacts]
    carried: list[Match]

    @property
    def request_ids(self) -> list[int]:
        return [int(request.id) for request in self.requests]


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
    waiting for an organisation's answer stay out."""
    scope = scope.where(HelpRequest.id.not_in(organisation_conversion.waiting_ids()))
    rows = request_rows(scope)
    requests, facts = requests_from_rows(rows, previous_helpers(scope))
    volunteer_inputs, homes = volunteers(local_today())
    # Each read evaluates the scope anew: keep only pairs of the requests read (a request
    # opened in between would name an id the engine was not given).
    forbidden = pair_rules.household_rule(
        {pair for pair in stored_forbidden(scope) if pair[0] in facts},
        [(rid, fact.requester_id, fact.homes) for rid, fact in facts.items()],
        homes,
    )
    locks = locked_suggestions(scope)
    locked = pair_rules.valid_locks(requests, volunteer_inputs, forbidden, locks)
    kept = set(locked)
    carried = [m for m in locks if (m.help_request_id, m.volunteer_id) in kept]
    organisations, outside_areas = organisation_conversion.organisation_inputs(rows, requests)
    return RoundInputs(requests, volunteer_inputs + organisations,
                       [*forbidden, *outside_areas], locked, facts, carried)

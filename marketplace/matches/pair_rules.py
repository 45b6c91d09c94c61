"""The rules for one (request, volunteer) pair, used by rounds, browsing and picking alike.

A pair is allowed when the engine's hard rules hold (skill, time, distance, screening: see
``matching``; the screening input comes from :func:`marketplace.access.vog_valid_on`) and it
is not forbidden: not the volunteer's own request, not one household, not a pair a
coordinator forbade, and not a pair that ended without help for that request (the volunteer
declined, let the proposal expire, or called accepted help off: :func:`end_pair` stores
it). Locked suggestions survive a round only while they still obey all of that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from marketplace import audit
from marketplace.extensions import db
from marketplace.matches import queries
from marketplace.models import (
    ForbiddenPair,
    HelpRequest,
    Match,
    MatchStatus,
    User,
    VolunteerProfile,
)
from matching import RequestInput, VolunteerInput, solve
from matching.api import feasible_columns
from matching.arrays import RequestColumns

Pair = tuple[int, int]
Household = tuple[str, str]


def household_key(address: str | None, postcode: str | None) -> Household | None:
    """An address and postcode, normalised, or None when either is unknown."""
    if not address or not postcode:
        return None
    return " ".join(address.lower().split()), postcode.replace(" ", "").upper()


def _request_homes(help_request: HelpRequest) -> set[Household]:
    """Where the help is needed and where the person who asked lives."""
    keys = {
        household_key(help_request.address, help_request.postcode),
        household_key(help_request.requester.address, help_request.requester.postcode),
    }
    return {key for key in keys if key is not None}


def same_household(help_request: HelpRequest, volunteer: User) -> bool:
    """The volunteer asked for it, or lives where the help is needed or where the requester
    lives: one household never helps itself through the meldpunt."""
    if help_request.requester_id == volunteer.id:
        return True
    home = household_key(volunteer.address, volunteer.postcode)
    return home is not None and home in _request_homes(help_request)


def is_forbidden(help_request: HelpRequest, volunteer: User) -> bool:
    """One household, or a stored forbidden pair."""
    return same_household(help_request, volunteer) or queries.is_stored_forbidden(
        help_request.id, volunteer.id
    )


def store_forbidden_pair(
    actor: User | None, help_request: HelpRequest, volunteer: User, reason: str
) -> ForbiddenPair:
    """Store that this pair must never be proposed again (idempotent). The caller commits."""
    existing = db.session.scalar(
        sa.select(ForbiddenPair).where(
            ForbiddenPair.help_request_id == help_request.id,
            ForbiddenPair.volunteer_id == volunteer.id,
        )
    )
    if existing is not None:
        return existing
    pair = ForbiddenPair(
        help_request_id=help_request.id,
        volunteer_id=volunteer.id,
        reason=(reason or "")[:200],
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(pair)
    audit.record(actor, "match.pair_forbidden", help_request, f"volunteer {volunteer.id}: {reason}")
    return pair


#: Why a pair that ended is forbidden from then on (the stored reason, for coordinators).
ENDED_REASONS = {
    MatchStatus.DECLINED: "afgewezen door vrijwilliger",
    MatchStatus.EXPIRED: "voorstel verlopen",
    MatchStatus.CANCELLED: "afgezegd",
}


def end_pair(actor: User | None, match: Match) -> ForbiddenPair:
    """A declined, expired or cancelled match: its pair is never proposed again for that
    request, by a round, a re-solve or the volunteer's own pick. Raises ``ValueError`` for a
    match in any other state (a programming error). The caller commits."""
    reason = ENDED_REASONS.get(match.status)
    if reason is None:
        raise ValueError(f"match {match.id} did not end: {match.status}")
    return store_forbidden_pair(actor, match.help_request, match.volunteer, reason)


def forbidden_pairs(
    requests: Sequence[HelpRequest], profiles: Sequence[VolunteerProfile]
) -> list[Pair]:
    """:func:`is_forbidden` for every pair of ``requests`` x ``profiles``, in bulk."""
    return household_rule(
        queries.stored_forbidden_pairs([help_request.id for help_request in requests]),
        [(r.id, r.requester_id, _request_homes(r)) for r in requests],
        {p.user_id: household_key(p.user.address, p.user.postcode) for p in profiles},
    )


def household_rule(
    stored: set[Pair],
    requests: Iterable[tuple[int, int, Iterable[Household]]],
    homes: Mapping[int, Household | None],
) -> list[Pair]:
    """:func:`forbidden_pairs` on plain values: the ``stored`` pairs plus, for each (request
    id, requester id, the request's homes), the requester's own request and every volunteer
    of ``homes`` (volunteer id -> home) living in one of its homes. Only pairs naming a
    volunteer of ``homes`` are returned (the engine refuses unknown ids), sorted."""
    pairs = set(stored)
    by_home: dict[Household, set[int]] = {}
    for volunteer_id, key in homes.items():
        if key is not None:
            by_home.setdefault(key, set()).add(volunteer_id)
    for request_id, requester_id, request_homes in requests:
        if requester_id in homes:
            pairs.add((request_id, requester_id))
        for key in request_homes:
            pairs.update((request_id, vid) for vid in by_home.get(key, ()))
    return sorted(pair for pair in pairs if pair[1] in homes)


def candidate_forbidden(rows: Sequence[sa.Row[Any]], volunteer: User) -> list[Pair]:
    """Forbidden pairs among rows of :func:`~marketplace.matches.queries.
    nearby_open_candidates`, by the same rules as :func:`is_forbidden`."""
    home = household_key(volunteer.address, volunteer.postcode)
    volunteer_id = volunteer.id  # once: the view passes Flask-Login's proxy (a lookup a read)
    pairs = []
    for row in rows:
        if (
            row.forbidden_id is not None
            or row.requester_id == volunteer_id
            or (home is not None and home in (
                household_key(row.address, row.postcode),
                household_key(row.requester_address, row.requester_postcode),
            ))
        ):
            pairs.append((row.id, volunteer_id))
    return pairs


def pair_reason(
    request: RequestInput, volunteer: VolunteerInput, forbidden: bool = False
) -> str | None:
    """None when the pair obeys every hard rule, else the engine's reason code.

    Capacity is not part of this check (the caller decides about load).
    """
    volunteer = replace(volunteer, capacity=1, paused=False)
    pairs = [(request.id, volunteer.id)] if forbidden else []
    result = solve([request], [volunteer], forbidden=pairs)
    if result.assignments:
        return None
    return result.unmatched[0].reason


def feasible_candidate_ids(
    requests: RequestColumns, volunteer: VolunteerInput, forbidden: Sequence[Pair]
) -> set[int]:
    """Ids of the requests this one volunteer could take by the hard rules (capacity aside):
    the engine's rule stages only (:func:`matching.api.feasible_columns`), no solve per
    view."""
    return {int(i) for i in feasible_columns(requests, volunteer, forbidden)}


def valid_locks(
    requests: Sequence[RequestInput],
    volunteers: Sequence[VolunteerInput],
    forbidden: Sequence[Pair],
    locks: Sequence[Match],
) -> list[Pair]:
    """Locked pairs that still obey the hard rules and capacities; the others are dropped."""
    by_request = {request.id: request for request in requests}
    by_volunteer = {volunteer.id: volunteer for volunteer in volunteers}
    banned = set(forbidden)
    used: dict[int, int] = {}
    kept: list[Pair] = []
    for match in sorted(locks, key=lambda m: m.id):
        pair = (match.help_request_id, match.volunteer_id)
        request, volunteer = by_request.get(pair[0]), by_volunteer.get(pair[1])
        if request is None or volunteer is None or pair in banned:
            continue
        if any(existing[0] == pair[0] for existing in kept):
            continue
        if used.get(pair[1], 0) >= volunteer.capacity or pair_reason(request, volunteer):
            continue
        used[pair[1]] = used.get(pair[1], 0) + 1
        kept.append(pair)
    return kept

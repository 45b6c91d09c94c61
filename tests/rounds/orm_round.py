"""The round as it was before the bulk reads and writes (ORM objects per row), kept callable
so the tests can prove the bulk round stores exactly the same (``test_bulk_round``).

A copy of the old ``conversion.inputs_for`` and ``rounds.services`` storing code (with its
per-object ``_pair_facts`` and ``_stats``), built on the ORM queries that browsing and
picking still use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marketplace import audit
from marketplace.extensions import db
from marketplace.matches import lifecycle, pair_rules, queries
from marketplace.matches.conversion import request_input, volunteer_input
from marketplace.models import HelpRequest, MatchingRound, RoundStatus, User, utcnow
from marketplace.organisations import rounds as organisation_rounds
from marketplace.rounds import services
from marketplace.vocabulary import local_today
from matching import RequestInput, VolunteerInput, solve


def inputs_for(rows: Sequence[HelpRequest]) -> dict[str, Any]:
    profiles = queries.eligible_profiles()
    active, recent = queries.active_match_counts(), queries.recent_match_counts()
    history = queries.previous_helpers(rows)
    today = local_today()
    requests = [request_input(row, history.get(row.requester_id)) for row in rows]
    volunteers = [
        volunteer_input(p, active.get(p.user_id, 0), recent.get(p.user_id, 0), today)
        for p in profiles
    ]
    forbidden = pair_rules.forbidden_pairs(rows, profiles)
    locks = queries.suggestions_for((row.id for row in rows), locked_only=True)
    locked = pair_rules.valid_locks(requests, volunteers, forbidden, locks)
    return {"requests": requests, "volunteers": volunteers, "forbidden": forbidden,
            "locked": locked, "rows": {row.id: row for row in rows}}


def run_round(actor: User | None, neighbourhood_id: int | None) -> MatchingRound:
    """A dry run the old way."""
    matching_round = services.new_round(actor, neighbourhood_id, True)
    services.start(matching_round)
    inputs = inputs_for(queries.open_requests(neighbourhood_id))
    locked = set(inputs["locked"])
    superseded = [
        match for match in queries.suggestions_for(inputs["rows"])
        if (match.help_request_id, match.volunteer_id) not in locked
    ]
    lifecycle.withdraw_all(superseded, actor, f"vervangen door ronde {matching_round.id}")
    result = solve(inputs["requests"], inputs["volunteers"], forbidden=inputs["forbidden"],
                   locked=inputs["locked"])
    _store(matching_round, inputs, result, actor)
    matching_round.status = RoundStatus.DONE
    matching_round.finished_at = utcnow()
    db.session.flush()
    audit.record(actor, "round.finished", matching_round,
                 f"{len(result.assignments)} suggested, {len(result.unmatched)} unmatched")
    return matching_round


def _store(matching_round: MatchingRound, inputs: dict[str, Any], result: Any,
           actor: User | None) -> None:
    carried = {
        (m.help_request_id, m.volunteer_id): m
        for m in queries.suggestions_for(inputs["rows"], locked_only=True)
    }
    requests_in = {request.id: request for request in inputs["requests"]}
    volunteers_in = {volunteer.id: volunteer for volunteer in inputs["volunteers"]}
    for assignment in result.assignments:
        if organisation_rounds.is_organisation(assignment):
            continue
        request_id, volunteer_id = int(assignment.request_id), int(assignment.volunteer_id)
        help_request = inputs["rows"][request_id]
        match = carried.get((request_id, volunteer_id)) or lifecycle.create(
            request_id, volunteer_id, lifecycle.S.SUGGESTED, actor, f"ronde {matching_round.id}"
        )
        match.round = matching_round
        match.distance_km = float(assignment.distance_km)
        match.cost = float(assignment.cost)
        data = assignment.explanation.to_dict()
        data["terms"] = {name: round(float(v), 3) for name, v in data["terms"].items()}
        data["category"] = help_request.category.slug
        data["slot"] = data.get("slot") or help_request.slot
        match.explanation = {
            **data,
            **_pair_facts(requests_in[assignment.request_id],
                          volunteers_in[assignment.volunteer_id]),
        }
    matching_round.unmatched = {str(u.request_id): u.reason for u in result.unmatched}
    matching_round.stats = _stats(result, inputs)
    organisation_rounds.store(
        matching_round, [a for a in result.assignments if organisation_rounds.is_organisation(a)],
        actor,
    )


def _pair_facts(request: RequestInput, volunteer: VolunteerInput) -> dict[str, Any]:
    rating = request.previous_helpers.get(volunteer.id)
    return {
        "requires_vog": request.requires_vog,
        "requires_training": request.requires_training,
        "waiting_days": int(request.waiting_days),
        "previous_rating": None if rating is None else float(rating),
        "recent_matches": volunteer.recent_matches,
    }


def _stats(result: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    stats = {key: value for key, value in result.stats.to_dict().items()}
    by_reason: dict[str, int] = {}
    for unmatched in result.unmatched:
        by_reason[unmatched.reason] = by_reason.get(unmatched.reason, 0) + 1
    stats.update(
        requests=len(inputs["requests"]),
        volunteers=len(inputs["volunteers"]),
        matched=len(result.assignments),
        unmatched_count=len(result.unmatched),
        unmatched_by_reason=by_reason,
        locked=len(inputs["locked"]),
        gap_percent=services._gap_percent(result),
    )
    return stats

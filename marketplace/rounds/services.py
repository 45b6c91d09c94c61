"""Matching rounds: run the optimiser, review its suggestions, approve, lock and forbid.

A *dry run* only stores suggestions for a coordinator to review and approve. A *real* round
approves every suggestion at once: the volunteers get the proposals straight away.

A round started from the web is queued through the outbox (:func:`create_round`), in the
same transaction that stores it, so it can never be left waiting without a job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from marketplace import access, audit, outbox
from marketplace.errors import DomainError, NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.matches import lifecycle, notifications, pair_rules, round_reads
from marketplace.matches.round_reads import RequestFacts, RoundInputs
from marketplace.models import (
    ForbiddenPair,
    HelpRequest,
    Match,
    MatchingRound,
    MatchStatus,
    Neighbourhood,
    OrganisationReferral,
    OutboxMessage,
    OutboxStatus,
    RequestStatus,
    RoundStatus,
    User,
    utcnow,
)
from marketplace.organisations import rounds as organisation_rounds
from marketplace.requests import lifecycle as request_lifecycle
from marketplace.requests import rules as request_rules
from marketplace.rounds.steps import Clock, Steps
from marketplace.vocabulary import LOCAL_ZONE
from matching import MatchResult
from matching.api import solve_encoded
from matching.arrays import Encoded
from matching.model import Id

Progress = Callable[[int, int], None]

#: Engine reason codes -> plain Dutch for the coordinator.
REASON_LABELS = {
    "no_volunteer_with_skill": _l("Geen vrijwilliger die deze hulp kan geven"),
    "requires_vog": _l("Geen vrijwilliger met een geldige VOG"),
    "requires_training": _l("Geen vrijwilliger met de nodige training"),
    "no_volunteer_in_range": _l("Geen vrijwilliger dichtbij genoeg"),
    "no_volunteer_available_at_time": _l("Niemand is vrij op dat moment"),
    "all_forbidden": _l("Alle passende vrijwilligers zijn uitgesloten voor deze aanvraag"),
    "paused": _l("De passende vrijwilligers hebben nu geen ruimte"),
    "volunteers_taken": _l("De passende vrijwilligers zijn al aan andere aanvragen gekoppeld"),
}

def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, code))


def new_round(
    actor: User | None, neighbourhood_id: int | None, dry_run: bool,
    stats: dict[str, Any] | None = None,
) -> MatchingRound:
    """A queued round (flushed and audited); ``stats`` start it off (a region's shards).
    Raises NotFound for an unknown neighbourhood."""
    if neighbourhood_id is not None and db.session.get(Neighbourhood, neighbourhood_id) is None:
        raise NotFound(_l("Deze wijk bestaat niet."))
    matching_round = MatchingRound(
        neighbourhood_id=neighbourhood_id,
        dry_run=dry_run,
        status=RoundStatus.QUEUED,
        started_by_id=actor.id if actor is not None else None,
        stats=dict(stats or {}),
        unmatched={},
    )
    db.session.add(matching_round)
    db.session.flush()
    audit.record(actor, "round.created", matching_round, "dry run" if dry_run else "real")
    return matching_round


def create_round(
    actor: User | None, neighbourhood_id: int | None, dry_run: bool
) -> MatchingRound:
    """A queued round, with the outbox message that runs it after the commit.

    Raises NotFound for an unknown neighbourhood.
    """
    access.require_staff(actor)
    matching_round = new_round(actor, neighbourhood_id, dry_run)
    outbox.add("matching_round", {"round_id": matching_round.id})
    return matching_round


def run_round(
    actor: User | None,
    neighbourhood_id: int | None,
    dry_run: bool,
    progress: Progress | None = None,
    steps: Steps | None = None,
) -> MatchingRound:
    """Create and execute a round in one go (the CLI). The caller commits. ``steps``, when
    given, receives the seconds each step took (see :func:`execute_round`)."""
    matching_round = new_round(actor, neighbourhood_id, dry_run)
    return execute_round(matching_round, actor, progress, steps=steps)


def execute_round(
    matching_round: MatchingRound,
    actor: User | None = None,
    progress: Progress | None = None,
    *,
    only: Sequence[HelpRequest] | None = None,
    at: datetime | None = None,
    steps: Steps | None = None,
) -> MatchingRound:
    """Solve for the round's scope (its neighbourhood, or just the requests in ``only``) and
    store the suggestions, and the proposals when the round is real (proposed ``at``,
    default now).

    Reads and writes in bulk (Core statements, no ORM object per row) in the caller's
    transaction. ``steps`` (step name -> seconds) gets ``read``, ``withdraw``, ``solve``,
    ``store`` and, for a real round, ``approve``."""
    clock = Clock(steps)
    start(matching_round)
    inputs = (
        round_reads.collect_inputs(matching_round.neighbourhood_id)
        if only is None else round_reads.inputs_for_ids([row.id for row in only])
    )
    clock.lap("read")
    withdraw_old_suggestions(matching_round, inputs, actor)
    clock.lap("withdraw")
    result = solve_encoded(inputs.encoded, inputs.locked, progress=progress)
    clock.lap("solve")
    return store_solution(matching_round, inputs, result, actor, at=at, clock=clock)


def store_solution(
    matching_round: MatchingRound,
    inputs: RoundInputs,
    result: MatchResult,
    actor: User | None = None,
    *,
    at: datetime | None = None,
    clock: Clock | None = None,
) -> MatchingRound:
    """Store a solved round (this module's round, or a region's merged answer): the
    suggestions in bulk, the organisations' proposals, the round done, and for a real round
    every suggestion proposed (``at``). Superseded suggestions must already be withdrawn
    (:func:`withdraw_old_suggestions`). The caller commits."""
    clock = clock or Clock(None)
    _store_result(matching_round, inputs, result, actor)
    organisation_rounds.store(
        matching_round, [a for a in result.assignments if organisation_rounds.is_organisation(a)],
        actor,
    )
    matching_round.status = RoundStatus.DONE
    matching_round.finished_at = utcnow()
    db.session.flush()
    clock.lap("store")
    if not matching_round.dry_run:
        approve_matches(actor, matching_round, None, at=at)
        clock.lap("approve")
    audit.record(
        actor, "round.finished", matching_round,
        f"{len(result.assignments)} suggested, {len(result.unmatched)} unmatched",
    )
    return matching_round


def resolve_request(help_request: HelpRequest, at: datetime) -> Match | None:
    """A small re-solve for one open request (its proposal expired): a real round of just
    this request proposes the next-best suitable volunteer at once, explained and mailed
    like any proposal, and never a pair that declined, expired or was cancelled before
    (:func:`marketplace.matches.pair_rules.end_pair`). The round is listed with the others,
    so coordinators see why this volunteer was asked. Returns the proposal, or None when no
    suitable volunteer is free or the request is no longer open (it waits in the queue, or
    was taken meanwhile). The caller commits."""
    if help_request.status != RequestStatus.OPEN:
        return None  # taken or closed in the meantime
    if request_rules.day_passed(help_request, at.astimezone(LOCAL_ZONE).date()):
        return None  # nobody can help on a day gone by: the tick opens a task instead
    matching_round = new_round(None, help_request.neighbourhood_id, dry_run=False)
    execute_round(matching_round, None, only=[help_request], at=at)
    matching_round.stats = {**matching_round.stats, "resolve_for": help_request.id}
    proposed = [
        match for match in round_matches(matching_round) if match.status == MatchStatus.PROPOSED
    ]
    return proposed[0] if proposed else None


def start(matching_round: MatchingRound) -> None:
    """The round is being worked on (shown as busy until it is done or failed)."""
    matching_round.status = RoundStatus.RUNNING


def fail_round(matching_round: MatchingRound, error: str) -> None:
    matching_round.status = RoundStatus.FAILED
    matching_round.error = error[:500]
    matching_round.finished_at = utcnow()


def withdraw_old_suggestions(
    matching_round: MatchingRound, inputs: RoundInputs, actor: User | None
) -> None:
    """Suggestions of earlier rounds for these requests give way (locked ones are carried),
    in bulk through :func:`lifecycle.withdraw_suggestions`."""
    locked = set(inputs.locked)
    superseded = [
        match_id
        for match_id, request_id, volunteer_id in round_reads.suggestion_ids(inputs.request_ids)
        if (request_id, volunteer_id) not in locked
    ]
    lifecycle.withdraw_suggestions(superseded, actor, f"vervangen door ronde {matching_round.id}")


def _store_result(
    matching_round: MatchingRound, inputs: RoundInputs, result: MatchResult, actor: User | None
) -> None:
    """The round's suggestions: carried locks get the round's figures, new pairs are
    inserted in bulk (:func:`lifecycle.create_suggestions`)."""
    carried = {(m.help_request_id, m.volunteer_id): m for m in inputs.carried}
    pair_facts = _pair_facts(inputs.encoded)
    new_rows = []
    for assignment in result.assignments:
        if organisation_rounds.is_organisation(assignment):
            continue  # routed (or listed) by organisation_rounds.store
        request_id, volunteer_id = int(assignment.request_id), int(assignment.volunteer_id)
        fields = {
            "round_id": matching_round.id,
            "distance_km": float(assignment.distance_km),
            "cost": float(assignment.cost),
            "explanation": {
                **_explanation(assignment.explanation.to_dict(), inputs.facts[request_id]),
                **pair_facts(assignment.request_id, assignment.volunteer_id),
            },
        }
        match = carried.get((request_id, volunteer_id))
        if match is None:
            new_rows.append({"help_request_id": request_id, "volunteer_id": volunteer_id,
                             **fields})
            continue
        match.round = matching_round
        for name, value in fields.items():
            if name != "round_id":
                setattr(match, name, value)
    lifecycle.create_suggestions(new_rows, actor, f"ronde {matching_round.id}")
    matching_round.unmatched = {str(u.request_id): u.reason for u in result.unmatched}
    matching_round.stats = _stats(result, inputs)


def _explanation(data: dict[str, Any], facts: RequestFacts) -> dict[str, Any]:
    data["terms"] = {name: round(float(value), 3) for name, value in data["terms"].items()}
    data["category"] = facts.category
    data["slot"] = data.get("slot") or facts.slot
    return data


def _pair_facts(encoded: Encoded) -> Callable[[Id, Id], dict[str, Any]]:
    """The inputs the round page's words need beside the engine's explanation
    (``rounds.explain``), per (request id, volunteer id) of ``encoded``: the request's
    screening needs and whole days waited, the rating this resident gave the volunteer
    before (``None``: no rated earlier help) and the volunteer's recent matches. The cost
    terms alone cannot tell these apart (the continuity term is the same for a stranger and
    for a helper rated 3 or less)."""
    arrays = encoded.arrays
    vog, training = arrays.req_vog.tolist(), arrays.req_training.tolist()
    waiting, recent = arrays.req_waiting.tolist(), arrays.vol_recent.tolist()
    ratings = {(r, v): rating for (r, v), rating
               in zip(arrays.history.tolist(), arrays.history_rating.tolist(), strict=True)}

    def facts(request_id: Id, volunteer_id: Id) -> dict[str, Any]:
        r, v = encoded.request_index[request_id], encoded.volunteer_index[volunteer_id]
        rating = ratings.get((r, v))
        return {
            "requires_vog": vog[r],
            "requires_training": training[r],
            "waiting_days": int(waiting[r]),
            "previous_rating": None if rating is None else float(rating),
            "recent_matches": recent[v],
        }

    return facts


def _stats(result: MatchResult, inputs: RoundInputs) -> dict[str, Any]:
    stats = {key: value for key, value in result.stats.to_dict().items()}
    by_reason: dict[str, int] = {}
    for unmatched in result.unmatched:
        by_reason[unmatched.reason] = by_reason.get(unmatched.reason, 0) + 1
    stats.update(
        requests=inputs.encoded.arrays.n_requests,
        volunteers=inputs.encoded.arrays.n_volunteers,
        matched=len(result.assignments),
        unmatched_count=len(result.unmatched),
        unmatched_by_reason=by_reason,
        locked=len(inputs.locked),
        # Proven upper bound on how much the total cost is above the best possible, in %.
        gap_percent=_gap_percent(result),
    )
    return stats


def _gap_percent(result: MatchResult) -> float | None:
    bound, total = result.stats.gap_bound, result.stats.total_cost
    if bound is None:
        return None
    return 0.0 if bound == 0.0 or total <= 0 else round(100 * bound / total, 3)


def waits_for_queue(matching_round: MatchingRound) -> bool:
    """True when the round's outbox message is still waiting to be handed to a worker (the
    queue was unreachable when the round was started)."""
    waiting = db.session.scalars(
        sa.select(OutboxMessage.payload).where(
            OutboxMessage.kind == "matching_round",
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    )
    return any(payload.get("round_id") == matching_round.id for payload in waiting)


def get_round(round_id: int) -> MatchingRound:
    found = db.session.get(MatchingRound, round_id)
    if found is None:
        raise NotFound(_l("Deze ronde bestaat niet."))
    return found


def list_rounds(limit: int = 30) -> list[MatchingRound]:
    query = sa.select(MatchingRound).order_by(MatchingRound.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def round_matches(matching_round: MatchingRound) -> list[Match]:
    """The round's pairs that are still relevant (not withdrawn), by request."""
    query = (
        sa.select(Match)
        .where(Match.round_id == matching_round.id, Match.status != MatchStatus.WITHDRAWN)
        .order_by(Match.help_request_id)
    )
    return list(db.session.scalars(query).unique())


def unmatched_requests(matching_round: MatchingRound) -> list[tuple[HelpRequest, str]]:
    """(request, reason code) for the round's unmatched requests that still exist."""
    ids = [int(key) for key in (matching_round.unmatched or {})]
    if not ids:
        return []
    rows = db.session.scalars(sa.select(HelpRequest).where(HelpRequest.id.in_(ids))).unique()
    ordered = sorted(rows, key=lambda row: row.id)
    return [(row, matching_round.unmatched[str(row.id)]) for row in ordered]


def get_match(match_id: int) -> Match:
    found = db.session.get(Match, match_id)
    if found is None:
        raise NotFound(_l("Dit voorstel bestaat niet."))
    return found


def approve_matches(
    actor: User | None,
    matching_round: MatchingRound,
    match_ids: Iterable[int] | None,
    at: datetime | None = None,
) -> list[Match]:
    """Propose the round's suggestions (all, or those in ``match_ids``) to the volunteers
    (proposed ``at``, default now: a proposal expires counting from then).

    Suggestions whose request is no longer open are withdrawn instead. The volunteers' mails
    go to the outbox. Returns the matches now proposed; the caller commits.
    """
    access.require_staff(actor)
    wanted = None if match_ids is None else set(match_ids)
    approved: list[Match] = []
    for match in round_matches(matching_round):
        if match.status != MatchStatus.SUGGESTED or (wanted is not None and match.id not in wanted):
            continue
        if match.help_request.status != RequestStatus.OPEN:
            lifecycle.withdraw(match, actor, "aanvraag is niet meer open")
            continue
        lifecycle.transition(match, MatchStatus.PROPOSED, actor, "goedgekeurd", at)
        request_lifecycle.transition(
            match.help_request, RequestStatus.PROPOSED, actor, "voorstel aan vrijwilliger"
        )
        audit.record(actor, "match.approved", match)
        approved.append(match)
    db.session.flush()
    notifications.proposed(approved)
    return approved


@dataclass(frozen=True)
class Approval:
    """What approving a round did: proposals to volunteers, requests routed to organisations."""

    matches: list[Match]
    referrals: list[OrganisationReferral]


def approve_round(
    actor: User | None,
    matching_round: MatchingRound,
    match_ids: Iterable[int] | None,
    organisation_request_ids: Iterable[int] = (),
) -> Approval:
    """Approve a round: its suggestions as :func:`approve_matches` and, for a dry run, its
    organisation proposals routed as a real round routes them
    (:func:`marketplace.organisations.rounds.route_proposals`). ``match_ids`` None approves
    everything, else the suggestions in ``match_ids`` and the organisation proposals for the
    requests in ``organisation_request_ids``.

    Raises :class:`NotAllowed` for anyone but staff. The caller commits."""
    matches = approve_matches(actor, matching_round, match_ids)
    referrals = []
    if matching_round.dry_run:  # a real round routed them when it ran
        chosen = None if match_ids is None else organisation_request_ids
        referrals = organisation_rounds.route_proposals(matching_round, actor, chosen)
    return Approval(matches, referrals)


def set_locked(actor: User, match: Match, locked: bool) -> Match:
    """Lock (keep in the next round) or unlock a suggestion. Only suggestions can be locked."""
    if not access.can_manage_match(actor, match):
        raise NotAllowed(_l("Alleen medewerkers van het meldpunt kunnen dit doen."))
    if match.status != MatchStatus.SUGGESTED:
        raise DomainError(_l("Alleen voorstellen die nog niet zijn verstuurd kunt u vastzetten."))
    match.locked = locked
    audit.record(actor, "match.locked" if locked else "match.unlocked", match)
    db.session.flush()
    return match


def lock_match(actor: User, match: Match) -> Match:
    return set_locked(actor, match, True)


def unlock_match(actor: User, match: Match) -> Match:
    return set_locked(actor, match, False)


def forbid_pair(
    actor: User, help_request: HelpRequest, volunteer: User, reason: str = ""
) -> ForbiddenPair:
    """Forbid the pair and withdraw its open suggestion or proposal (request back to open)."""
    access.require_staff(actor)
    reason = reason or "geblokkeerd door coördinator"
    pair = pair_rules.store_forbidden_pair(actor, help_request, volunteer, reason)
    waiting = [
        match
        for match in lifecycle.in_play_for(
            help_request.id, (MatchStatus.SUGGESTED, MatchStatus.PROPOSED)
        )
        if match.volunteer_id == volunteer.id
    ]
    for match in waiting:
        if match.status == MatchStatus.PROPOSED and help_request.status == RequestStatus.PROPOSED:
            request_lifecycle.transition(
                help_request, RequestStatus.OPEN, actor, "koppeling geblokkeerd"
            )
        lifecycle.withdraw(match, actor, f"geblokkeerd: {reason}")
    db.session.flush()
    return pair


def list_neighbourhoods() -> list[Neighbourhood]:
    return list(db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)))

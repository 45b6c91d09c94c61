"""What a matching round does with the organisations the engine proposed (the conversion
layer mapping back; see :mod:`marketplace.organisations.conversion`).

A *real* round routes each request to its organisation at once (the organisation's
coordinator is told, its answer time starts). A *dry run* only lists them on the round page,
explained like any proposal; approving the dry run routes them (all, or those chosen) exactly
as a real round would (:func:`route_proposals`), and each can still be routed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.i18n import gettext as _
from marketplace.models import (
    HelpRequest,
    MatchingRound,
    Organisation,
    OrganisationReferral,
    RequestStatus,
    User,
)
from marketplace.organisations import services
from marketplace.organisations.conversion import organisation_id_of
from marketplace.templating import category_name
from matching import Assignment

STATS_KEY = "organisations"


def is_organisation(assignment: Assignment) -> bool:
    return organisation_id_of(assignment.volunteer_id) is not None


def store(matching_round: MatchingRound, assignments: Sequence[Assignment],
          actor: User | None) -> int:
    """Record the round's organisation proposals (``stats["organisations"]``) and, in a real
    round, route each request. Returns how many were routed. The caller commits."""
    listed: list[dict[str, Any]] = []
    routed = 0
    for assignment in assignments:
        organisation_id = organisation_id_of(assignment.volunteer_id)
        help_request = db.session.get(HelpRequest, int(assignment.request_id))
        organisation = db.session.get(Organisation, organisation_id or 0)
        if organisation is None or help_request is None:
            continue
        entry = {"request_id": help_request.id, "organisation_id": organisation.id,
                 "cost": round(float(assignment.cost), 3), "referral_id": None}
        if not matching_round.dry_run:
            referral = _route(matching_round, help_request, organisation, actor)
            entry["referral_id"] = referral.id if referral is not None else None
            routed += referral is not None
        listed.append(entry)
    matching_round.stats = {**(matching_round.stats or {}), STATS_KEY: listed}
    return routed


def _route(matching_round: MatchingRound, help_request: HelpRequest,
           organisation: Organisation, actor: User | None) -> OrganisationReferral | None:
    try:
        with db.session.begin_nested():
            referral = services.route_request(actor, help_request, organisation,
                                              f"ronde {matching_round.id}")
    except DomainError:
        return None  # taken or routed meanwhile: the request stays where it is
    referral.round_id = matching_round.id
    referral.explanation = {"round": matching_round.id}
    return referral


def route_proposals(matching_round: MatchingRound, actor: User | None,
                    request_ids: Iterable[int] | None) -> list[OrganisationReferral]:
    """Approving a dry run: route its organisation proposals (all, or those for the requests
    in ``request_ids``) as a real round does (referral, the organisation's coordinator told
    through the outbox, its answer time starting now).

    A proposal is skipped when it was routed already (by an earlier approval, or by hand
    since the round was made: a request is never routed twice from one round) or its request
    is no longer open. Returns the new referrals; the caller commits."""
    wanted = None if request_ids is None else set(request_ids)
    listed = [dict(entry) for entry in (matching_round.stats or {}).get(STATS_KEY) or []]
    routed: list[OrganisationReferral] = []
    for entry in listed:
        if wanted is not None and entry["request_id"] not in wanted:
            continue
        help_request = db.session.get(HelpRequest, entry["request_id"])
        organisation = db.session.get(Organisation, entry["organisation_id"])
        if (help_request is None or organisation is None
                or not _routable(matching_round, help_request, entry)):
            continue
        referral = _route(matching_round, help_request, organisation, actor)
        if referral is not None:
            entry["referral_id"] = referral.id
            routed.append(referral)
    matching_round.stats = {**(matching_round.stats or {}), STATS_KEY: listed}
    return routed


def _routable(matching_round: MatchingRound, help_request: HelpRequest,
              entry: dict[str, Any]) -> bool:
    """Not routed by this round yet, nor by hand since it was made, and still open."""
    if entry.get("referral_id") or help_request.status != RequestStatus.OPEN:
        return False
    routed_since = db.session.scalar(
        sa.select(OrganisationReferral.id).where(
            OrganisationReferral.help_request_id == help_request.id,
            OrganisationReferral.created_at >= matching_round.created_at,
        ).limit(1)
    )
    return routed_since is None


@dataclass(frozen=True)
class Proposal:
    """One organisation a round proposed for a request, in words. ``routable``: approving
    the round would still route it (see :func:`route_proposals`)."""

    help_request: HelpRequest
    organisation: Organisation
    words: str
    referral: OrganisationReferral | None
    routable: bool = False


def words(organisation: Organisation, help_request: HelpRequest) -> str:
    """"Organisatie X: werkt in uw wijk, biedt boodschappen"."""
    return _("Organisatie %(name)s: werkt in uw wijk, biedt %(help)s",
             name=organisation.name, help=category_name(help_request.category).lower())


def proposals(matching_round: MatchingRound) -> list[Proposal]:
    """The round's organisation proposals whose request and organisation still exist."""
    listed = (matching_round.stats or {}).get(STATS_KEY) or []
    if not listed:
        return []
    requests = {row.id: row for row in db.session.scalars(sa.select(HelpRequest).where(
        HelpRequest.id.in_([entry["request_id"] for entry in listed]))).unique()}
    result = []
    for entry in listed:
        help_request = requests.get(entry["request_id"])
        organisation = db.session.get(Organisation, entry["organisation_id"])
        if help_request is None or organisation is None:
            continue
        referral = (db.session.get(OrganisationReferral, entry["referral_id"])
                    if entry.get("referral_id") else None)
        routable = matching_round.dry_run and _routable(matching_round, help_request, entry)
        result.append(Proposal(help_request, organisation, words(organisation, help_request),
                               referral, routable))
    return result

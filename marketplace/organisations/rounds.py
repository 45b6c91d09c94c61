"""What a matching round does with the organisations the engine proposed (the conversion
layer mapping back; see :mod:`marketplace.organisations.conversion`).

A *real* round routes each request to its organisation at once (the organisation's
coordinator is told, its answer time starts). A *dry run* only lists them on the round page,
explained like any proposal, with a link to route the request by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import (
    HelpRequest,
    MatchingRound,
    Organisation,
    OrganisationReferral,
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
            entry["referral_id"] = _route(matching_round, help_request, organisation, actor)
            routed += entry["referral_id"] is not None
        listed.append(entry)
    matching_round.stats = {**(matching_round.stats or {}), STATS_KEY: listed}
    return routed


def _route(matching_round: MatchingRound, help_request: HelpRequest,
           organisation: Organisation, actor: User | None) -> int | None:
    try:
        with db.session.begin_nested():
            referral = services.route_request(actor, help_request, organisation,
                                              f"ronde {matching_round.id}")
    except DomainError:
        return None  # taken or routed meanwhile: the request stays where it is
    referral.round_id = matching_round.id
    referral.explanation = {"round": matching_round.id}
    return referral.id


@dataclass(frozen=True)
class Proposal:
    """One organisation a round proposed for a request, in words."""

    help_request: HelpRequest
    organisation: Organisation
    words: str
    referral: OrganisationReferral | None


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
        result.append(Proposal(help_request, organisation, words(organisation, help_request),
                               referral))
    return result

"""Partner organisations as the matching engine sees them (part of the one conversion layer,
called from :func:`marketplace.matches.round_reads.inputs_for_scope`).

Each active organisation takes part in a round as one "volunteer" with id ``org:<id>``:

* **capacity**: ``capacity_per_round`` minus the requests still waiting for its answer (an
  organisation that has not answered is not handed more);
* **skills**: the kinds of help it offers; it is available at every time of the week and
  screens its own volunteers (VOG, training) before it asks one of them;
* **service area**: its neighbourhoods. A request outside them is a forbidden pair
  (infeasible). Inside, the engine (unchanged, pure) measures the distance from the centre of
  the round's requests in that area, with a reach just covering them, so an organisation
  competes fairly with nearby volunteers instead of always winning on a distance of 0.

Requests already waiting for an organisation stay out of the round.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Organisation, OrganisationReferral
from marketplace.vocabulary import ReferralStatus
from matching import SLOTS, VolunteerInput
from matching.geo import haversine_km

PREFIX = "org:"
#: Added to the farthest in-area request, so rounding never puts one out of reach.
REACH_MARGIN_KM = 0.5


def volunteer_id(organisation_id: int) -> str:
    return f"{PREFIX}{organisation_id}"


def organisation_id_of(engine_id: object) -> int | None:
    """The organisation behind an engine volunteer id, or None for a person's id."""
    if isinstance(engine_id, str) and engine_id.startswith(PREFIX):
        return int(engine_id[len(PREFIX):])
    return None


def waiting_ids() -> sa.Select[Any]:
    """A ``select`` of the ids of requests waiting for an organisation's answer."""
    return sa.select(OrganisationReferral.help_request_id).where(
        OrganisationReferral.status == ReferralStatus.ROUTED
    )


def organisation_inputs(
    rows: Sequence[Any],
) -> tuple[list[VolunteerInput], list[tuple[Any, Any]]]:
    """(the organisations as engine volunteers, the forbidden pairs outside their areas) for
    the round's request rows (``id``, ``latitude``, ``longitude``, ``neighbourhood_id``).

    Organisations without capacity left or without a request in their area are left out.
    """
    waiting = _waiting_counts()
    volunteers: list[VolunteerInput] = []
    # (request id, "org:<id>"): typed loosely to join the people's (int, int) pairs.
    forbidden: list[tuple[Any, Any]] = []
    for organisation in _active():
        capacity = organisation.capacity_per_round - waiting.get(organisation.id, 0)
        areas = {item.id for item in organisation.neighbourhoods}
        inside = [row for row in rows if row.neighbourhood_id in areas]
        if capacity <= 0 or not inside:
            continue
        volunteers.append(_as_volunteer(organisation, capacity, inside))
        inside_ids = {row.id for row in inside}
        engine_id = volunteer_id(organisation.id)
        forbidden += [(row.id, engine_id) for row in rows if row.id not in inside_ids]
    return volunteers, forbidden


def _as_volunteer(organisation: Organisation, capacity: int,
                  inside: list[Any]) -> VolunteerInput:
    lat = sum(row.latitude for row in inside) / len(inside)
    lon = sum(row.longitude for row in inside) / len(inside)
    reach = max(float(haversine_km(lat, lon, row.latitude, row.longitude))
                for row in inside) + REACH_MARGIN_KM
    return VolunteerInput(
        id=volunteer_id(organisation.id), lat=lat, lon=lon,
        skills=frozenset(category.slug for category in organisation.categories),
        availability=frozenset(SLOTS), max_km=float(reach), has_vog=True, has_training=True,
        capacity=capacity,
    )


def _active() -> list[Organisation]:
    query = sa.select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.id)
    return list(db.session.scalars(query))


def _waiting_counts() -> dict[int, int]:
    rows = db.session.execute(
        sa.select(OrganisationReferral.organisation_id, sa.func.count())
        .where(OrganisationReferral.status == ReferralStatus.ROUTED)
        .group_by(OrganisationReferral.organisation_id)
    )
    return {int(organisation_id): int(count) for organisation_id, count in rows}

"""The meldpunt's administrator keeps the partner organisations: their profile, the help
they give, where they work, their capacity per round and answer time, and their members.

Services take plain arguments, check access, flush and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from marketplace import audit
from marketplace.errors import FieldError, NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import (
    Category,
    MemberRole,
    Neighbourhood,
    Organisation,
    OrganisationMember,
    Role,
    User,
)


@dataclass(frozen=True)
class OrganisationData:
    """What the admin form gives (already validated for shape)."""

    name: str
    description: str
    email: str
    website: str
    phone: str
    active: bool
    neighbourhood_ids: tuple[int, ...]
    category_ids: tuple[int, ...]
    capacity_per_round: int
    answer_hours: int | None


def _require_admin(actor: User) -> None:
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_l("Alleen een beheerder kan organisaties beheren."))


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))


def get_organisation(organisation_id: int) -> Organisation:
    found = db.session.get(Organisation, organisation_id)
    if found is None:
        raise NotFound(_l("Deze organisatie bestaat niet."))
    return found


def save_organisation(actor: User, organisation: Organisation | None, data: OrganisationData
                      ) -> Organisation:
    """Create (``organisation`` None) or change an organisation. Raises :class:`FieldError`
    for a name another organisation has."""
    _require_admin(actor)
    name = data.name.strip()
    taken = db.session.scalar(sa.select(Organisation.id).where(
        sa.func.lower(Organisation.name) == name.lower()))
    if taken is not None and (organisation is None or taken != organisation.id):
        raise FieldError("name", _l("Er is al een organisatie met deze naam."))
    created = organisation is None
    if organisation is None:
        organisation = Organisation(name=name)
        db.session.add(organisation)
    organisation.name = name
    organisation.description = data.description.strip()
    organisation.email = data.email.strip()
    organisation.website = data.website.strip()
    organisation.phone = data.phone.strip()
    organisation.active = data.active
    organisation.capacity_per_round = data.capacity_per_round
    organisation.answer_hours = data.answer_hours
    organisation.neighbourhoods = _rows(Neighbourhood, data.neighbourhood_ids)
    organisation.categories = _rows(Category, data.category_ids)
    db.session.flush()
    audit.record(actor, "organisation.created" if created else "organisation.updated",
                 organisation)
    return organisation


def _rows(model: type[Neighbourhood] | type[Category], ids: Iterable[int]) -> list:  # type: ignore[type-arg]
    wanted = set(ids)
    if not wanted:
        return []
    return list(db.session.scalars(sa.select(model).where(model.id.in_(wanted))))


def add_member(actor: User, organisation: Organisation, email: str, role: MemberRole
               ) -> OrganisationMember:
    """Add the person with ``email`` as coordinator or volunteer of the organisation.

    A coordinator gets the organisation-coordinator role; a volunteer must be a volunteer
    of the meldpunt already. Raises :class:`FieldError` for an unknown address, a person
    who is not a volunteer, or someone who already has this role here.
    """
    _require_admin(actor)
    person = db.session.scalar(sa.select(User).where(
        sa.func.lower(User.email) == (email or "").strip().lower()))
    if person is None or not person.is_active:
        raise FieldError("email", _l("Er is geen actief account met dit e-mailadres."))
    if role == MemberRole.VOLUNTEER and person.volunteer_profile is None:
        raise FieldError("email", _l("Deze persoon is nog geen vrijwilliger bij het meldpunt."))
    if any(m.user_id == person.id and m.role == role for m in organisation.members):
        raise FieldError("email", _l("Deze persoon hoort hier al bij."))
    member = OrganisationMember(user=person, role=role)
    organisation.members.append(member)
    if role == MemberRole.COORDINATOR:
        person.add_role(Role.ORGANISATION_COORDINATOR)
    db.session.flush()
    audit.record(actor, "organisation.member_added", person, f"{organisation.name}: {role}")
    return member


def remove_member(actor: User, organisation: Organisation, user_id: int, role: MemberRole
                  ) -> None:
    """Remove one membership; a coordinator of no organisation any more loses the role."""
    _require_admin(actor)
    member = next((m for m in organisation.members
                   if m.user_id == user_id and m.role == role), None)
    if member is None:
        raise NotFound(_l("Deze persoon hoort niet bij deze organisatie."))
    person = member.user
    organisation.members.remove(member)
    db.session.flush()
    if role == MemberRole.COORDINATOR and not db.session.scalar(
        sa.select(OrganisationMember.user_id).where(
            OrganisationMember.user_id == person.id,
            OrganisationMember.role == MemberRole.COORDINATOR).limit(1)
    ):
        person.remove_role(Role.ORGANISATION_COORDINATOR)
    audit.record(actor, "organisation.member_removed", person, f"{organisation.name}: {role}")

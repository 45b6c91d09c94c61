"""Builders for the partner-organisation tests."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.extensions import db
from marketplace.models import (
    MemberRole,
    Organisation,
    OrganisationMember,
    OrganisationReferral,
    Role,
    User,
)
from marketplace.organisations import services
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request


@dataclass
class Partner:
    organisation: Organisation
    coordinator: User
    volunteer: User


def partner(name: str = "Humanitas Hilversum", **fields: object) -> Partner:
    """An organisation in Centrum giving boodschappen, with one coordinator and one volunteer."""
    organisation = Organisation(name=name, **fields)
    organisation.neighbourhoods = [factories.neighbourhood("Centrum")]
    organisation.categories = [factories.category("boodschappen")]
    db.session.add(organisation)
    lead = factories.user(Role.ORGANISATION_COORDINATOR)
    helper = make_volunteer()
    organisation.members.extend([
        OrganisationMember(user=lead, role=MemberRole.COORDINATOR),
        OrganisationMember(user=helper, role=MemberRole.VOLUNTEER),
    ])
    db.session.flush()
    return Partner(organisation, lead, helper)


def routed(partner_: Partner, desk: User | None = None, **fields: object
           ) -> OrganisationReferral:
    """An open request routed to ``partner_`` by a coordinator (committed)."""
    help_request = open_request(**fields)
    referral = services.route_request(desk or coordinator(), help_request,
                                      partner_.organisation, "Graag snel")
    db.session.commit()
    return referral

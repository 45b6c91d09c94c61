"""Demo partner organisations (invented, after real kinds of Hilversum organisations): three
organisations with their coordinators and volunteers, and a request routed to Humanitas
waiting for its coordinator (``organisatie@demo.hulppunt.nl``)."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Category,
    HelpRequest,
    MemberRole,
    Neighbourhood,
    Organisation,
    OrganisationMember,
    RequestStatus,
    Role,
    User,
    VolunteerProfile,
    utcnow,
)
from marketplace.organisations import services

#: (name, description, kinds of help, neighbourhoods, coordinator's e-mail, capacity).
ORGANISATIONS = [
    ("Humanitas Hilversum", "Vrijwilligers voor thuisadministratie, bezoek en boodschappen.",
     ["boodschappen", "administratie", "bezoek"],
     ["Centrum", "Oost", "Noordoost", "Noordwest", "Hilversum-Noord"],
     "organisatie@demo.hulppunt.nl", 3),
    ("De Zonnebloem afdeling Hilversum", "Bezoek, uitjes en vervoer voor mensen met een "
     "beperking.", ["bezoek", "vervoer", "maatje"], ["Hilversum-Zuid", "Zuidwest", "Zuidoost"],
     "organisatie.zonnebloem@demo.hulppunt.nl", 2),
    ("Stichting Present Hilversum", "Groepen vrijwilligers voor klussen in huis en tuin.",
     ["klusjes", "tuin"], ["Noordwest", "Hilversum-Noord", "Centrum"],
     "organisatie.present@demo.hulppunt.nl", 2),
]
#: Demo volunteers per organisation (the first: the demo volunteer, so the demo can show
#: a request that reached them through Humanitas).
MEMBERS = [
    ["vrijwilliger@demo.hulppunt.nl", "vrijwilliger1@demo.hulppunt.nl",
     "vrijwilliger2@demo.hulppunt.nl"],
    ["vrijwilliger3@demo.hulppunt.nl", "vrijwilliger4@demo.hulppunt.nl",
     "vrijwilliger1@demo.hulppunt.nl"],
    ["vrijwilliger5@demo.hulppunt.nl", "vrijwilliger6@demo.hulppunt.nl"],
]


def seed_demo_organisations(desk: User, password_hash: str) -> int:
    """Create the demo organisations and route one open request to Humanitas (by ``desk``).
    Returns how many organisations were made. The caller commits."""
    categories = {c.slug: c for c in db.session.scalars(sa.select(Category))}
    places = {n.name: n for n in db.session.scalars(sa.select(Neighbourhood))}
    made = []
    for (name, about, kinds, areas, email, capacity), members in zip(
        ORGANISATIONS, MEMBERS, strict=True
    ):
        organisation = Organisation(name=name, description=about, capacity_per_round=capacity,
                                    email=email.replace("organisatie", "info", 1))
        organisation.categories = [categories[slug] for slug in kinds if slug in categories]
        organisation.neighbourhoods = [places[area] for area in areas if area in places]
        lead = User(email=email, name=f"Coördinator {name.split()[0]}",
                    password_hash=password_hash, email_confirmed_at=utcnow())
        lead.add_role(Role.ORGANISATION_COORDINATOR)
        organisation.members.append(OrganisationMember(user=lead, role=MemberRole.COORDINATOR))
        for person in _volunteers(members):
            organisation.members.append(OrganisationMember(user=person,
                                                           role=MemberRole.VOLUNTEER))
        db.session.add(organisation)
        made.append(organisation)
    db.session.flush()
    _route_one(made[0], desk)
    return len(made)


def _volunteers(emails: list[str]) -> list[User]:
    found = db.session.scalars(
        sa.select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(User.email.in_(emails))
    )
    return list(found.unique())


def _route_one(organisation: Organisation, desk: User) -> None:
    """An open request for boodschappen in one of its neighbourhoods, routed and waiting."""
    areas = [n.id for n in organisation.neighbourhoods]
    waiting = db.session.scalars(
        sa.select(HelpRequest)
        .join(Category, HelpRequest.category_id == Category.id)
        .where(HelpRequest.status == RequestStatus.OPEN, Category.slug == "boodschappen",
               HelpRequest.neighbourhood_id.in_(areas))
        .order_by(HelpRequest.id).limit(1)
    ).first()
    if waiting is None:
        return
    services.route_request(desk, waiting, organisation,
                           "Deze meneer wil liever iemand van een vaste organisatie.")

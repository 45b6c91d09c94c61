"""A deterministic demo of Hilversum: 8 neighbourhoods, ~200 volunteers, 150 requests in every
state, 2 coordinators, 1 referrer and 1 admin.

Demo accounts exist only when this runs (``make run`` on an empty database, or
``flask demo seed``); production never calls it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

import sqlalchemy as sa

from marketplace.admin.services import seed_catalogue
from marketplace.carers.demo import seed_carer_demo
from marketplace.catalogue_data import NEIGHBOURHOODS
from marketplace.conversations.demo import seed_demo_conversations
from marketplace.extensions import db
from marketplace.geo import locate
from marketplace.indicators.demo import seed_indicator_demo
from marketplace.matches import lifecycle as match_lifecycle
from marketplace.models import (
    Category,
    Feedback,
    HelpRequest,
    HelpSession,
    Match,
    MatchStatus,
    Neighbourhood,
    RequestSource,
    RequestStatus,
    Role,
    Timing,
    User,
    VogStatus,
    VolunteerProfile,
    utcnow,
)
from marketplace.notifications.demo import seed_demo_notifications
from marketplace.organisations.demo import seed_demo_organisations
from marketplace.passwords import hash_password
from marketplace.requests.lifecycle import record_creation, transition
from marketplace.socialmap.demo import seed_socialmap_demo
from marketplace.tasks.demo import seed_demo_tasks
from marketplace.vocabulary import SLOTS, local_today

DEMO_PASSWORD = "hulppunt-demo"  # noqa: S105 - documented demo password, demo data only
DEMO_ACCOUNTS = [
    ("bewoner@demo.hulppunt.nl", "resident"),
    ("vrijwilliger@demo.hulppunt.nl", "volunteer"),
    ("coordinator@demo.hulppunt.nl", "coordinator"),
    ("verwijzer@demo.hulppunt.nl", "referrer"),
    ("admin@demo.hulppunt.nl", "admin"),
    ("mantelzorger@demo.hulppunt.nl", "resident"),
    ("organisatie@demo.hulppunt.nl", "org_coordinator"),
    ("gemeente@demo.hulppunt.nl", "municipality"),
]
VOLUNTEER_COUNT = 200
REQUEST_COUNT = 150
# How many of the 150 requests end up in each state.
STATE_MIX = [
    (RequestStatus.SUBMITTED, 22), (RequestStatus.NEEDS_INFO, 8), (RequestStatus.PROPOSED, 15),
    (RequestStatus.MATCHED, 20), (RequestStatus.DONE, 22), (RequestStatus.CANCELLED, 6),
    (RequestStatus.REJECTED, 6), (RequestStatus.ESCALATED, 6), (RequestStatus.OPEN, 45),
]
FIRST_NAMES = ["Anna", "Bram", "Carla", "Daan", "Els", "Fatima", "Gerrit", "Hanneke", "Ibrahim",
               "Joke", "Kees", "Lotte", "Mehmet", "Noor", "Oscar", "Petra", "Ruud", "Sanne",
               "Tom", "Ursula", "Vera", "Willem", "Yara", "Zeynep", "Henk", "Truus", "Piet",
               "Ans", "Kevin", "Samira"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
              "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
              "Yilmaz", "El Amrani", "Kowalski", "van Dijk"]
STREETS = ["Kerkstraat", "Langestraat", "Oude Enghweg", "Larenseweg", "Soestdijkerstraatweg",
           "Vaartweg", "Liebergerweg", "Diependaalselaan", "Neuweg", "Gijsbrecht van Amstelstraat"]
TASKS = {
    "boodschappen": ("Boodschappen doen", "Ik kan niet goed lopen. Wie haalt mijn boodschappen?"),
    "klusjes": ("Lamp ophangen", "Er moet een lamp in de woonkamer worden opgehangen."),
    "tuin": ("Heg knippen", "De heg in de voortuin is te hoog geworden."),
    "vervoer": ("Mee naar het ziekenhuis", "Ik heb een afspraak in Tergooi en zoek een lift."),
    "was-strijk": ("Hulp bij de was", "Wie helpt mij eens per week met de was?"),
    "digitaal": ("Hulp met mijn telefoon", "Ik wil leren videobellen met mijn kleinkinderen."),
    "taal": ("Nederlands oefenen", "Ik wil graag Nederlands praten met iemand."),
    "administratie": ("Hulp met formulieren", "Ik snap de brief van de belasting niet."),
    "bezoek": ("Iemand om mee te praten", "Ik ben veel alleen en zou graag bezoek krijgen."),
    "maatje": ("Een maatje om te wandelen", "Samen wandelen, een keer per week."),
    "respijtzorg": ("Even vrij van mantelzorg", "Ik zorg voor mijn man en wil een middag vrij."),
    "huishoudelijke-hulp": ("Huis schoonmaken", "Ik kan mijn huis niet meer schoonhouden."),
}


def database_has_users() -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count(User.id))))


def demo_accounts_present() -> bool:
    emails = [email for email, _role in DEMO_ACCOUNTS]
    count = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email.in_(emails)))
    return bool(count)


class _Demo:
    """Builds the demo with one seeded random generator, so every run gives the same data."""

    def __init__(self) -> None:
        self.rng = random.Random(2026)  # noqa: S311 - demo data, not security
        self.password_hash = hash_password(DEMO_PASSWORD)
        self.categories = {c.slug: c for c in db.session.scalars(sa.select(Category))}
        self.neighbourhoods = {n.name: n for n in db.session.scalars(sa.select(Neighbourhood))}
        self.pc4s = [(pc4, name) for name, codes in NEIGHBOURHOODS.items() for pc4 in codes]
        self.counter = 0

    def person(self, email: str | None, *roles: Role, pc4: str | None = None) -> User:
        self.counter += 1
        pc4, neighbourhood = (pc4, self._neighbourhood(pc4)) if pc4 else self.rng.choice(self.pc4s)
        letters = "".join(self.rng.choice("ABCDEGHJKLMNPRTVWXZ") for _ in range(2))
        user = User(
            email=email,
            password_hash=self.password_hash if email else None,
            name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
            # Fictional mobile numbers (06-1 to 06-5), stored in E.164 as real ones are.
            phone=f"+316{self.rng.randint(10000000, 59999999)}",
            postcode=f"{pc4} {letters}",
            address=f"{self.rng.choice(STREETS)} {self.rng.randint(1, 180)}",
            neighbourhood=self.neighbourhoods.get(neighbourhood),
            email_confirmed_at=utcnow() if email else None,
        )
        for role in roles:
            user.add_role(role)
        db.session.add(user)
        return user

    def _neighbourhood(self, pc4: str) -> str:
        return next(name for code, name in self.pc4s if code == pc4)

    def jitter(self, pc4: str) -> tuple[float, float]:
        place = locate(pc4)
        return (place.latitude + self.rng.uniform(-0.006, 0.006),
                place.longitude + self.rng.uniform(-0.009, 0.009))

    def volunteer(self, user: User, skills: list[str] | None = None) -> VolunteerProfile:
        pc4 = (user.postcode or "1211")[:4]
        lat, lon = self.jitter(pc4)
        matchable = [slug for slug, c in self.categories.items() if not c.escalate]
        skills = skills or self.rng.sample(matchable, self.rng.randint(2, 4))
        vog = self.rng.random() < 0.55 or any(self.categories[s].requires_vog for s in skills)
        trained = "respijtzorg" in skills or self.rng.random() < 0.15
        profile = VolunteerProfile(
            user=user, postcode=user.postcode or pc4, latitude=lat, longitude=lon,
            neighbourhood=user.neighbourhood,
            max_travel_km=float(self.rng.choice([2, 3, 5, 5, 8, 10])),
            availability=sorted(self.rng.sample(SLOTS, self.rng.randint(4, 10))),
            languages=["nl"] + (["en"] if self.rng.random() < 0.4 else []),
            vog_status=VogStatus.VALID if vog else VogStatus.NONE,
            vog_date=date.today() - timedelta(days=self.rng.randint(10, 700)) if vog else None,
            trainings="Training respijtzorg (Humanitas)" if trained else "",
            training_verified=trained,
            capacity=self.rng.choice([1, 1, 1, 2, 3]),
            paused=self.rng.random() < 0.05,
            verified_at=utcnow() if self.rng.random() < 0.85 else None,
        )
        profile.skills = [self.categories[slug] for slug in skills]
        db.session.add(profile)
        return profile

    def help_request(self, requester: User, status: RequestStatus, actor: User,
                     slug: str | None = None) -> HelpRequest:
        slug = slug or self.rng.choice(list(TASKS))
        title, description = TASKS[slug]
        pc4 = (requester.postcode or "1211")[:4]
        lat, lon = self.jitter(pc4)
        weekly = self.categories[slug].recurring
        start = date.today() + timedelta(days=self.rng.randint(2, 21))
        help_request = HelpRequest(
            requester=requester, created_by_id=requester.id,
            source=self.rng.choice([RequestSource.ONLINE] * 3 + [RequestSource.DESK]),
            category=self.categories[slug], title=title, description=description,
            timing=Timing.WEEKLY if weekly else Timing.ONCE,
            date_start=None if weekly else start,
            weekday=self.rng.choice(["mon", "tue", "wed", "thu", "fri"]) if weekly else None,
            part_of_day=self.rng.choice(["morning", "afternoon", "evening", None]),
            postcode=requester.postcode or pc4, address=requester.address or "",
            latitude=lat, longitude=lon, neighbourhood=requester.neighbourhood,
            urgency=self.rng.choice([1, 1, 2, 3]),
            own_network=self.rng.choice(["", "Mijn dochter komt in het weekend.", "Niemand."]),
            can_offer=self.rng.choice(["", "Ik kan goed luisteren.", "Ik brei graag."]),
            status=RequestStatus.SUBMITTED,
        )
        help_request.created_at = utcnow() - timedelta(days=self.rng.randint(1, 60))
        db.session.add(help_request)
        db.session.flush()
        record_creation(help_request, requester)
        self.advance(help_request, status, actor)
        return help_request

    def advance(self, help_request: HelpRequest, status: RequestStatus, actor: User) -> None:
        """Walk the request through the lifecycle to ``status``, as staff would."""
        paths = {
            RequestStatus.SUBMITTED: [],
            RequestStatus.NEEDS_INFO: [(RequestStatus.NEEDS_INFO, "Welke dag past u het best?")],
            RequestStatus.OPEN: [(RequestStatus.OPEN, "")],
            RequestStatus.PROPOSED: [(RequestStatus.OPEN, ""), (RequestStatus.PROPOSED, "")],
            RequestStatus.MATCHED: [(RequestStatus.OPEN, ""), (RequestStatus.MATCHED, "")],
            RequestStatus.DONE: [(RequestStatus.OPEN, ""), (RequestStatus.MATCHED, ""),
                                 (RequestStatus.DONE, "")],
            RequestStatus.CANCELLED: [(RequestStatus.CANCELLED, "Niet meer nodig.")],
            RequestStatus.REJECTED: [(RequestStatus.REJECTED, "Dit is geen vrijwilligerswerk.")],
            RequestStatus.ESCALATED: [(RequestStatus.ESCALATED, "Doorverwezen voor zorg.")],
        }
        for to_status, note in paths[status]:
            transition(help_request, to_status, actor, note)


def _walk_match(help_request: HelpRequest, profile: VolunteerProfile, status: MatchStatus) -> Match:
    """A pairing walked through the match lifecycle to ``status``, as people would."""
    coordinator, volunteer = None, profile.user
    if status == MatchStatus.PROPOSED:
        match = match_lifecycle.create(help_request.id, profile.user_id, MatchStatus.SUGGESTED,
                                       coordinator, "demo")
        match_lifecycle.transition(match, MatchStatus.PROPOSED, coordinator, "goedgekeurd")
        return match
    match = match_lifecycle.create(help_request.id, profile.user_id, MatchStatus.ACCEPTED,
                                   volunteer, "demo")
    if status == MatchStatus.COMPLETED:
        match_lifecycle.transition(match, MatchStatus.COMPLETED, volunteer, "demo")
    return match


def _match_for(demo: _Demo, help_request: HelpRequest, volunteers: list[VolunteerProfile],
               status: MatchStatus) -> Match:
    """Pair the request with a demo volunteer that has the skill (nearest first)."""
    slug = help_request.category.slug
    # A copy either way: sorting the caller's list would move the demo volunteer off its top.
    able = [v for v in volunteers if any(c.slug == slug for c in v.skills)] or list(volunteers)
    able.sort(key=lambda v: (v.latitude - help_request.latitude) ** 2
              + (v.longitude - help_request.longitude) ** 2)
    profile = able[demo.rng.randint(0, min(4, len(able) - 1))]
    match = _walk_match(help_request, profile, status)
    if status in (MatchStatus.ACCEPTED, MatchStatus.COMPLETED):
        weeks = demo.rng.randint(1, 6)
        match.decided_at = utcnow() - timedelta(weeks=weeks)
        if help_request.timing == Timing.WEEKLY:
            # Recurring help: one visit a week since it started.
            match.sessions = [
                HelpSession(day=date.today() - timedelta(weeks=week, days=1),
                            hours=float(demo.rng.choice([1, 1.5, 2])))
                for week in range(weeks - 1, -1, -1)
            ]
            match.hours = sum(visit.hours or 0.0 for visit in match.sessions)
    if status == MatchStatus.COMPLETED:
        match.resident_confirmed_at = match.volunteer_confirmed_at = utcnow()
        match.hours = match.hours or float(demo.rng.choice([1, 1.5, 2, 3]))
        match.feedback = [Feedback(author_id=help_request.requester_id,
                                   rating=demo.rng.choice([4, 5, 5]),
                                   comment="Heel fijn geholpen, dank u wel!")]
    db.session.add(match)
    return match


def seed(progress: Callable[[str], None] | None = None) -> str:
    """Create the demo. Returns a one-line summary. The caller commits."""
    say = progress or (lambda _message: None)
    seed_catalogue()
    demo = _Demo()
    admin = demo.person("admin@demo.hulppunt.nl", Role.ADMIN, Role.COORDINATOR, pc4="1211")
    coordinator = demo.person("coordinator@demo.hulppunt.nl", Role.COORDINATOR, pc4="1211")
    demo.person("coordinator.oost@demo.hulppunt.nl", Role.COORDINATOR, pc4="1212")
    referrer = demo.person("verwijzer@demo.hulppunt.nl", Role.REFERRER, pc4="1211")
    resident = demo.person("bewoner@demo.hulppunt.nl", Role.RESIDENT, pc4="1211")
    star = demo.person("vrijwilliger@demo.hulppunt.nl", Role.VOLUNTEER, pc4="1211")
    star.share_phone = False  # shares only e-mail: the demo resident sees that choice
    db.session.flush()
    say("Demo: volunteers")
    volunteers = [demo.volunteer(star, ["boodschappen", "klusjes", "vervoer", "digitaal"])]
    volunteers[0].availability = list(SLOTS)
    volunteers[0].paused = False
    volunteers[0].capacity = 3
    for index in range(VOLUNTEER_COUNT - 1):
        user = demo.person(f"vrijwilliger{index + 1}@demo.hulppunt.nl", Role.VOLUNTEER)
        volunteers.append(demo.volunteer(user))
    db.session.flush()
    say("Demo: requests")
    _seed_requests(demo, resident, referrer, coordinator, volunteers)
    _seed_demo_resident(demo, resident, coordinator, volunteers)
    db.session.flush()
    seed_carer_demo(demo)
    say("Demo: notifications")
    seed_demo_organisations(coordinator, demo.password_hash)
    seed_demo_notifications(resident, star, referrer, [coordinator, admin])
    seed_demo_conversations(resident, referrer)
    seed_demo_tasks(coordinator)
    seed_socialmap_demo(local_today())  # the sociale kaart: services of the organisations
    # Two years of history, and the municipality's login.
    seed_indicator_demo(demo.password_hash, [email for email, _role in DEMO_ACCOUNTS])
    return (f"Demo ready: {len(NEIGHBOURHOODS)} neighbourhoods, {VOLUNTEER_COUNT} volunteers, "
            f"{REQUEST_COUNT} requests, 2 coordinators, 1 referrer, 1 admin ({admin.email}).")


def _seed_requests(demo: _Demo, resident: User, referrer: User, coordinator: User,
                   volunteers: list[VolunteerProfile]) -> None:
    statuses = [status for status, count in STATE_MIX for _ in range(count)]
    # The demo resident's own requests (added below) count towards the 150.
    statuses = statuses[: REQUEST_COUNT - 4]
    residents = [demo.person(f"bewoner{i + 1}@demo.hulppunt.nl", Role.RESIDENT)
                 for i in range(60)]
    residents += [demo.person(None, Role.RESIDENT) for _ in range(20)]  # no e-mail: desk intake
    db.session.flush()
    for index, status in enumerate(statuses):
        requester = residents[index % len(residents)]
        slug = "huishoudelijke-hulp" if status == RequestStatus.ESCALATED else None
        help_request = demo.help_request(requester, status, coordinator, slug)
        if requester.email is None:
            help_request.source = RequestSource.DESK
            help_request.created_by_id = coordinator.id
            help_request.consent_given, help_request.consent_at = True, utcnow()
        elif index % 9 == 0:
            help_request.source = RequestSource.REFERRER
            help_request.created_by_id = referrer.id
            help_request.consent_given, help_request.consent_at = True, utcnow()
        match_status = {RequestStatus.PROPOSED: MatchStatus.PROPOSED,
                        RequestStatus.MATCHED: MatchStatus.ACCEPTED,
                        RequestStatus.DONE: MatchStatus.COMPLETED}.get(status)
        if match_status is not None:
            _match_for(demo, help_request, volunteers, match_status)


def _seed_demo_resident(demo: _Demo, resident: User, coordinator: User,
                        volunteers: list[VolunteerProfile]) -> None:
    """The demo resident and demo volunteer get requests in telling states."""
    star = volunteers[0]
    waiting = demo.help_request(resident, RequestStatus.SUBMITTED, coordinator, "boodschappen")
    waiting.part_of_day = "morning"
    demo.help_request(resident, RequestStatus.OPEN, coordinator, "klusjes")
    proposed = demo.help_request(resident, RequestStatus.PROPOSED, coordinator, "vervoer")
    matched = demo.help_request(resident, RequestStatus.MATCHED, coordinator, "digitaal")
    for help_request, status in ((proposed, MatchStatus.PROPOSED), (matched, MatchStatus.ACCEPTED)):
        match = _match_for(demo, help_request, [star], status)
        match.explanation = {"terms": {"distance": 0.4}, "distance_km": 0.4, "rank": 1,
                             "feasible_count": 3, "slot": help_request.slot}

"""Two years of believable history for the indicators demo, inserted in bulk (seconds).

Seasonal: more requests for company and shopping in winter, for the garden in spring and
summer, fewer everywhere in the summer holidays. Every neighbourhood gets its CBS code and
an illustrative population (round numbers near the CBS figures for 2024; a municipality
enters its own on the neighbourhood form). The municipality's demo account is made here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Category,
    Feedback,
    HelpRequest,
    Match,
    MatchingRound,
    MatchStatus,
    MatchTransition,
    Neighbourhood,
    RequestSource,
    RequestStatus,
    RequestTransition,
    Role,
    RoundStatus,
    User,
    UserRole,
    VolunteerProfile,
    utcnow,
)

MUNICIPALITY_EMAIL = "gemeente@demo.hulppunt.nl"
MONTHS = 24
#: The main demo's requests are from the last 60 days; the history ends before them.
RECENT_DAYS = 61
#: Demo name -> (CBS wijk code, illustrative population).
CBS = {
    "Centrum": ("WK040201", 10500), "Noordwest": ("WK040202", 16000),
    "Zuidwest": ("WK040203", 15500), "Hilversum-Zuid": ("WK040204", 9000),
    "Zuidoost": ("WK040205", 10000), "Oost": ("WK040206", 14500),
    "Noordoost": ("WK040207", 9500), "Hilversum-Noord": ("WK040208", 7500),
}
#: Requests a month per season factor (January .. December).
SEASON = (1.3, 1.25, 1.1, 1.0, 0.95, 0.9, 0.7, 0.65, 0.95, 1.05, 1.15, 1.35)
BASE_PER_MONTH = 38
WINTER = {"bezoek", "boodschappen", "maatje", "respijtzorg", "digitaal"}
SUMMER = {"tuin", "klusjes", "vervoer"}
STORIES = (
    "Ze kwam elke week, en nu wandelen we samen.",
    "Mijn heg is weer netjes, ik had het zelf nooit gekund.",
    "Eindelijk kan ik videobellen met mijn kleinkinderen.",
    "Fijn dat iemand even meekeek naar de brieven van de gemeente.",
    "Ik heb er een vriendin bij gekregen.",
    "Het was een klein klusje, maar ik was er zo blij mee.",
    "Een middag vrij van de zorg voor mijn man deed me goed.",
    "Als vrijwilliger leer ik mijn buurt echt kennen.",
)


@dataclass
class _History:
    rng: random.Random
    now: datetime
    requesters: list[int]
    volunteers: list[tuple[int, int | None]]
    categories: list[Category]
    neighbourhoods: list[Neighbourhood]
    base_per_month: int = BASE_PER_MONTH
    by_home: dict[int | None, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for user_id, home in self.volunteers:
            self.by_home.setdefault(home, []).append(user_id)


def seed_indicator_demo(password_hash: str, demo_emails: list[str]) -> None:
    """Link the neighbourhoods to CBS, add the municipality's account (with
    ``password_hash``), spread the volunteers' sign-ups over 30 months and add 24 months of
    requests, matches and feedback, none of it for the demo accounts (``demo_emails``)."""
    rng = random.Random(402)  # noqa: S311 - demo data, not security
    neighbourhoods = list(db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.id)))
    for item in neighbourhoods:
        item.cbs_code, item.population = CBS.get(item.name, (item.cbs_code, item.population))
    _municipality_account(password_hash)
    now = utcnow()
    profiles = list(db.session.scalars(sa.select(VolunteerProfile)))
    for profile in profiles:
        profile.created_at = now - timedelta(days=rng.randint(0, 30 * 30))
    db.session.flush()
    # The demo accounts' own pages stay as the main demo made them: history goes to others.
    named = set(db.session.scalars(sa.select(User.id).where(User.email.in_(demo_emails))))
    seed_history([(p.user_id, p.neighbourhood_id) for p in profiles if p.user_id not in named],
                 _requesters(rng, neighbourhoods, 300), rng)


def seed_history(volunteers: list[tuple[int, int | None]], requesters: list[int],
                 rng: random.Random, base_per_month: int = BASE_PER_MONTH) -> None:
    """``MONTHS`` months of requests (about ``base_per_month`` a month, seasonal and
    growing), ending where the last 60 days begin, for ``requesters`` and helped by
    ``volunteers`` ((user id, neighbourhood id) pairs). Also used by the benchmark."""
    neighbourhoods = list(db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.id)))
    history = _History(
        rng, utcnow(), requesters, volunteers,
        [c for c in db.session.scalars(sa.select(Category)) if c.active], neighbourhoods,
        base_per_month)
    for months_ago in range(MONTHS, 0, -1):
        _seed_month(history, months_ago)
    db.session.flush()


def _municipality_account(password_hash: str) -> None:

    user = User(email=MUNICIPALITY_EMAIL, name="Beleidsmedewerker Gemeente",
                password_hash=password_hash,
                email_confirmed_at=utcnow())
    user.add_role(Role.MUNICIPALITY)
    db.session.add(user)


def _requesters(rng: random.Random, neighbourhoods: list[Neighbourhood], count: int) -> list[int]:
    """``count`` residents without an e-mail address (they came by phone or at the desk)."""
    rows = [{"email": None, "name": f"Bewoner {n + 1}", "postcode": f"121{n % 8 + 1} AB",
             "address": "", "neighbourhood_id": rng.choice(neighbourhoods).id}
            for n in range(count)]
    ids = list(db.session.scalars(sa.insert(User).returning(User.id,
                                                             sort_by_parameter_order=True), rows))
    db.session.execute(sa.insert(UserRole), [{"user_id": i, "role": Role.RESIDENT} for i in ids])
    return ids


def _month_end(history: _History, months_ago: int) -> datetime:
    """The end of the history's month ``months_ago`` (1 = the latest): the history stops
    where the main demo's requests (the last 60 days) begin."""
    return history.now - timedelta(days=RECENT_DAYS + 30.44 * (months_ago - 1))


def _moment(history: _History, months_ago: int) -> datetime:
    end = _month_end(history, months_ago)
    return end - timedelta(seconds=history.rng.randint(1, 30 * 86400))


def _seed_month(history: _History, months_ago: int) -> None:
    rng = history.rng
    month = (_month_end(history, months_ago) - timedelta(days=15)).month
    count = int(history.base_per_month * SEASON[month - 1] * rng.uniform(0.9, 1.1) * (1 + 0.3 * (
        MONTHS - months_ago) / MONTHS))  # the meldpunt grows
    rows, fates = [], []
    for _ in range(count):
        category = _category(history, month)
        neighbourhood = rng.choices(history.neighbourhoods,
                                    weights=[n.population or 1 for n in history.neighbourhoods])[0]
        created = _moment(history, months_ago)
        fate = _fate(rng, category)
        fates.append((created, fate, neighbourhood.id))
        row = _request_row(history, category, neighbourhood, created, fate)
        if fate == RequestStatus.DONE:  # hours to the match: median about 3 days
            row["matched_at"] = created + timedelta(hours=rng.lognormvariate(4.2, 0.9))
        rows.append(row)
    ids = list(db.session.scalars(
        sa.insert(HelpRequest).returning(HelpRequest.id, sort_by_parameter_order=True), rows))
    _matches_and_moves(history, list(zip(ids, fates, rows, strict=True)), months_ago)


def _category(history: _History, month: int) -> Category:
    winter = month in (11, 12, 1, 2, 3)
    weights = [(2.0 if (c.slug in WINTER and winter) or (c.slug in SUMMER and not winter)
                else 1.0) for c in history.categories]
    return history.rng.choices(history.categories, weights=weights)[0]


def _fate(rng: random.Random, category: Category) -> RequestStatus:
    if category.escalate:
        return rng.choice([RequestStatus.ESCALATED] * 4 + [RequestStatus.REJECTED])
    return rng.choices([RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.OPEN,
                        RequestStatus.ESCALATED], weights=[80, 9, 7, 4])[0]


def _request_row(history: _History, category: Category, neighbourhood: Neighbourhood,
                 created: datetime, fate: RequestStatus) -> dict[str, Any]:
    rng = history.rng
    return {
        "requester_id": rng.choice(history.requesters),
        "source": rng.choices(list(RequestSource), weights=[60, 25, 15])[0],
        "category_id": category.id, "title": category.name_nl, "description": "Demo",
        "postcode": "1211 AB", "address": "", "latitude": 52.22, "longitude": 5.17,
        "neighbourhood_id": neighbourhood.id, "status": fate, "created_at": created,
        "updated_at": created, "opened_at": created + timedelta(hours=rng.randint(2, 48)),
    }


def _matches_and_moves(history: _History, requests: list[Any], months_ago: int) -> None:
    """Matches for the requests that were helped (accepted, then completed, with hours and
    often feedback), transitions for escalations, and the month's round for the rest."""
    rng = history.rng
    matches, moves, unmatched = [], [], {}
    for request_id, (created, fate, neighbourhood_id), row in requests:
        if fate == RequestStatus.DONE:
            volunteer = _volunteer_near(history, neighbourhood_id)
            matches.append((request_id, row["requester_id"], volunteer, row["matched_at"]))
        elif fate == RequestStatus.ESCALATED:
            moves.append({"help_request_id": request_id, "from_status": RequestStatus.OPEN,
                          "to_status": RequestStatus.ESCALATED,
                          "at": created + timedelta(days=1), "note": ""})
        elif fate == RequestStatus.OPEN or rng.random() < 0.5:
            unmatched[str(request_id)] = rng.choice(
                ["no_volunteer_in_range", "no_volunteer_available_at_time", "requires_vog",
                 "volunteers_taken", "no_volunteer_with_skill"])
    if moves:
        db.session.execute(sa.insert(RequestTransition), moves)
    _insert_matches(history, matches)
    finished = _month_end(history, months_ago)
    db.session.add(MatchingRound(dry_run=False, status=RoundStatus.DONE, created_at=finished,
                                 finished_at=finished, unmatched=unmatched))


def _volunteer_near(history: _History, neighbourhood_id: int) -> int:
    near = history.by_home.get(neighbourhood_id) or [v for v, _home in history.volunteers]
    return history.rng.choice(near)


def _insert_matches(history: _History, matches: list[tuple[int, int, int, datetime]]) -> None:
    if not matches:
        return
    rng = history.rng
    rows = [{"help_request_id": request_id, "volunteer_id": volunteer,
             "status": MatchStatus.COMPLETED, "proposed_at": accepted - timedelta(hours=6),
             "decided_at": accepted, "hours": float(rng.choice([1, 1.5, 2, 2, 3, 4])),
             "created_at": accepted - timedelta(hours=8), "explanation": {}}
            for request_id, _requester, volunteer, accepted in matches]
    ids = list(db.session.scalars(
        sa.insert(Match).returning(Match.id, sort_by_parameter_order=True), rows))
    moves, feedback = [], []
    for match_id, (_request, requester, volunteer, accepted) in zip(ids, matches, strict=True):
        done = accepted + timedelta(days=rng.randint(2, 14))
        moves += [{"match_id": match_id, "from_status": MatchStatus.PROPOSED,
                   "to_status": MatchStatus.ACCEPTED, "at": accepted, "note": ""},
                  {"match_id": match_id, "from_status": MatchStatus.ACCEPTED,
                   "to_status": MatchStatus.COMPLETED, "at": done, "note": ""}]
        for author, chance in ((requester, 0.55), (volunteer, 0.3)):
            if rng.random() < chance:
                feedback.append({"match_id": match_id, "author_id": author,
                                 "rating": rng.choices([2, 3, 4, 5], weights=[1, 3, 10, 12])[0],
                                 "comment": rng.choice(STORIES) if rng.random() < 0.3 else "",
                                 "created_at": done + timedelta(days=1)})
    db.session.execute(sa.insert(MatchTransition), moves)
    if feedback:
        db.session.execute(sa.insert(Feedback), feedback)



"""Bulk data for the load test: 10,000 volunteers and 20,000 requests in seconds.

Uses SQLAlchemy Core ``executemany`` inserts (no ORM objects), then moves PostgreSQL's id
sequences past the inserted ids. Accounts: ``resident<n>@hulppunt-load.nl``,
``volunteer<n>@...``, ``coordinator<n>@...`` and ``admin0@...``, all with the password
``LOAD_PASSWORD``. The first ``ACTIVE_VOLUNTEERS``
volunteers each get ``PROPOSALS_EACH`` proposals to accept during the run.

Run inside an app context: ``seed(volunteers=10_000, requests=20_000)``.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from marketplace.admin.services import seed_catalogue
from marketplace.catalogue_data import NEIGHBOURHOODS
from marketplace.extensions import db
from marketplace.geo import locate
from marketplace.models import (
    Category,
    HelpRequest,
    Match,
    MatchingRound,
    Neighbourhood,
    RequestTransition,
    User,
    UserRole,
    VolunteerProfile,
    volunteer_skills,
)
from marketplace.passwords import hash_password
from marketplace.vocabulary import SLOTS

LOAD_PASSWORD = "load-test-password"  # noqa: S105 - load-test accounts only
RESIDENTS = 5_000
ACTIVE_VOLUNTEERS = 200
PROPOSALS_EACH = 5
CHUNK = 2_000
STATUSES = [("open", 40), ("submitted", 10), ("matched", 15), ("done", 25), ("cancelled", 10)]


def _insert(table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(table), rows[start:start + CHUNK])


def _next_id(model: Any) -> int:
    return int(db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(model.id), 0))) or 0) + 1


def _places() -> list[tuple[str, int, float, float]]:
    """(pc4, neighbourhood id, lat, lon) for every postcode of the shipped wijken."""
    ids = dict(db.session.execute(sa.select(Neighbourhood.name, Neighbourhood.id)).all())
    places = []
    for name, postcodes in NEIGHBOURHOODS.items():
        for pc4 in postcodes:
            place = locate(pc4)
            places.append((pc4, ids[name], place.latitude, place.longitude))
    return places


def _users(kind: str, count: int, first_id: int, password_hash: str,
           places: list[tuple[str, int, float, float]], rng: random.Random) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    rows = []
    for number in range(count):
        pc4, neighbourhood_id, _lat, _lon = places[number % len(places)]
        rows.append({
            "id": first_id + number, "email": f"{kind}{number}@hulppunt-load.nl",
            "password_hash": password_hash, "name": f"{kind.title()} {number}",
            "phone": "06 1234 5678", "postcode": f"{pc4} AB",
            "address": f"Laan {rng.randint(1, 300)}", "neighbourhood_id": neighbourhood_id,
            "locale": "nl", "active": True, "created_at": now, "security_stamp": 1,
        })
    return rows


def _add_accounts(kind: str, role: str, count: int, password_hash: str,
                  places: list[tuple[str, int, float, float]], rng: random.Random) -> list[int]:
    first = _next_id(User)
    rows = _users(kind, count, first, password_hash, places, rng)
    _insert(User.__table__, rows)
    _insert(UserRole.__table__, [{"user_id": row["id"], "role": role} for row in rows])
    return [row["id"] for row in rows]


def _add_profiles(user_ids: list[int], categories: list[int],
                  places: list[tuple[str, int, float, float]], rng: random.Random) -> None:
    first = _next_id(VolunteerProfile)
    now = datetime.now(UTC)
    profiles, skills = [], []
    for offset, user_id in enumerate(user_ids):
        pc4, neighbourhood_id, lat, lon = places[offset % len(places)]
        profile_id = first + offset
        profiles.append({
            "id": profile_id, "user_id": user_id, "postcode": f"{pc4} AB",
            "latitude": lat + rng.uniform(-0.01, 0.01), "longitude": lon + rng.uniform(-0.01, 0.01),
            "neighbourhood_id": neighbourhood_id, "max_travel_km": rng.choice([2.0, 5.0, 10.0]),
            "availability": rng.sample(SLOTS, 6), "languages": ["nl"], "vog_status": "none",
            "trainings": "", "training_verified": False, "capacity": 2, "paused": False,
            "created_at": now, "verified_at": now,
        })
        skills += [{"volunteer_id": profile_id, "category_id": category}
                   for category in rng.sample(categories, 3)]
    _insert(VolunteerProfile.__table__, profiles)
    _insert(volunteer_skills, skills)


def _request_row(request_id: int, requester: int, status: str, category: int,
                 place: tuple[str, int, float, float], rng: random.Random) -> dict[str, Any]:
    pc4, neighbourhood_id, lat, lon = place
    created = datetime.now(UTC) - timedelta(days=rng.randint(1, 300))
    closed = status in ("done", "cancelled")
    return {
        "id": request_id, "requester_id": requester, "created_by_id": requester,
        "source": "online", "category_id": category, "title": f"Hulpvraag {request_id}",
        "description": "Ik zoek iemand die mij kan helpen met boodschappen of een klusje.",
        "timing": "once", "date_start": date.today() + timedelta(days=rng.randint(3, 60)),
        "part_of_day": rng.choice(["morning", "afternoon", "evening"]),
        "postcode": f"{pc4} AB", "address": f"Straat {rng.randint(1, 200)}",
        "latitude": lat, "longitude": lon, "neighbourhood_id": neighbourhood_id,
        "urgency": rng.randint(1, 3), "preferred_language": "nl", "own_network": "",
        "can_offer": "", "status": status, "status_note": "", "consent_given": False,
        "created_at": created, "updated_at": created,
        "opened_at": created if status != "submitted" else None,
        "matched_at": created if status in ("matched", "done", "proposed") else None,
        "closed_at": created + timedelta(days=5) if closed else None, "version": 1,
    }


def _add_requests(count: int, residents: list[int], volunteers: list[int], categories: list[int],
                  places: list[tuple[str, int, float, float]], rng: random.Random) -> None:
    """Requests with a creation transition; matched/done ones get their match, and the first
    volunteers get proposals to accept during the run."""
    first = _next_id(HelpRequest)
    population = [status for status, weight in STATUSES for _ in range(weight)]
    proposals = [(volunteer, None) for volunteer in volunteers[:ACTIVE_VOLUNTEERS]
                 for _ in range(PROPOSALS_EACH)]
    requests, transitions, matches = [], [], []
    now = datetime.now(UTC)
    for offset in range(count):
        request_id = first + offset
        status = "proposed" if offset < len(proposals) else rng.choice(population)
        row = _request_row(request_id, rng.choice(residents), status, rng.choice(categories),
                           places[offset % len(places)], rng)
        requests.append(row)
        transitions.append({"help_request_id": request_id, "from_status": None,
                            "to_status": status, "actor_id": row["requester_id"], "note": "",
                            "at": row["created_at"]})
        match_status = {"proposed": "proposed", "matched": "accepted", "done": "completed"}
        if status in match_status:
            volunteer = proposals[offset][0] if status == "proposed" else rng.choice(volunteers)
            matches.append({
                "help_request_id": request_id, "volunteer_id": volunteer,
                "status": match_status[status], "locked": False, "self_picked": False,
                "distance_km": 1.0, "cost": 1.0, "explanation": {}, "decline_reason": "",
                "created_at": now, "proposed_at": now,
            })
    _insert(HelpRequest.__table__, requests)
    _insert(RequestTransition.__table__, transitions)
    _insert(Match.__table__, matches)


def _fix_sequences() -> None:
    """Explicit ids do not advance PostgreSQL's sequences: move them past the max id."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" not in table.c or not isinstance(table.c.id.type, sa.Integer):
            continue
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
        ))


def seed(volunteers: int = 10_000, requests: int = 20_000, seed_value: int = 7) -> dict[str, int]:
    """Fill an empty database; the caller commits. Returns the rows added per kind."""
    rng = random.Random(seed_value)
    seed_catalogue()
    db.session.flush()
    categories = list(db.session.scalars(
        sa.select(Category.id).where(Category.escalate.is_(False)).order_by(Category.id)
    ))
    places = _places()
    password_hash = hash_password(LOAD_PASSWORD)
    residents = _add_accounts("resident", "resident", RESIDENTS, password_hash, places, rng)
    volunteer_ids = _add_accounts("volunteer", "volunteer", volunteers, password_hash, places,
                                  rng)
    _add_profiles(volunteer_ids, categories, places, rng)
    coordinators = _add_accounts("coordinator", "coordinator", 8, password_hash, places, rng)
    _add_accounts("admin", "admin", 1, password_hash, places, rng)
    _add_requests(requests, residents, volunteer_ids, categories, places, rng)
    db.session.add(MatchingRound(dry_run=True, status="done", started_by_id=coordinators[0],
                                 stats={}, unmatched={}, finished_at=datetime.now(UTC)))
    db.session.flush()
    _fix_sequences()
    return {"residents": len(residents), "volunteers": len(volunteer_ids), "requests": requests}


if __name__ == "__main__":
    import time

    from marketplace import create_app

    started = time.perf_counter()
    app = create_app()
    with app.app_context():
        db.create_all()
        summary = seed()
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load in production, done before the
            # measurement instead of during it: statistics (without them the planner takes
            # help_requests for 2,600 rows instead of 20,000) and the visibility map (index-
            # only scans; and no autovacuum workers taking CPU in the middle of a load test).
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    sa.text("VACUUM ANALYZE")
                )
    print(f"seeded {summary} in {time.perf_counter() - started:.1f}s")

"""The volunteer's list of open requests: the database prefilter never hides a feasible one."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from marketplace.matches.browsing import open_requests_for
from marketplace.matches.queries import nearby_open_candidates
from marketplace.models import ForbiddenPair, RequestStatus, Role, Timing
from tests import factories
from tests.matches.helpers import make_volunteer, open_request


def test_prefilter_keeps_every_request_within_travel_distance(db) -> None:  # type: ignore[no-untyped-def]
    volunteer = make_volunteer(max_travel_km=3.0, availability=["mon-morning"])
    profile = volunteer.volunteer_profile
    rng = random.Random(7)
    inside, outside = set(), set()
    for index in range(40):
        # Points on rings just inside and just outside the 3 km limit, in every direction.
        km = 2.97 if index % 2 == 0 else 3.05
        bearing = rng.uniform(0, 2 * math.pi)
        lat = profile.latitude + km * math.cos(bearing) / 111.2
        lon = profile.longitude + km * math.sin(bearing) / (111.2 * math.cos(math.radians(lat)))
        item = open_request(latitude=lat, longitude=lon)
        (inside if km < 3 else outside).add(item.id)
    open_request(category_slug="tuin")  # a skill the volunteer does not have
    db.session.commit()

    loaded = {row.id for row in nearby_open_candidates(profile)}
    assert inside <= loaded
    shown = {item.help_request.id for item in open_requests_for(volunteer, limit=100)}
    assert shown == inside


def test_prefilter_sees_changes_not_yet_flushed(db) -> None:  # type: ignore[no-untyped-def]
    """The prefilter reads from the session's connection, which does not autoflush."""
    volunteer = make_volunteer()
    item = open_request()
    db.session.commit()
    assert item.id in {row.id for row in nearby_open_candidates(volunteer.volunteer_profile)}
    item.status = RequestStatus.CANCELLED  # pending in the session, not flushed
    assert item.id not in {row.id for row in nearby_open_candidates(volunteer.volunteer_profile)}


def test_candidate_columns_are_the_candidates_as_the_engine_sees_them(db) -> None:  # type: ignore[no-untyped-def]
    """``/matches/open`` converts its rows straight into columns; they equal the columns of
    the objects ``request_from_values`` makes of them, the rule every other reader of
    requests follows (slots, urgency, waiting days and all)."""
    import numpy as np

    from marketplace.matches.conversion import candidate_columns, request_from_values
    from marketplace.models import utcnow
    from marketplace.models.requests import weekly_slot
    from matching import SLOTS
    from matching.arrays import request_columns

    volunteer = make_volunteer(max_travel_km=10.0, availability=list(SLOTS))
    open_request()
    open_request(timing=Timing.WEEKLY, weekday="wed", part_of_day="afternoon", urgency=3)
    open_request(date_start=date.today() + timedelta(days=9), part_of_day="evening")
    open_request(part_of_day=None, urgency=None)
    db.session.commit()
    rows = nearby_open_candidates(volunteer.volunteer_profile)
    assert len(rows) == 4
    now = utcnow()
    objects = [
        request_from_values(
            row.id, row.latitude, row.longitude, row.slug, row.requires_vog,
            row.requires_training,
            weekly_slot(row.timing, row.weekday, row.part_of_day, row.date_start),
            row.urgency, row.opened_at or row.created_at, None, now,
        )
        for row in rows
    ]
    ours, theirs = candidate_columns(rows), request_columns(objects)
    assert tuple(ours.ids) == tuple(theirs.ids)
    assert tuple(ours.category) == tuple(theirs.category)
    assert tuple(ours.helpers) == tuple(theirs.helpers) == ()
    for name in ("lat", "lon", "slot", "vog", "training", "urgency", "carer_burden"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name)), name
    assert np.allclose(ours.waiting, theirs.waiting, atol=1e-3)
    assert candidate_columns([]).ids == ()


def test_list_is_nearest_first_and_limited(db) -> None:  # type: ignore[no-untyped-def]
    volunteer = make_volunteer(max_travel_km=10.0)
    for pc4 in ("1212", "1211", "1213", "1211"):
        open_request(pc4=pc4)
    db.session.commit()
    shown = open_requests_for(volunteer, limit=3)
    assert len(shown) == 3
    assert [item.rough_km for item in shown] == sorted(item.rough_km for item in shown)


def test_hard_rules_hide_forbidden_own_and_same_household_requests(db) -> None:  # type: ignore[no-untyped-def]
    volunteer = make_volunteer(skills=("boodschappen", "bezoek"))
    volunteer.address, volunteer.postcode = "Laan 5", "1211 AB"
    allowed = open_request(title="Mag wel")
    stored = open_request(title="Geblokkeerd")
    db.session.add(ForbiddenPair(help_request_id=stored.id, volunteer_id=volunteer.id))
    open_request(requester=volunteer, title="Eigen aanvraag")
    open_request(address=" laan  5 ", postcode="1211ab", title="Zelfde adres")
    housemate = factories.user(Role.RESIDENT, address="Laan 5", postcode="1211 AB")
    open_request(requester=housemate, address="Elders 9", title="Huisgenoot")
    open_request(part_of_day="evening", title="Ander moment")
    open_request(category_slug="bezoek", title="Zonder VOG")
    db.session.commit()

    shown = [item.help_request.title for item in open_requests_for(volunteer)]
    assert shown == [allowed.title]


def test_availability_prefilter_keeps_every_request_the_engine_accepts(db) -> None:  # type: ignore[no-untyped-def]
    volunteer = make_volunteer(availability=["mon-morning", "wed-afternoon"])
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    wednesday = monday + timedelta(days=2)
    shown_titles = {
        "weekly monday morning": {"timing": Timing.WEEKLY, "weekday": "mon",
                                  "part_of_day": "morning", "date_start": None},
        "weekly without a day": {"timing": Timing.WEEKLY, "weekday": None,
                                 "part_of_day": "morning", "date_start": None},
        "once wednesday afternoon": {"date_start": wednesday, "part_of_day": "afternoon"},
        "once without a part of day": {"date_start": wednesday, "part_of_day": None},
        "once without a date": {"date_start": None, "part_of_day": "evening"},
        "range": {"timing": Timing.RANGE, "date_start": monday,
                  "date_end": monday + timedelta(days=9), "part_of_day": "evening"},
    }
    hidden_titles = {
        "weekly tuesday morning": {"timing": Timing.WEEKLY, "weekday": "tue",
                                   "part_of_day": "morning", "date_start": None},
        "once wednesday morning": {"date_start": wednesday, "part_of_day": "morning"},
        "once monday evening": {"date_start": monday, "part_of_day": "evening"},
    }
    for title, fields in {**shown_titles, **hidden_titles}.items():
        open_request(title=title, **fields)
    db.session.commit()

    shown = {item.help_request.title for item in open_requests_for(volunteer)}
    assert shown == set(shown_titles)

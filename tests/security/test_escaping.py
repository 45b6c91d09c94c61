"""User text is escaped everywhere it is shown.

Every free-text field of every object of the world is filled with script and HTML payloads;
then every GET page is fetched as every kind of user and the raw payload must never appear.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from marketplace.extensions import db
from marketplace.models import Concern, Feedback, HelpRequest, Match, User, VolunteerProfile
from tests.security.test_authz_matrix import GET_RULES, request_as, url_for_rule
from tests.security.world import KINDS, World, build_world

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW = ("<script>alert(1)", "<img src=x onerror")


def _poison(world: World) -> None:
    """Put the payloads in every free-text field (no validation on this path on purpose)."""
    for user_id in world.user_ids.values():
        if user_id is None:
            continue
        user = db.session.get(User, user_id)
        user.name = f"Naam {SCRIPT}"[:120]
        user.address = f"Straat {IMG}"
        user.phone = IMG[:30]
        if user.volunteer_profile is not None:
            user.volunteer_profile.trainings = f"EHBO {SCRIPT} {IMG}"
    for help_request in db.session.scalars(db.select(HelpRequest)).unique():
        help_request.title = f"Titel {SCRIPT}"[:120]
        help_request.description = f"Omschrijving {SCRIPT} {IMG}"
        help_request.address = f"Adres {IMG}"
        help_request.own_network = f"Netwerk {SCRIPT}"
        help_request.can_offer = f"Aanbod {IMG}"
        help_request.status_note = f"Reden {SCRIPT}"
    for match in db.session.scalars(db.select(Match)).unique():
        match.decline_reason = f"Reden {SCRIPT}"
        db.session.add(Feedback(match_id=match.id, author_id=world.user_ids["resident"],
                                rating=4, comment=f"Verhaal {SCRIPT} {IMG}"))
    for concern in db.session.scalars(db.select(Concern)):
        concern.message = f"Zorg {SCRIPT} {IMG}"
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(VolunteerProfile))


def test_payloads_never_appear_raw(app: Flask, client: FlaskClient) -> None:
    world = build_world()
    _poison(world)
    failures = []
    escaped_somewhere = False
    for rule in GET_RULES:
        url = url_for_rule(rule, world.ids)
        for kind in KINDS:
            response = request_as(client, world, kind, "GET", url)
            if response.mimetype != "text/html":
                continue
            body = response.get_data(as_text=True)
            escaped_somewhere = escaped_somewhere or "&lt;script&gt;alert(1)" in body
            failures += [f"{url} as {kind}: {raw!r}" for raw in RAW if raw in body]
    assert not failures, "\n".join(failures)
    assert escaped_somewhere, "the payload was shown nowhere: the test proves nothing"

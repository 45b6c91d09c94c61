"""Two volunteers pick the same request at the same moment: exactly one wins (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from marketplace.errors import Conflict
from marketplace.extensions import db as _db
from marketplace.matches import services
from marketplace.models import HelpRequest, Match, RequestStatus, User
from marketplace.rounds import services as rounds
from tests.conftest import ON_POSTGRES
from tests.matches.helpers import make_volunteer, open_request

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="row locks need PostgreSQL")


def _race(app, action, volunteer_ids, request_id):
    """Run ``action(volunteer, request)`` in two threads released by one barrier."""
    barrier = threading.Barrier(len(volunteer_ids))
    outcomes: list[str] = []

    def worker(volunteer_id: int) -> None:
        with app.app_context():
            volunteer = _db.session.get(User, volunteer_id)
            help_request = _db.session.get(HelpRequest, request_id)
            barrier.wait()
            try:
                action(volunteer, help_request)
                _db.session.commit()
                outcomes.append("won")
            except Conflict as error:
                _db.session.rollback()
                outcomes.append(f"lost: {error.message}")

    threads = [threading.Thread(target=worker, args=(vid,)) for vid in volunteer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_concurrent_pick_has_one_winner(app, db):
    first, second = make_volunteer(), make_volunteer()
    help_request = open_request()
    db.session.commit()
    outcomes = _race(app, services.pick_request, [first.id, second.id], help_request.id)
    assert sorted(o.split(":")[0] for o in outcomes) == ["lost", "won"]
    assert "Iemand anders helpt al" in next(o for o in outcomes if o.startswith("lost"))
    db.session.expire_all()
    assert db.session.get(HelpRequest, help_request.id).status == RequestStatus.MATCHED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Match)) == 1


def test_accept_and_pick_race_has_one_winner(app, db):
    proposed_to = make_volunteer()
    picker = make_volunteer()
    help_request = open_request()
    rounds.run_round(None, None, dry_run=False)
    db.session.commit()
    match_id = db.session.scalar(sa.select(Match.id))

    def act(volunteer, request):
        if volunteer.id == proposed_to.id:
            services.accept_match(volunteer, _db.session.get(Match, match_id))
        else:
            services.pick_request(volunteer, request)

    outcomes = _race(app, act, [proposed_to.id, picker.id], help_request.id)
    assert sorted(o.split(":")[0] for o in outcomes) == ["lost", "won"]
    db.session.expire_all()
    assert db.session.get(HelpRequest, help_request.id).status == RequestStatus.MATCHED

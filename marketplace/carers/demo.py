"""The carers' demo: ``mantelzorger@demo.hulppunt.nl`` with a profile, a history of overload
checks (getting heavier, the latest opens a follow-up task) and a running respite match with a
trained volunteer. Called once from ``marketplace.demo.seed``; the caller commits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from marketplace.carers import scoring
from marketplace.carers.respite import RESPITE_SLUG
from marketplace.carers.services import take_check
from marketplace.extensions import db
from marketplace.models import (
    CarerCheck,
    CarerProfile,
    Category,
    HelpRequest,
    Match,
    MatchStatus,
    RequestStatus,
    RespiteDetails,
    Role,
    User,
    utcnow,
)
from marketplace.notifications.services import notify
from marketplace.vocabulary import NotificationKind, local_today

CARER_EMAIL = "mantelzorger@demo.hulppunt.nl"
#: (weeks ago, answer for every area, felt burden): the burden grows; the last one is today.
HISTORY = ((20, 2, 2), (12, 3, 3), (5, 3, 3))
LATEST = {"care_tasks": 4, "arranging": 3, "housing_transport": 2, "money": 2,
          "social_emotional": 4, "knowledge": 3, "time_off": 5, "combining": 4}


def seed_carer_demo(demo: Any) -> User:
    """Add the demo carer (``demo`` is ``marketplace.demo._Demo``: its ``person`` builder)."""
    carer = demo.person(CARER_EMAIL, Role.RESIDENT, pc4="1211")
    carer.name = "Marja de Boer"
    db.session.flush()
    db.session.add(CarerProfile(
        user_id=carer.id, relation="partner", lives_together=True,
        since=local_today() - timedelta(days=3 * 365), hours_per_week=30,
        care_kinds=["personal", "household", "arranging"], conditions=["dementia"],
    ))
    for weeks, value, felt in HISTORY:
        answers = dict.fromkeys(scoring.rules().areas, value)
        outcome = scoring.score(answers, felt)
        db.session.add(CarerCheck(
            user_id=carer.id, neighbourhood_id=carer.neighbourhood_id, answers=answers,
            felt_burden=felt, total=outcome.total, level=outcome.level,
            high_areas=list(outcome.high_areas), taken_at=utcnow() - timedelta(weeks=weeks),
        ))
    take_check(carer, LATEST, 4)  # overloaded: the coordinators get a follow-up task
    _give_running_respite(carer)
    return carer


def _give_running_respite(carer: User) -> None:
    """Make the carer the requester of a running respite match the demo already has (so the
    demo's counts stay as documented), with the two people on it."""
    match = db.session.scalar(
        sa.select(Match).join(HelpRequest).join(Category)
        .where(Category.slug == RESPITE_SLUG, Match.status == MatchStatus.ACCEPTED,
               HelpRequest.status == RequestStatus.MATCHED)
        .order_by(Match.id).limit(1))
    if match is None:
        return
    help_request = match.help_request
    help_request.requester = carer
    help_request.created_by_id = carer.id
    help_request.description = ("Mijn man Kees heeft dementie. Hij wandelt graag en houdt "
                                "van koffie.")
    db.session.add(RespiteDetails(
        help_request_id=help_request.id, cared_for_name="Kees de Boer",
        cared_for_needs=help_request.description,
        carer_needs="Elke week een middag voor mezelf, om te zwemmen.",
        carer_address=carer.address or "",
    ))
    # The carer was told a volunteer helps (as every demo login, they have something unread).
    notify(carer, NotificationKind.MATCH_ACCEPTED, key=f"match_accepted:match:{match.id}",
           help_request=help_request, match=match, title=help_request.title)

"""The carers' demo account."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.access import vog_valid_on
from marketplace.carers import services
from marketplace.carers.demo import CARER_EMAIL
from marketplace.models import FollowUpTask, HelpRequest, Match, MatchStatus, RespiteDetails, User
from marketplace.vocabulary import TaskKind, local_today


def test_the_demo_carer_has_a_history_a_task_and_a_running_respite_match(db) -> None:
    from marketplace.demo import seed

    seed()
    carer = db.session.scalar(sa.select(User).where(User.email == CARER_EMAIL))
    assert services.profile_of(carer) is not None
    checks = services.checks_of(carer)
    assert [check.level for check in checks][-1] == "overloaded"
    assert len(checks) == 4
    assert checks[0].total < checks[-1].total
    task = db.session.scalar(sa.select(FollowUpTask).where(FollowUpTask.person_id == carer.id))
    assert task.kind is TaskKind.CARER_OVERLOAD
    match = db.session.scalar(
        sa.select(Match).join(HelpRequest).where(HelpRequest.requester_id == carer.id))
    assert match.status is MatchStatus.ACCEPTED
    assert match.help_request.category.slug == "respijtzorg"
    profile = match.volunteer.volunteer_profile
    assert profile.training_verified
    assert vog_valid_on(profile, local_today())
    assert db.session.get(RespiteDetails, match.help_request_id).cared_for_name

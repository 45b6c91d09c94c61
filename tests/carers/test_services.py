"""The carers' rules: self-check, profile with consent, the follow-up of a heavy check, who
reads a carer's checks, and the burden the matching sees."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.carers import services
from marketplace.carers.burden import burden_levels
from marketplace.errors import DomainError, FieldError, NotAllowed, NotFound
from marketplace.models import AuditEntry, CarerProfile, FollowUpTask, Role
from marketplace.requests.services import ResidentData
from marketplace.vocabulary import TaskKind
from tests import factories
from tests.carers.helpers import PROFILE, answers, carer, check


@pytest.mark.parametrize(("hours", "months", "long", "many", "intensive"), [
    (7, 2, False, False, False),
    (8, 2, False, True, False),
    (7, 3, True, False, False),
    (8, 3, True, True, True),
])
def test_self_check_edges(hours: int, months: int, long: bool, many: bool,
                          intensive: bool) -> None:
    result = services.self_check(True, hours, months)
    assert (result.long, result.many_hours, result.intensive) == (long, many, intensive)
    assert result.long_or_many_hours == (long or many)


def test_someone_who_cares_for_nobody_is_no_carer() -> None:
    result = services.self_check(False, 40, 12)
    assert not result.is_carer
    assert not result.intensive


def test_profile_needs_consent_and_valid_answers(db) -> None:
    person = factories.user(Role.RESIDENT)
    with pytest.raises(FieldError) as refused:
        services.save_profile(person, person, PROFILE, consent=False)
    assert refused.value.field == "consent"
    bad = services.ProfileData("partner", False, None, 200)
    with pytest.raises(FieldError):
        services.save_profile(person, person, bad, consent=True)
    services.save_profile(person, person, PROFILE, consent=True)
    profile = db.session.scalar(sa.select(CarerProfile))
    assert profile.hours_per_week == 20
    assert profile.registered_by_id is None


def test_desk_registration_records_who_registered_with_consent(db) -> None:
    coordinator = factories.user(Role.COORDINATOR)
    person = ResidentData(name="Ans Jansen", phone="06 1111 2222")
    registered = services.register_carer(coordinator, person, "1211 AB", PROFILE, True)
    profile = services.profile_of(registered)
    assert profile.registered_by_id == coordinator.id
    assert profile.consent_at is not None
    assert registered.neighbourhood.name == "Centrum"
    with pytest.raises(FieldError):
        services.register_carer(coordinator, person, "1211 AB", PROFILE, False)


def test_a_referrer_registers_but_does_not_overwrite_and_a_resident_may_not(db) -> None:
    referrer = factories.user(Role.REFERRER)
    existing = carer()
    with pytest.raises(NotAllowed):
        services.save_profile(referrer, existing, PROFILE, consent=True)
    with pytest.raises(NotAllowed):
        services.register_carer(factories.user(Role.RESIDENT),
                                ResidentData("X Y", "06 1111 2222"), "1211 AB", PROFILE, True)
    services.register_carer(referrer, ResidentData("Piet Smit", "06 1111 3333"), "1211 AB",
                            PROFILE, True)


def _tasks(db) -> list[FollowUpTask]:
    return list(db.session.scalars(sa.select(FollowUpTask)))


def test_a_heavy_check_opens_one_task_for_the_neighbourhood(db) -> None:
    person = carer()
    heavy = check(person, 4)
    [task] = _tasks(db)
    assert task.kind is TaskKind.CARER_OVERLOAD
    assert task.key == f"carer_check:{heavy.id}"
    assert task.neighbourhood_id == person.neighbourhood_id
    assert task.person_id == person.id
    check(person, 5)  # a second heavy check: its own task
    assert len(_tasks(db)) == 2


def test_a_light_or_merely_raised_check_opens_no_task(db) -> None:
    person = carer()
    check(person, 1)
    check(person, 3, felt=3)  # 24 points, no area high: "raised"
    assert _tasks(db) == []


def test_one_high_area_opens_a_task(db) -> None:
    person = carer()
    values = answers(1)
    values["money"] = 4
    services.take_check(person, values, 1)
    assert len(_tasks(db)) == 1


def test_an_incomplete_check_is_refused_and_keeps_nothing(db) -> None:
    person = carer()
    with pytest.raises(DomainError):
        services.take_check(person, {"money": 3}, 1)


def test_who_reads_a_carers_checks(db) -> None:
    person = carer()
    check(person, 2)
    centrum = factories.neighbourhood("Centrum")
    oost = factories.neighbourhood("Oost")
    own = factories.user(Role.COORDINATOR, neighbourhood=centrum)
    citywide = factories.user(Role.COORDINATOR)
    other = factories.user(Role.COORDINATOR, neighbourhood=oost)
    assert len(services.checks_for(person, person)) == 1
    assert len(services.checks_for(own, person)) == 1
    assert len(services.checks_for(citywide, person)) == 1
    for outsider in (other, factories.user(Role.ADMIN), factories.user(Role.REFERRER),
                     factories.user(Role.VOLUNTEER), factories.user(Role.RESIDENT)):
        with pytest.raises(NotFound):
            services.checks_for(outsider, person)
    viewed = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "carer_check.viewed")).all()
    assert {entry.actor_id for entry in viewed} == {own.id, citywide.id}
    assert all(entry.target_id == person.id for entry in viewed)


def test_burden_levels_take_the_latest_check(db) -> None:
    first, second, nobody = carer(), carer(), factories.user()
    check(first, 5)
    check(first, 1)
    check(second, 5)
    assert burden_levels([first.id, second.id, nobody.id]) == {first.id: 0, second.id: 2}
    assert burden_levels([]) == {}

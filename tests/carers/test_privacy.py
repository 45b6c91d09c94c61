"""The check's answers: in the export, gone with the account, unlinked after retention."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from marketplace.carers import respite
from marketplace.models import CarerCheck, CarerProfile, RespiteDetails, utcnow
from marketplace.privacy import services as privacy
from tests.carers.helpers import carer, check


def _ask(person):
    return respite.ask_respite(person, respite.RespiteData(
        cared_for_name="Henk", cared_for_needs="Wandelen", carer_needs="Rust",
        postcode="1211 AB", address="Kerkstraat 5", carer_address="Laan 1",
        weekday="mon", part_of_day="morning"))


def test_the_export_holds_profile_checks_and_respite(db) -> None:
    person = carer()
    check(person, 4, felt=4)
    _ask(person)
    data = privacy.export_user_data(person)
    assert data["carer_profile"]["relation"] == "partner"
    assert data["carer_profile"]["conditions"] == ["dementia"]
    [exported] = data["carer_checks"]
    assert exported["answers"]["money"] == 4
    assert exported["level"] == "overloaded"
    assert data["respite"][0]["cared_for_name"] == "Henk"


def test_deleting_the_account_deletes_the_carer_data(db) -> None:
    person, other = carer(), carer()
    check(person, 3)
    check(other, 3)
    _ask(person)
    privacy.delete_account(person)
    assert db.session.scalars(sa.select(CarerProfile.user_id)).all() == [other.id]
    assert db.session.scalars(sa.select(CarerCheck.user_id)).all() == [other.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RespiteDetails)) == 0


def test_old_checks_keep_only_what_counts(db) -> None:
    person = carer()
    old, new = check(person, 4), check(person, 2)
    old.taken_at = utcnow() - timedelta(days=400)
    db.session.flush()
    privacy.purge_closed_requests(utcnow(), 365)
    db.session.refresh(old)
    db.session.refresh(new)
    assert (old.user_id, old.answers, old.level, old.total) == (None, {}, "overloaded", 32)
    assert new.user_id == person.id
    assert new.answers


def test_an_anonymised_respite_request_forgets_both_people(db) -> None:
    help_request = _ask(carer())
    privacy.anonymise_request(help_request, utcnow())
    assert db.session.get(RespiteDetails, help_request.id) is None

"""notify(): one row per event (its key), routed by the recipient's choice and address."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from marketplace.extensions import db as _db
from marketplace.models import (
    Notification,
    NotificationMail,
    OutboxMessage,
    Role,
    User,
    utcnow,
)
from marketplace.notifications import notify, services
from marketplace.vocabulary import NotificationDelivery as D
from marketplace.vocabulary import NotificationKind as K
from tests import factories
from tests.conftest import ON_POSTGRES


def _outbox() -> list[OutboxMessage]:
    from marketplace.extensions import db

    return list(db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "notification")))


def test_notify_writes_one_row_and_one_mail_per_key(db) -> None:
    resident = factories.user(Role.RESIDENT)
    help_request = factories.help_request(resident)
    first = notify(resident, K.REQUEST_APPROVED, key="k1", help_request=help_request,
                   title=help_request.title)
    again = notify(resident, K.REQUEST_APPROVED, key="k1", help_request=help_request)
    assert first is not None
    assert again is None
    assert first.mail == NotificationMail.QUEUED
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1
    [message] = _outbox()
    assert message.payload == {"notification_id": first.id}


def test_no_notification_for_an_inactive_or_anonymised_person(db) -> None:
    gone = factories.user(Role.RESIDENT, active=False)
    anonymised = factories.user(Role.RESIDENT, anonymised_at=utcnow())
    assert notify(gone, K.REQUEST_APPROVED, key="a") is None
    assert notify(anonymised, K.REQUEST_APPROVED, key="b") is None
    assert _outbox() == []


def test_preference_off_and_digest_send_no_mail_now(db) -> None:
    volunteer = factories.user(Role.VOLUNTEER)
    services.set_preferences(volunteer, {K.PROPOSAL_NEW: D.OFF, K.REQUEST_WITHDRAWN: D.DIGEST})
    off = notify(volunteer, K.PROPOSAL_NEW, key="off")
    digest = notify(volunteer, K.REQUEST_WITHDRAWN, key="digest")
    assert off is not None
    assert off.mail == NotificationMail.OFF
    assert digest is not None
    assert digest.mail == NotificationMail.DIGEST
    assert digest.emailed_at is None
    assert _outbox() == []
    assert services.unread_count(volunteer) == 2  # the bell shows them all the same


def test_a_choice_a_kind_does_not_offer_is_ignored(db) -> None:
    volunteer = factories.user(Role.VOLUNTEER)
    services.set_preferences(volunteer, {K.APPOINTMENT_REMINDER: D.DIGEST})
    assert services.preference(volunteer, K.APPOINTMENT_REMINDER) == D.IMMEDIATE


def test_defaults_are_immediate_except_the_open_requests_digest(db) -> None:
    volunteer = factories.user(Role.VOLUNTEER)
    chosen = services.preferences(volunteer)
    assert chosen[K.PROPOSAL_NEW] == D.IMMEDIATE
    assert chosen[K.DIGEST] == D.OFF
    assert K.REQUEST_APPROVED not in chosen  # a volunteer only: no resident's kinds


def test_resident_without_confirmed_address_is_phoned_not_mailed(db) -> None:
    desk_resident = factories.user(Role.RESIDENT, email=None, email_confirmed_at=None)
    unconfirmed = factories.user(Role.RESIDENT, email_confirmed_at=None)
    for number, person in enumerate((desk_resident, unconfirmed)):
        help_request = factories.help_request(person)
        notification = notify(person, K.REQUEST_INFO_NEEDED, key=f"q{number}",
                              help_request=help_request)
        assert notification is not None
        assert (notification.mail, notification.phone_needed) == (
            NotificationMail.NO_ADDRESS, True)
    assert _outbox() == []


def test_a_volunteer_without_address_is_not_on_the_phone_list(db) -> None:
    volunteer = factories.user(Role.VOLUNTEER, email_confirmed_at=None)
    help_request = factories.help_request()
    notification = notify(volunteer, K.PROPOSAL_NEW, key="p", help_request=help_request)
    assert notification is not None
    assert not notification.phone_needed


def test_mark_read_only_own_and_mark_all(db) -> None:
    import pytest

    from marketplace.errors import NotFound

    owner, other = factories.user(), factories.user()
    mine = [notify(owner, K.REQUEST_APPROVED, key=f"m{n}") for n in range(3)]
    theirs = notify(other, K.REQUEST_APPROVED, key="t")
    assert mine[0] is not None
    assert theirs is not None
    with pytest.raises(NotFound):
        services.mark_read(owner, theirs.id)
    services.mark_read(owner, mine[0].id)
    assert services.unread_count(owner) == 2
    assert services.mark_all_read(owner) == 2
    assert services.unread_count(owner) == 0
    assert services.unread_count(other) == 1


def test_a_key_written_meanwhile_by_another_transaction_is_not_an_error(db) -> None:
    resident = factories.user(Role.RESIDENT)
    # As another process would have written it: a plain INSERT, not through this session.
    db.session.execute(sa.insert(Notification).values(
        recipient_id=resident.id, kind=K.REQUEST_APPROVED, key="raced", params={},
        mail=NotificationMail.OFF, phone_needed=False, created_at=utcnow(),
    ))
    assert notify(resident, K.REQUEST_APPROVED, key="raced") is None
    # The transaction goes on as if nothing happened: the next event is written and sent.
    later = notify(resident, K.REQUEST_APPROVED, key="later")
    db.session.commit()
    assert later is not None
    assert sorted(row.key for row in db.session.scalars(sa.select(Notification))) == [
        "later", "raced"]
    assert [message.payload for message in _outbox()] == [{"notification_id": later.id}]


@pytest.mark.skipif(not ON_POSTGRES, reason="two writing transactions at once need PostgreSQL")
def test_two_transactions_telling_the_same_event_at_once_write_it_once(app, db) -> None:
    """The second transaction writes the key while the first has written it but not yet
    committed: it waits for the first, then writes nothing and sends nothing, and still
    commits the rest of its work."""
    resident = factories.user(Role.RESIDENT)
    db.session.commit()
    first_wrote = threading.Event()
    told: dict[str, bool] = {}

    def tell(name: str) -> None:
        with app.app_context():
            person = _db.session.get(User, resident.id)
            if name == "second":
                first_wrote.wait(timeout=10)
            told[name] = notify(person, K.REQUEST_APPROVED, key="same event") is not None
            notify(person, K.REQUEST_APPROVED, key=f"{name} own")
            if name == "first":
                first_wrote.set()
                time.sleep(0.5)  # the second now waits on our row
            _db.session.commit()

    threads = [threading.Thread(target=tell, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert told == {"first": True, "second": False}
    keys = sorted(row.key for row in db.session.scalars(sa.select(Notification)))
    assert keys == ["first own", "same event", "second own"]
    assert len(_outbox()) == 3

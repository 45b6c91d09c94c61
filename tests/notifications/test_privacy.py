"""What notifications copied is forgotten with the request or the account."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import Notification, NotificationPreference, Role, utcnow
from marketplace.notifications import notify, services
from marketplace.privacy import services as privacy
from marketplace.vocabulary import NotificationDelivery as D
from marketplace.vocabulary import NotificationKind as K
from tests import factories


def test_anonymising_a_request_blanks_its_title_and_note_in_notifications(db) -> None:
    help_request = factories.help_request(title="Steunkousen aantrekken bij mevrouw Smit")
    notify(help_request.requester, K.REQUEST_INFO_NEEDED, key="q", help_request=help_request,
           title=help_request.title, note="Welke dag, mevrouw Smit?", for_referrer=True,
           day="2027-02-08")
    privacy.anonymise_request(help_request, utcnow())
    db.session.flush()
    notification = db.session.scalar(sa.select(Notification))
    db.session.refresh(notification)
    # What people typed is gone; what makes the notification read right stays.
    assert notification.params == {"for_referrer": True, "day": "2027-02-08"}


def test_deleting_an_account_deletes_its_notifications_and_choices(db) -> None:
    volunteer = factories.volunteer()
    other = factories.user(Role.RESIDENT)
    notify(volunteer, K.PROPOSAL_NEW, key="mine")
    notify(other, K.REQUEST_APPROVED, key="theirs")
    services.set_preferences(volunteer, {K.PROPOSAL_NEW: D.OFF})
    privacy.delete_account(volunteer)
    assert [row.key for row in db.session.scalars(sa.select(Notification))] == ["theirs"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationPreference)) == 0

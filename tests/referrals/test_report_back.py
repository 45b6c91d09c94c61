"""Reporting back to the referrer: the step of what they filed in plain words on their
referrals page, and a notification at each step, only with the resident's consent; never
the volunteer's name or contact details."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.matches import lifecycle as match_lifecycle
from marketplace.matches import services as match_services
from marketplace.models import (
    MatchStatus,
    Notification,
    RequestSource,
    RequestStatus,
    Role,
)
from marketplace.requests import lifecycle
from marketplace.vocabulary import NotificationKind
from tests import factories
from tests.matches.helpers import make_volunteer


def _referral(db, consent: bool):
    referrer = factories.user(Role.REFERRER)
    help_request = factories.help_request(source=RequestSource.REFERRER,
                                          created_by_id=referrer.id, consent_given=consent)
    db.session.commit()
    return referrer, help_request


def _told(db, referrer) -> list[dict]:
    return [row.params for row in db.session.scalars(
        sa.select(Notification).where(Notification.recipient_id == referrer.id,
                                      Notification.kind == NotificationKind.REFERRAL_STATUS)
        .order_by(Notification.id))]


def test_with_consent_the_referrer_follows_each_step(db, login) -> None:
    referrer, help_request = _referral(db, consent=True)
    client = login(referrer)
    assert "Het meldpunt bekijkt de aanvraag." in client.get("/referrals/").get_data(as_text=True)
    lifecycle.transition(help_request, RequestStatus.OPEN, None)
    db.session.commit()
    assert "Opgepakt: het meldpunt zoekt een vrijwilliger." in client.get(
        "/referrals/").get_data(as_text=True)
    volunteer = make_volunteer()
    lifecycle.transition(help_request, RequestStatus.MATCHED, volunteer)
    match = match_lifecycle.create(help_request.id, volunteer.id, MatchStatus.ACCEPTED,
                                   volunteer)
    db.session.commit()
    page = client.get("/referrals/").get_data(as_text=True)
    assert "Er is een vrijwilliger gevonden." in page
    assert volunteer.name not in page
    assert volunteer.email not in page
    match_services.complete(volunteer, match, "klaar")
    db.session.commit()
    assert "De hulp is gegeven." in client.get("/referrals/").get_data(as_text=True)
    assert [params["step"] for params in _told(db, referrer)] == ["taken_up", "help_given"]


def test_not_possible_says_why_in_one_line(db, login) -> None:
    referrer, help_request = _referral(db, consent=True)
    lifecycle.transition(help_request, RequestStatus.REJECTED, None,
                         "Dit is werk voor\nde thuiszorg.")
    db.session.commit()
    page = login(referrer).get("/referrals/").get_data(as_text=True)
    assert "Het lukt niet." in page
    assert "De reden: Dit is werk voor de thuiszorg." in page
    [params] = _told(db, referrer)
    assert params["reason"] == "Dit is werk voor de thuiszorg."


def test_without_consent_no_status_and_no_notification(db, login) -> None:
    referrer, help_request = _referral(db, consent=False)
    lifecycle.transition(help_request, RequestStatus.REJECTED, None, "geen vrijwilligers")
    db.session.commit()
    page = login(referrer).get("/referrals/").get_data(as_text=True)
    assert "De bewoner gaf geen toestemming om u op de hoogte te houden." in page
    assert "Stand van zaken" not in page
    assert "geen vrijwilligers" not in page
    assert _told(db, referrer) == []


def test_a_withdrawal_is_told_unless_the_referrer_withdrew_it(db, login) -> None:
    from marketplace.notifications.texts import describe

    referrer, help_request = _referral(db, consent=True)
    lifecycle.transition(help_request, RequestStatus.CANCELLED, help_request.requester)
    db.session.commit()
    [row] = db.session.scalars(sa.select(Notification).where(
        Notification.kind == NotificationKind.REFERRAL_STATUS)).all()
    assert "De aanvraag is ingetrokken." in describe(row).lines
    assert "De reden: De aanvraag is ingetrokken." in login(referrer).get(
        "/referrals/").get_data(as_text=True)

    other_referrer, own = _referral(db, consent=True)
    lifecycle.transition(own, RequestStatus.CANCELLED, other_referrer)
    db.session.commit()
    assert _told(db, other_referrer) == []

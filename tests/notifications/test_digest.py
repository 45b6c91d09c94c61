"""The weekly digest through a real SMTP server: open requests near an opted-in volunteer,
grouped by kind, nearest first, nothing private; one per ISO week; a one-click unsubscribe
(RFC 8058) that works without logging in and switches off only the digest."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from marketplace.models import HelpRequest, Notification, NotificationMail, Role
from marketplace.notifications import digest, notify, schedule
from marketplace.notifications import services as notification_services
from marketplace.vocabulary import NotificationDelivery as D
from marketplace.vocabulary import NotificationKind as K
from tests import factories
from tests.matches.helpers import make_volunteer, open_request
from tests.smtp_server import SmtpServer

MONDAY_NINE = datetime(2027, 2, 8, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam (winter time)


@pytest.fixture
def app_config(smtp_server: SmtpServer) -> dict[str, Any]:
    return {**smtp_server.app_config(), "SITE_URL": "http://127.0.0.1:5099"}


@pytest.fixture
def volunteer(db):
    """An opted-in volunteer in 1211 who gives two kinds of help on Monday mornings."""
    user = make_volunteer(skills=("boodschappen", "vervoer"), max_travel_km=10.0)
    notification_services.set_preferences(user, {K.DIGEST: D.DIGEST, K.PROPOSAL_NEW: D.DIGEST})
    db.session.commit()
    return user


@pytest.fixture
def requests(db):
    """Open requests: shopping far and near, a lift in between; one the volunteer cannot do."""
    resident = factories.user(Role.RESIDENT, name="Mevrouw Geheim", address="Verstopt 9")
    far = open_request(requester=resident, pc4="1221", address="Verstopt 9",
                       title="Boodschappen voor Mevrouw Geheim")
    near = open_request(pc4="1211", title="Boodschappen dichtbij")
    lift = open_request(pc4="1212", category_slug="vervoer", title="Rit naar het ziekenhuis")
    other = open_request(pc4="1211", category_slug="klusjes", title="Lamp ophangen")
    db.session.commit()
    return far, near, lift, other


def _digests(smtp_server: SmtpServer) -> list[Any]:
    return [m for m in smtp_server.messages if "wekelijkse overzicht" in str(m["Subject"])]


def test_the_digest_groups_by_kind_nearest_first_and_hides_private_details(
    db, smtp_server, volunteer, requests
) -> None:
    assert schedule.tick(MONDAY_NINE).digests == 1

    [message] = _digests(smtp_server)
    assert message["To"] == volunteer.email
    assert message["Auto-Submitted"] == "auto-generated"
    text = smtp_server.text_of(message)
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        boodschappen = body.index("Boodschappen")
        vervoer = body.index("Vervoer")
        assert boodschappen < vervoer  # the nearest request is shopping
        # Within shopping: the one next door (0 km) before the one in 1221.
        assert body.index("ongeveer 0,0 km") < body.index("ongeveer 1,", boodschappen)
        for private in ("Mevrouw Geheim", "Verstopt", "Boodschappen dichtbij",
                        "Rit naar het ziekenhuis", "Lamp ophangen", "Klusjes"):
            assert private not in body
    assert "http://127.0.0.1:5099/matches/open" in text


def test_list_unsubscribe_headers_and_one_click_switches_off_only_the_digest(
    db, client, smtp_server, volunteer, requests
) -> None:
    schedule.tick(MONDAY_NINE)
    [message] = _digests(smtp_server)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(message["List-Unsubscribe"]).strip()
    assert header.startswith("<http://127.0.0.1:5099/unsubscribe/")
    assert header.endswith(">")
    path = urlsplit(header[1:-1]).path

    page = client.get(path)  # a person clicks the link: a page with a button, no change
    assert page.status_code == 200
    assert "Ja, stop het wekelijkse overzicht" in page.text
    assert notification_services.preference(volunteer, K.DIGEST) == D.DIGEST

    # The mail program's one-click POST: no login, no CSRF token, the RFC 8058 body.
    client.application.config["WTF_CSRF_ENABLED"] = True
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "Wekelijks overzicht gestopt" in done.text
    assert notification_services.preference(volunteer, K.DIGEST) == D.OFF
    assert notification_services.preference(volunteer, K.PROPOSAL_NEW) == D.DIGEST

    assert schedule.tick(MONDAY_NINE + timedelta(days=7)).digests == 0


def test_a_forged_or_damaged_token_changes_nothing(db, client, volunteer) -> None:
    token = digest.unsubscribe_token(volunteer)
    for bad in (token[:-2] + "xx", "abc", "x" * 300):
        assert client.get(f"/unsubscribe/{bad}").status_code == 404
        assert client.post(f"/unsubscribe/{bad}").status_code == 404
    assert notification_services.preference(volunteer, K.DIGEST) == D.DIGEST


def test_one_digest_per_week_on_the_configured_day_and_time(
    app, db, smtp_server, volunteer, requests
) -> None:
    assert schedule.tick(MONDAY_NINE - timedelta(minutes=1)).digests == 0  # 08:59
    assert schedule.tick(MONDAY_NINE - timedelta(days=1)).digests == 0  # Sunday
    assert schedule.tick(MONDAY_NINE).digests == 1
    assert schedule.tick(MONDAY_NINE + timedelta(hours=5)).digests == 0
    assert schedule.tick(MONDAY_NINE + timedelta(days=7)).digests == 1
    assert len(_digests(smtp_server)) == 2

    app.config.update(DIGEST_WEEKDAY="fri", DIGEST_TIME="17:30")
    friday = datetime(2027, 2, 26, 16, 30, tzinfo=UTC)  # 17:30 in Amsterdam, the next week
    assert schedule.tick(friday - timedelta(minutes=1)).digests == 0
    assert schedule.tick(friday).digests == 1


def test_volunteers_who_did_not_opt_in_get_nothing(db, smtp_server, requests) -> None:
    make_volunteer()  # the default for the digest is off
    db.session.commit()
    assert schedule.tick(MONDAY_NINE).digests == 0
    assert smtp_server.messages == []


def test_notifications_chosen_weekly_arrive_in_the_weekly_mail(db, smtp_server) -> None:
    resident = factories.user(Role.RESIDENT)
    help_request = open_request(requester=resident, title="Hulp bij de tuin")
    notification_services.set_preferences(resident, {K.REQUEST_APPROVED: D.DIGEST})
    waiting = notify(resident, K.REQUEST_APPROVED, key="approved-1", help_request=help_request)
    db.session.commit()
    assert waiting is not None
    assert waiting.mail == NotificationMail.DIGEST

    assert schedule.tick(MONDAY_NINE).digests == 1

    [message] = _digests(smtp_server)
    text = smtp_server.text_of(message)
    assert "Uw aanvraag is goedgekeurd" in text
    assert f"http://127.0.0.1:5099/requests/{help_request.id}" in text
    assert message["List-Unsubscribe"] is None  # no overview to unsubscribe from
    db.session.refresh(waiting)
    assert waiting.mail == NotificationMail.SENT
    assert waiting.emailed_at == MONDAY_NINE
    assert schedule.tick(MONDAY_NINE + timedelta(days=7)).digests == 0  # nothing waits now


def test_the_digest_is_in_the_recipients_language(db, smtp_server, volunteer, requests) -> None:
    volunteer.locale = "en"
    db.session.commit()
    schedule.tick(MONDAY_NINE)
    [message] = smtp_server.messages
    assert "weekly" in str(message["Subject"]).lower()
    assert "about 0.0 km" in smtp_server.text_of(message)


def test_the_digest_leaves_one_history_line_in_the_bell(db, smtp_server, volunteer,
                                                         requests) -> None:
    schedule.tick(MONDAY_NINE)
    [row] = db.session.scalars(sa.select(Notification).where(
        Notification.kind == K.DIGEST)).all()
    assert row.recipient_id == volunteer.id
    assert row.key == f"digest:{volunteer.id}:2027-W06"
    assert row.params["requests"] == 3
    assert row.read_at is not None  # the e-mail was the message


def test_a_tick_running_at_the_same_moment_sends_no_second_digest(
    db, smtp_server, volunteer, requests
) -> None:
    """Another tick wrote this week's digest of the first volunteer just before ours: the
    unique key makes ours write nothing, and the others in the batch still get theirs."""
    from marketplace.models import Notification as Row

    other = make_volunteer(pc4="1212")
    notification_services.set_preferences(other, {K.DIGEST: D.DIGEST})
    db.session.add(Row(recipient_id=volunteer.id, kind=K.DIGEST, params={},
                       key=digest.week_key(volunteer, MONDAY_NINE)))
    db.session.commit()

    assert schedule.tick(MONDAY_NINE).digests == 1

    assert [m["To"] for m in _digests(smtp_server)] == [other.email]


def test_groups_at_the_same_distance_keep_the_catalogue_order(db, volunteer) -> None:
    lift = open_request(pc4="1211", category_slug="vervoer")
    shopping = open_request(pc4="1211")
    db.session.commit()
    groups = digest.group_by_kind(digest.open_requests_for(volunteer))
    assert [group.items[0].help_request.id for group in groups] == sorted(
        [lift.id, shopping.id], key=lambda i: db.session.get(HelpRequest, i).category_id)


def test_the_volunteer_profile_leads_to_the_digest_choice(db, client, login, volunteer) -> None:
    page = login(volunteer).get("/volunteers/profile").text
    assert "/account/notifications#digest" in page
    assert 'id="digest"' in client.get("/account/notifications").text


def test_a_volunteer_who_paused_gets_no_overview(db, smtp_server, volunteer, requests) -> None:
    volunteer.volunteer_profile.paused = True
    db.session.commit()
    assert schedule.tick(MONDAY_NINE).digests == 0


def test_the_unsubscribe_pages_have_a_plain_title(db, client, volunteer) -> None:
    path = f"/unsubscribe/{digest.unsubscribe_token(volunteer)}"
    for page in (client.get(path), client.post(path)):
        title = re.search(r"<title>(.*?)</title>", page.text, re.S)
        assert title is not None
        assert "<" not in title.group(1)

"""The .ics download on the match page: RFC 5545 that calendar apps read (parsed back with
the icalendar library), local times in Europe/Amsterdam on both sides of a daylight-saving
change, one stable UID, SEQUENCE rising with changes, and no address before acceptance."""

from __future__ import annotations

from datetime import date, time

import icalendar

from marketplace.matches import lifecycle, services
from marketplace.models import Match, MatchStatus, RequestStatus, Timing
from tests import factories
from tests.matches.helpers import make_volunteer, open_request, switch_user

WINTER_MONDAY = date(2027, 3, 22)  # the last Sunday of March 2027 is the 28th
SUMMER_MONDAY = date(2027, 3, 29)


def _match(db, status: MatchStatus = MatchStatus.ACCEPTED, **fields) -> Match:
    volunteer = make_volunteer()
    fields.setdefault("timing", Timing.ONCE)
    fields.setdefault("date_start", WINTER_MONDAY)
    help_request = open_request(status=RequestStatus.MATCHED, **fields)
    if status == MatchStatus.ACCEPTED:
        match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.ACCEPTED, volunteer)
    else:
        match = lifecycle.create(help_request.id, volunteer.id, MatchStatus.SUGGESTED, None)
        lifecycle.transition(match, MatchStatus.PROPOSED, None)
    db.session.commit()
    return match


def _download(client, match: Match) -> icalendar.Event:
    response = client.get(f"/matches/{match.id}/agenda.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert ".ics" in response.headers["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.data)
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    (zone,) = calendar.walk("VTIMEZONE")
    assert {part.name for part in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    (event,) = calendar.walk("VEVENT")
    return event


def _local_start(event: icalendar.Event) -> tuple[str, time]:
    start = event.decoded("DTSTART")
    return event["DTSTART"].params["TZID"], start.time()


def test_a_morning_appointment_starts_at_nine_local_time_in_winter_and_summer(db, login):
    winter = _match(db, date_start=WINTER_MONDAY)
    summer = _match(db, date_start=SUMMER_MONDAY)
    switch_user(login, winter.volunteer)
    winter_event = _download(login(winter.volunteer), winter)
    assert _local_start(winter_event) == ("Europe/Amsterdam", time(9))
    assert winter_event.decoded("DTSTART").utcoffset().total_seconds() == 3600
    assert winter_event.decoded("DTEND").time() == time(12)
    switch_user(login, summer.volunteer)
    summer_event = _download(login(summer.volunteer), summer)
    assert _local_start(summer_event) == ("Europe/Amsterdam", time(9))
    assert summer_event.decoded("DTSTART").utcoffset().total_seconds() == 7200


def test_the_uid_is_stable_and_sequence_rises_and_cancelling_cancels(db, login):
    match = _match(db)
    client = login(match.volunteer)
    first, second = _download(client, match), _download(client, match)
    assert str(first["UID"]) == str(second["UID"]) == f"match-{match.id}@localhost"
    assert str(first["STATUS"]) == "CONFIRMED"
    services.cancel_match(match.volunteer, match, "Ziek")
    db.session.commit()
    cancelled = _download(client, match)
    assert str(cancelled["UID"]) == str(first["UID"])
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(first["SEQUENCE"])


def test_a_changed_date_raises_the_sequence(db, login):
    match = _match(db)
    client = login(match.volunteer)
    before = _download(client, match)
    match.help_request.date_start = SUMMER_MONDAY
    db.session.commit()
    after = _download(client, match)
    assert after.decoded("DTSTART").date() == SUMMER_MONDAY
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_weekly_help_is_one_series_with_a_weekly_rule(db, login):
    match = _match(db, timing=Timing.WEEKLY, weekday="wed", part_of_day="afternoon",
                   date_start=WINTER_MONDAY, date_end=date(2027, 6, 30))
    event = _download(login(match.volunteer), match)
    assert event.decoded("DTSTART").date() == date(2027, 3, 24)  # the first Wednesday
    assert _local_start(event) == ("Europe/Amsterdam", time(13))
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["WE"]
    assert rule["UNTIL"][0].date() == date(2027, 6, 30)


def test_weekly_help_that_ends_before_its_first_visit_has_no_download(db, login):
    # From Monday to Tuesday on Sundays: no visit at all, so no event after the end date.
    match = _match(db, timing=Timing.WEEKLY, weekday="sun", date_start=WINTER_MONDAY,
                   date_end=date(2027, 3, 23))
    client = login(match.volunteer)
    assert b"agenda.ics" not in client.get(f"/matches/{match.id}").data
    assert client.get(f"/matches/{match.id}/agenda.ics").status_code == 404


def test_the_address_is_in_the_calendar_only_after_acceptance(db, login):
    proposed = _match(db, MatchStatus.PROPOSED, address="Geheimstraat 7")
    event = _download(login(proposed.volunteer), proposed)
    assert "LOCATION" not in event
    assert b"Geheimstraat" not in event.to_ical()
    assert str(event["STATUS"]) == "TENTATIVE"
    accepted = _match(db, address="Open Erf 2")
    switch_user(login, accepted.volunteer)
    event = _download(login(accepted.volunteer), accepted)
    assert "Open Erf 2" in str(event["LOCATION"])


def test_the_match_page_links_to_the_download_and_strangers_get_404(db, login):
    match = _match(db)
    page = login(match.volunteer).get(f"/matches/{match.id}")
    assert f"/matches/{match.id}/agenda.ics".encode() in page.data
    assert "Zet in mijn agenda (.ics)" in page.get_data(as_text=True)
    stranger = factories.user()
    switch_user(login, stranger)
    assert login(stranger).get(f"/matches/{match.id}/agenda.ics").status_code == 404


def test_help_without_a_fixed_day_has_no_download(db, login):
    match = _match(db, timing=Timing.RANGE, date_end=date(2027, 4, 30))
    client = login(match.volunteer)
    assert b"agenda.ics" not in client.get(f"/matches/{match.id}").data
    assert client.get(f"/matches/{match.id}/agenda.ics").status_code == 404

"""One vocabulary: every code and label is defined once and every side uses that one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

import matching
from marketplace import models, vocabulary
from marketplace.models import MatchStatus, RequestStatus, Role, VogStatus
from marketplace.requests import rules
from marketplace.requests.services import validate_data
from marketplace.vocabulary import (
    LABELS,
    LANGUAGES,
    MATCH_STATUS_LABELS,
    REQUEST_STATUS_LABELS,
    ROLE_LABELS,
    VOG_STATUS_LABELS,
    Labelled,
)
from marketplace.volunteers.services import ProfileData, save_profile
from tests import factories
from tests.requests.helpers import in_days


def _option_values(html: str, name: str) -> set[str]:
    """The values a form offers for field ``name`` (select options or checkboxes)."""
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    if select:
        return set(re.findall(r'<option[^>]*value="([^"]*)"', select.group(0))) - {""}
    return set(re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html))


def test_the_engine_has_the_same_slots_as_the_app() -> None:
    """``matching`` stays free of the app, so it keeps its own tuple: the two must agree."""
    assert matching.SLOTS == vocabulary.SLOTS
    assert len(vocabulary.SLOTS) == 21
    assert vocabulary.SLOTS[0] == "mon-morning"


def test_days_follow_date_weekday() -> None:
    from datetime import date, timedelta

    monday = date(2026, 11, 23)
    week = [monday + timedelta(days=offset) for offset in range(7)]
    assert [vocabulary.DAYS[day.weekday()] for day in week] == list(vocabulary.DAYS)
    assert vocabulary.DAYS == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.mark.parametrize("enum_cls", list(LABELS))
def test_every_code_has_a_label(app: Flask, enum_cls: type[Labelled]) -> None:
    with app.test_request_context():
        for member in enum_cls:
            assert member.label
            assert member.label == str(LABELS[enum_cls][member])
    assert set(LABELS[enum_cls]) == set(enum_cls)


def test_models_use_the_vocabulary_enums() -> None:
    for name in ("RequestStatus", "RequestSource", "Timing", "MatchStatus", "RoundStatus",
                 "VogStatus", "Role", "ConcernStatus"):
        assert getattr(models, name) is getattr(vocabulary, name)


def test_local_today_is_defined_once() -> None:
    from marketplace.volunteers import services as volunteer_services

    assert rules.local_today is vocabulary.local_today
    assert not hasattr(volunteer_services, "today_local")


def test_a_volunteer_can_offer_every_language_a_resident_can_ask_for(
    client: FlaskClient, db: Any, login: Any
) -> None:
    resident = factories.user(Role.RESIDENT)
    db.session.commit()
    login(resident)
    asked = _option_values(client.get("/requests/new").text, "preferred_language")
    offered = _option_values(client.get("/volunteers/profile").text, "languages")
    assert asked == offered == set(LANGUAGES)
    assert "ti" in offered  # Tigrinya: residents asked for it, nobody could offer it


def test_the_services_accept_the_same_languages(app: Flask, db: Any) -> None:
    from marketplace.requests.services import RequestData
    from marketplace.vocabulary import Timing

    account = factories.user(Role.RESIDENT, postcode="1212 AB")
    data = RequestData(
        category_id=factories.category("boodschappen").id, title="Boodschappen",
        description="Naar de supermarkt.", timing=Timing.WEEKLY, date_start=None,
        date_end=None, weekday="mon", part_of_day=None, postcode="1211 AB",
        address="Kerkstraat 1",
    )
    from dataclasses import replace

    with app.test_request_context():
        for code in LANGUAGES:
            validate_data(replace(data, preferred_language=code))
        profile = save_profile(account, ProfileData(
            skill_ids=[factories.category("boodschappen").id], availability=["mon-morning"],
            postcode="1212 AB", max_travel_km=5, languages=list(LANGUAGES),
            vog_status="none", vog_date=None, trainings="", capacity=1,
        ))
    assert profile.languages == list(LANGUAGES)


def test_the_resident_role_has_one_label_everywhere(
    client: FlaskClient, db: Any, login: Any
) -> None:
    admin = factories.user(Role.ADMIN, Role.RESIDENT, name="Ada Beheer")
    db.session.commit()
    login(admin)
    label = str(ROLE_LABELS[Role.RESIDENT])
    assert label == "Bewoner"
    overview = client.get("/account/").text
    users = client.get("/admin/users").text
    edit = client.get(f"/admin/users/{admin.id}").text
    for page in (overview, users, edit):
        assert label in page
        assert "Hulpvrager" not in page


def test_vog_labels_come_from_the_vocabulary(
    client: FlaskClient, db: Any, login: Any
) -> None:
    profile = factories.volunteer_profile(vog_status=VogStatus.REQUESTED)
    coordinator = factories.user(Role.COORDINATOR)
    db.session.commit()
    login(coordinator)
    label = str(VOG_STATUS_LABELS[VogStatus.REQUESTED])
    assert label in client.get("/staff/volunteers?wijk=").text
    assert label in client.get(f"/staff/volunteers/{profile.id}").text
    login(profile.user)
    assert label in client.get("/account/").text
    form = client.get("/volunteers/profile").text
    assert all(str(text) in form for text in VOG_STATUS_LABELS.values())


def test_request_status_labels_come_from_the_vocabulary(
    client: FlaskClient, db: Any, login: Any
) -> None:
    from marketplace.requests import lifecycle

    assert lifecycle.STATUS_LABELS is REQUEST_STATUS_LABELS
    resident = factories.user(Role.RESIDENT)
    factories.help_request(resident, status=RequestStatus.NEEDS_INFO)
    db.session.commit()
    login(resident)
    assert str(REQUEST_STATUS_LABELS[RequestStatus.NEEDS_INFO]) in client.get("/requests/").text


def test_match_status_labels_come_from_the_vocabulary(app: Flask) -> None:
    with app.test_request_context():
        template = app.jinja_env.get_template("matches/_match_status.html")
        for status in MatchStatus:
            rendered = template.render(match=type("M", (), {"status": status})())
            assert rendered.strip() == str(MATCH_STATUS_LABELS[status])


def test_label_filter_and_code_helpers(app: Flask) -> None:
    with app.test_request_context():
        assert vocabulary.label(RequestStatus.OPEN) == "Zoekt een vrijwilliger"
        assert vocabulary.label(None) == ""
        assert vocabulary.label("anything") == "anything"
        assert vocabulary.slot_label("mon-morning") == "maandag ochtend"
        assert vocabulary.slot_label("") == ""
        assert vocabulary.language_label("ti") == "Tigrinya"
        assert vocabulary.language_label("xx") == "xx"
        rendered = app.jinja_env.from_string("{{ status | label }}").render(
            status=MatchStatus.ACCEPTED
        )
        assert rendered == str(MATCH_STATUS_LABELS[MatchStatus.ACCEPTED])


def test_profile_form_posts_every_language(client: FlaskClient, db: Any, login: Any) -> None:
    account = factories.user(Role.RESIDENT, postcode="1212 AB")
    db.session.commit()
    login(account)
    data = MultiDict([
        ("skills", str(factories.category("boodschappen").id)), ("availability", "mon-morning"),
        ("postcode", "1212 AB"), ("max_travel_km", "5"), ("vog_status", "none"),
        ("vog_date", ""), ("trainings", ""), ("capacity", "1"),
        *(("languages", code) for code in LANGUAGES),
    ])
    assert client.post("/volunteers/profile", data=data).status_code == 303
    db.session.refresh(account)
    assert account.volunteer_profile.languages == list(LANGUAGES)
    assert in_days(0)  # the request helpers read today from the vocabulary too

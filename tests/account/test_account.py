"""The account overview and editing one's own details."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from marketplace.models import Role, User
from tests import factories
from tests.security.test_query_counts import count_queries

GOOD = {
    "name": "Bram Jansen",
    "phone": "+31 6 1234 5678",
    "postcode": "1217 xy",
    "address": "Lindenlaan 4",
    "locale": "nl",
}


@pytest.fixture
def bram(db: Any, login: Any) -> User:
    account = factories.user(Role.RESIDENT, email="bram@example.nl", name="Bram")
    db.session.commit()
    login(account)
    return account


def test_overview_needs_login(client: FlaskClient) -> None:
    response = client.get("/account/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_pages_read_the_account_without_its_neighbourhood_the_overview_shows_it(
    client: FlaskClient, db: Any, login: Any
) -> None:
    """Every page reads the viewer's account; only the overview names its neighbourhood."""
    account = factories.user(Role.RESIDENT, neighbourhood=factories.neighbourhood("Centrum"))
    db.session.commit()
    login(account)
    client.get("/privacy")
    db.session.expunge_all()
    with count_queries() as statements:
        assert client.get("/privacy").status_code == 200
    assert len(statements) == 1
    assert "neighbourhoods" not in statements[0]
    assert "wijk Centrum" in client.get("/account/").text


def test_overview_shows_details_roles_and_reciprocity(client: FlaskClient, bram: User) -> None:
    response = client.get("/account/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<h1") == 1
    for text in ("Bram", "bram@example.nl", "06 12345678", "1211 AB", "Bewoner",
                 "/account/edit", "Ik wil ook helpen als vrijwilliger", "/volunteers/profile"):
        assert text in html


def test_overview_shows_volunteer_summary(client: FlaskClient, db: Any, login: Any) -> None:
    account = factories.volunteer_profile(skills=("boodschappen", "tuin")).user
    db.session.commit()
    login(account)
    html = client.get("/account/").get_data(as_text=True)
    assert "Vrijwilliger" in html
    assert "Boodschappen, Tuin" in html
    assert "maandag ochtend" in html
    assert "Ik wil ook helpen als vrijwilliger" not in html
    assert "Vrijwilligersprofiel wijzigen" in html


def test_edit_form_is_prefilled(client: FlaskClient, bram: User) -> None:
    html = client.get("/account/edit").get_data(as_text=True)
    assert 'value="Bram"' in html
    assert 'value="1211 AB"' in html


def test_edit_saves(client: FlaskClient, bram: User, db: Any) -> None:
    response = client.post("/account/edit", data=GOOD)
    assert response.status_code == 303
    db.session.refresh(bram)
    assert bram.name == "Bram Jansen"
    assert bram.phone == "+31612345678"
    assert bram.postcode == "1217 XY"
    assert bram.neighbourhood is not None
    assert bram.neighbourhood.name == "Noordwest"
    assert bram.address == "Lindenlaan 4"


def test_edit_language_switches_interface(client: FlaskClient, bram: User, db: Any) -> None:
    client.post("/account/edit", data={**GOOD, "locale": "en"})
    db.session.refresh(bram)
    assert bram.locale == "en"
    with client.session_transaction() as session:
        assert session["locale"] == "en"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Vul uw naam in."),
        ({"name": "x" * 121}, "hoogstens 120 tekens"),
        ({"name": "🙂"}, "Gebruik letters in uw naam."),
        ({"postcode": "1000 AA"}, "Deze postcode kennen wij niet."),
        ({"postcode": ""}, "Vul uw postcode in."),
        ({"phone": "bel me maar"}, "alleen cijfers"),
        ({"phone": "abc"}, "Gebruik alleen cijfers in het telefoonnummer"),
        ({"phone": "06 1234"}, "Dit telefoonnummer klopt niet"),
        ({"address": "x" * 201}, "hoogstens 200 tekens"),
        ({"locale": "de"}, "Ongeldige keuze"),
    ],
)
def test_edit_refuses_bad_input(
    client: FlaskClient, bram: User, db: Any, changes: dict[str, str], message: str
) -> None:
    response = client.post("/account/edit", data={**GOOD, **changes})
    assert response.status_code == 400
    assert message.lower() in response.get_data(as_text=True).lower()
    db.session.refresh(bram)
    assert bram.name == "Bram"


def test_edit_shows_the_number_as_written_and_the_sharing_choice(
    client: FlaskClient, bram: User, db: Any
) -> None:
    bram.phone, bram.share_email = "+31201234567", False
    db.session.commit()
    html = client.get("/account/edit").get_data(as_text=True)
    assert 'value="020 123 4567"' in html
    phone_box = re.search(r'<input[^>]*name="share"[^>]*value="phone"[^>]*>', html)
    email_box = re.search(r'<input[^>]*name="share"[^>]*value="email"[^>]*>', html)
    assert phone_box is not None
    assert email_box is not None
    assert "checked" in phone_box.group(0)
    assert "checked" not in email_box.group(0)
    assert "de coördinator van het meldpunt berichten aan elkaar door" in html


@pytest.mark.parametrize(
    ("share", "stored", "overview"),
    [
        (["phone", "email"], (True, True), "uw naam, telefoonnummer en e-mailadres"),
        (["email"], (False, True), "uw naam en e-mailadres"),
        (["phone"], (True, False), "uw naam en telefoonnummer"),
        ([], (False, False), "alleen uw naam; de coördinator geeft berichten door"),
    ],
)
def test_edit_saves_what_the_other_side_sees(
    client: FlaskClient, bram: User, db: Any, share: list[str], stored: tuple[bool, bool],
    overview: str,
) -> None:
    response = client.post("/account/edit", data={**GOOD, "share": share})
    assert response.status_code == 303
    db.session.refresh(bram)
    assert (bram.share_phone, bram.share_email) == stored
    assert overview in client.get("/account/").get_data(as_text=True)


def test_an_emptied_phone_number_is_removed(client: FlaskClient, bram: User, db: Any) -> None:
    client.post("/account/edit", data={**GOOD, "phone": ""})
    db.session.refresh(bram)
    assert bram.phone is None

"""The indicator pages and downloads, as their readers get them."""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa

from marketplace.models import AuditEntry, Feedback, ReportStory, Role
from tests import factories
from tests.indicators import fixture

H1 = "periode=2026-H1"


@pytest.fixture
def world(db) -> dict[str, Any]:
    built = fixture.build()
    db.session.commit()
    return built


@pytest.fixture
def municipality(db) -> Any:
    account = factories.user(Role.MUNICIPALITY)
    db.session.commit()
    return account


def test_the_municipality_sees_the_figures_of_a_half_year(world, municipality, login) -> None:
    page = login(municipality).get(f"/indicators/?{H1}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "2026-H1" in html
    assert "Hoe is dit geteld?" in html
    assert 'role="img"' in html  # charts and the map
    assert "CBS / Kadaster, CC BY 4.0" in html
    assert "&lt; 5" in html


def test_the_period_picker_names_periods_in_words(world, municipality, login) -> None:
    client = login(municipality)
    html = client.get(f"/indicators/?{H1}").get_data(as_text=True)
    assert '<option value="2026-H1" selected>Eerste halfjaar 2026</option>' in html
    assert '<option value="2026-K3">Kwartaal 3 2026</option>' in html
    assert re.search(r'<option value="2026-05">mei 2026</option>', html)
    from flask_babel import refresh

    refresh()
    english = client.post("/taal", data={"locale": "en", "next": f"/indicators/?{H1}"},
                          follow_redirects=True).get_data(as_text=True)
    assert '<option value="2026-H1" selected>First half of 2026</option>' in english
    assert '<option value="2026-05">May 2026</option>' in english


def test_a_resident_and_a_volunteer_may_not_see_the_figures(world, login) -> None:
    for role in (Role.RESIDENT, Role.VOLUNTEER, Role.REFERRER):
        account = factories.user(role)
        assert login(account).get("/indicators/").status_code == 403


def test_the_municipality_cannot_open_the_back_office(municipality, login) -> None:
    client = login(municipality)
    assert client.get("/staff/").status_code == 403
    assert client.get("/indicators/stories").status_code == 403


def test_a_coordinator_sees_only_their_own_neighbourhood(world, login) -> None:
    coordinator = factories.user(Role.COORDINATOR, neighbourhood=world["oost"])
    client = login(coordinator)
    html = client.get(f"/indicators/?{H1}").get_data(as_text=True)
    assert "U ziet de cijfers van uw wijk: Oost." in html
    # Asking for Centrum is ignored with a message; the figures stay Oost's.
    html = client.get(f"/indicators/?{H1}&wijk={world['centrum'].id}").get_data(as_text=True)
    assert "Dit filter klopt niet" in html
    assert "cijfers 2026-H1, Oost" in html


def test_an_unreadable_period_falls_back_with_a_message(world, municipality, login) -> None:
    client = login(municipality)
    for query, message in (
        ("periode=2026-H3", "Die periode kennen we niet"),
        ("periode=eigen&van=2026-05-01", "Kies bij een eigen periode"),
        ("periode=eigen&van=2026-05-01&tot=2026-04-01", "Kies bij een eigen periode"),
        ("periode=eigen&van=2020-01-01&tot=2026-04-01", "hooguit drie jaar"),
        ("wijk=abc", "Dit filter klopt niet"),
    ):
        page = client.get(f"/indicators/?{query}")
        assert page.status_code == 200, query
        assert message in page.get_data(as_text=True), query


def test_a_custom_period(world, municipality, login) -> None:
    html = login(municipality).get(
        "/indicators/?periode=eigen&van=2026-06-30&tot=2026-06-30").get_data(as_text=True)
    assert "2026-06-30 t/m 2026-06-30" in html


def test_csv_opens_in_dutch_excel(world, municipality, login) -> None:
    response = login(municipality).get(f"/indicators/export.csv?{H1}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('hulppunt-cijfers-2026-H1.csv"')
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "Soort hulp;Aanvragen" in text
    assert "Gekoppeld binnen 7 dagen;50,0%" in text
    assert "Klusjes;< 5" in text or ";< 5" in text


def test_xlsx_has_a_sheet_per_table_and_the_rules(world, municipality, login) -> None:
    response = login(municipality).get(f"/indicators/export.xlsx?{H1}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert "Telregels" in book.sheetnames
    assert len(book.sheetnames) == 12  # eleven tables and the rules
    kinds = book[book.sheetnames[0]]
    values = {row[0]: row[1] for row in kinds.iter_rows(min_row=5, values_only=True)}
    assert values["Totaal"] == 10
    assert "< 5" in values.values()


def test_the_report_pdf_is_tagged(world, municipality, login) -> None:
    response = login(municipality).get(f"/indicators/report.pdf?{H1}")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    content = _pdf_objects(response.data)
    assert b"/StructTreeRoot" in content  # tagged: headings, tables, figures
    assert b"/MarkInfo" in content


def _pdf_objects(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (objects may sit in object streams)."""
    parts = [data]
    for found in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(found.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_a_coordinator_chooses_a_story_for_the_report(world, db, login) -> None:
    coordinator = factories.user(Role.COORDINATOR)
    db.session.commit()
    client = login(coordinator)
    feedback = db.session.scalar(sa.select(Feedback).where(Feedback.comment != ""))
    assert "Voor deze periode zijn nog geen verhalen gekozen." in client.get(
        f"/indicators/report?{H1}").get_data(as_text=True)
    page = client.get(f"/indicators/stories?{H1}")
    assert "Fijn geholpen." in page.get_data(as_text=True)
    response = client.post(f"/indicators/stories/{feedback.id}?{H1}",
                           data={"kiezen": "1"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(ReportStory.id))) == 1
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "story.chosen"))
    report = client.get(f"/indicators/report?{H1}").get_data(as_text=True)
    assert "Fijn geholpen." in report
    assert "Een bewoner, Boodschappen" in report
    english = client.post("/taal", data={"locale": "en", "next": f"/indicators/report?{H1}"},
                          follow_redirects=True).get_data(as_text=True)
    assert "A resident, Shopping" in english  # the kind of help in the reader's language


def test_the_admin_sets_a_neighbourhoods_cbs_code_and_population(db, login) -> None:
    admin = factories.user(Role.ADMIN)
    centrum = factories.neighbourhood("Centrum")
    db.session.commit()
    client = login(admin)
    url = f"/admin/neighbourhoods/{centrum.id}"
    bad = client.post(url, data={"name": "Centrum", "postcodes": "1211", "cbs_code": "040201",
                                 "population": "-3"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Een CBS-wijkcode is WK met zes cijfers" in text
    assert "Vul een aantal inwoners in van 0 tot 10 miljoen." in text
    good = client.post(url, data={"name": "Centrum", "postcodes": "1211",
                                  "cbs_code": "WK040201", "population": "10500"})
    assert good.status_code in (302, 303)
    db.session.refresh(centrum)
    assert (centrum.cbs_code, centrum.population) == ("WK040201", 10500)
    oost = factories.neighbourhood("Oost")
    db.session.commit()
    clash = client.post(f"/admin/neighbourhoods/{oost.id}", data={
        "name": "Oost", "postcodes": "1212, 1223", "cbs_code": "WK040201", "population": ""})
    assert "Wijk Centrum heeft deze CBS-code al." in clash.get_data(as_text=True)


def test_a_deleted_account_takes_its_story_out_of_the_report(world, db, login) -> None:
    from marketplace.indicators import stories
    from marketplace.indicators.queries import Scope
    from marketplace.privacy.services import delete_account
    from tests.indicators.test_figures import H1

    coordinator = factories.user(Role.COORDINATOR)
    feedback = db.session.scalar(sa.select(Feedback).where(Feedback.comment != ""))
    stories.choose(coordinator, feedback.id, wanted=True)
    assert [story.comment for story in stories.chosen(Scope(H1))] == ["Fijn geholpen."]
    author = db.session.get(type(coordinator), feedback.author_id)
    delete_account(author)
    db.session.flush()
    assert stories.chosen(Scope(H1)) == []


def test_the_figures_are_in_the_menu_of_their_readers_only(db, municipality, login) -> None:
    volunteer = factories.user(Role.VOLUNTEER)
    db.session.commit()
    link = 'href="/indicators/"'
    assert link in login(municipality).get("/account/").get_data(as_text=True)
    assert link not in login(volunteer).get("/account/").get_data(as_text=True)


def test_the_authors_data_export_says_their_sentence_is_in_the_report(world, db) -> None:
    from marketplace.indicators import stories
    from marketplace.privacy.services import export_personal_data

    coordinator = factories.user(Role.COORDINATOR)
    feedback = db.session.scalar(sa.select(Feedback).where(Feedback.comment != ""))
    author = db.session.get(type(coordinator), feedback.author_id)
    written = export_personal_data(author)["feedback_written"]
    assert [row["chosen_for_council_report_at"] for row in written] == [None] * len(written)
    stories.choose(coordinator, feedback.id, wanted=True)
    db.session.flush()
    [row] = [row for row in export_personal_data(author)["feedback_written"]
             if row["id"] == feedback.id]
    assert row["comment"] == "Fijn geholpen."
    assert row["chosen_for_council_report_at"] is not None

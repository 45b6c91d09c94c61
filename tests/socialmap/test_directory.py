"""The public sociale kaart: finding services and reading one."""

from __future__ import annotations

from datetime import date, timedelta

from marketplace.models import ServiceStatus
from marketplace.socialmap.taxonomy import term_by_code
from tests import factories
from tests.socialmap import helpers


def _names(client, query: str = "") -> str:
    response = client.get(f"/sociale-kaart/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_directory_needs_no_login_and_lists_active_services(client, db) -> None:
    helpers.service(name="Maatje voor ouderen")
    helpers.service(name="Gestopte dienst", status=ServiceStatus.DEFUNCT)
    helpers.service(helpers.organisation("Slapende club", active=False), name="Slaapdienst")
    db.session.commit()
    text = _names(client)
    assert "Maatje voor ouderen" in text
    assert "Gestopte dienst" not in text
    assert "Slaapdienst" not in text


def test_search_ignores_case_and_accents(client, db) -> None:
    helpers.service(name="Repair Café", description="Samen repareren")
    helpers.service(name="Taalcafé Één op één")
    helpers.service(name="Klusgroep")
    db.session.commit()
    assert "Repair Café" in _names(client, "?q=REPAIR+cafe")
    text = _names(client, "?q=een+op+EEN")
    assert "Taalcafé Één op één" in text
    assert "Repair Café" not in text
    assert "Klusgroep" not in _names(client, "?q=café")


def test_search_finds_the_organisation_name(client, db) -> None:
    helpers.service(helpers.organisation("Stichting Present Hilversum"), name="Klusgroepen")
    db.session.commit()
    assert "Klusgroepen" in _names(client, "?q=present")


def test_search_treats_percent_as_a_letter(client, db) -> None:
    helpers.service(name="Korting 50% op koffie")
    helpers.service(name="Koffie voor iedereen")
    db.session.commit()
    text = _names(client, "?q=50%25")
    assert "Korting 50% op koffie" in text
    assert "Koffie voor iedereen" not in text


def test_filter_by_kind_of_help(client, db) -> None:
    helpers.service(name="Repair Café", terms=("klussen-reparatie",))
    helpers.service(name="Taalcafé", terms=("taal",))
    db.session.commit()
    term = term_by_code("taal")
    text = _names(client, f"?soort={term.id}")
    assert "Taalcafé" in text
    assert "Repair Café" not in text


def test_filter_by_neighbourhood_keeps_citywide_services(client, db) -> None:
    helpers.service(name="Koffie in Oost", areas=("Oost",))
    helpers.service(name="Koffie in Centrum", areas=("Centrum",))
    helpers.service(name="Loket voor iedereen")
    db.session.commit()
    oost = factories.neighbourhood("Oost")
    text = _names(client, f"?wijk={oost.id}")
    assert "Koffie in Oost" in text
    assert "Loket voor iedereen" in text
    assert "Koffie in Centrum" not in text


def test_unknown_filters_are_ignored_with_a_message(client, db) -> None:
    helpers.service(name="Loket voor iedereen")
    db.session.commit()
    text = _names(client, "?wijk=999999&soort=abc&page=-1")
    assert "Loket voor iedereen" in text


def test_results_are_paged(client, db) -> None:
    organisation = helpers.organisation()
    for number in range(12):
        helpers.service(organisation, name=f"Dienst {number:02d}")
    db.session.commit()
    first = _names(client)
    assert "12 diensten gevonden" in first
    assert "Dienst 09" in first
    assert "Dienst 10" not in first
    assert "Pagina 1 van 2" in first
    second = _names(client, "?page=2")
    assert "Dienst 11" in second
    assert "Dienst 00" not in second
    assert "Dienst 11" in _names(client, "?page=99")  # past the end: the last page


def test_service_page_tells_who_cost_where_when_access_and_check(client, db) -> None:
    item = helpers.service(
        name="Steunpunt mantelzorg", eligibility_description="Mantelzorgers",
        fees_description="Gratis", application_process="Loop binnen",
        checked=date(2026, 11, 3), place=True,
    )
    db.session.commit()
    text = _names(client, f"dienst/{item.uuid}")
    for words in ("Mantelzorgers", "Gratis", "Loop binnen", "Kerkstraat 1",
                  "Gelijkvloers, met lift.", "Maandag en woensdag, 10:00 tot 12:00",
                  "3 november 2026"):
        assert words in text, words


def test_service_page_warns_when_entry_is_stale(client, db) -> None:
    item = helpers.service(name="Oude dienst", checked=date.today() - timedelta(days=400))
    db.session.commit()
    assert "al lang niet gecontroleerd" in _names(client, f"dienst/{item.uuid}")


def test_service_page_of_hidden_or_unknown_service_is_404(client, db) -> None:
    hidden = helpers.service(name="Weg", status=ServiceStatus.INACTIVE)
    db.session.commit()
    assert client.get(f"/sociale-kaart/dienst/{hidden.uuid}").status_code == 404
    assert client.get("/sociale-kaart/dienst/00000000-0000-4000-8000-000000000000"
                      ).status_code == 404
    assert client.get("/sociale-kaart/dienst/not-a-uuid").status_code == 404


def test_directory_in_english(client, db) -> None:
    helpers.service(name="Repair Café", terms=("klussen-reparatie",))
    db.session.commit()
    client.post("/taal", data={"locale": "en"})
    text = client.get("/sociale-kaart/").get_data(as_text=True)
    assert "Odd jobs and repairs" in text
    assert "Social map" in text

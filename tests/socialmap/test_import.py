"""``flask socialmap import``: another publisher's HSDS data, idempotent, clear errors."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from marketplace.hsds import schemas
from marketplace.models import Organisation, Schedule, Service, ServiceArea, TaxonomyTerm
from tests import factories

DATA = Path(__file__).parent / "data"


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_validator_is_not_a_rubber_stamp() -> None:
    assert schemas.errors("service", {"id": "x", "name": "Dienst"}) != []


def test_import_loads_organisation_service_place_hours_area_terms(runner, db, client) -> None:
    result = runner.invoke(args=["socialmap", "import", str(DATA / "bibliotheek.json")])
    assert result.exit_code == 0, result.output
    assert "1 organisation(s), 1 service(s)" in result.output
    service = db.session.scalar(sa.select(Service))
    assert service.name == "Taalcafé"
    assert service.organisation.name == "Bibliotheek Hilversum"
    assert service.organisation.phone == "+31356212345"
    assert service.at_locations[0].location.addresses[0].address_1 == "Gooiland 2"
    assert service.at_locations[0].location.accessibility == "Lift en invalidentoilet."
    assert service.areas[0].neighbourhood == factories.neighbourhood("Centrum")
    assert [term.name for term in service.terms] == ["Taal"]
    page = client.get(f"/sociale-kaart/dienst/{service.uuid}").get_data(as_text=True)
    assert "Dinsdag, 14:00 tot 15:30" in page


def test_import_twice_changes_nothing(runner, db) -> None:
    path = str(DATA / "bibliotheek.json")
    assert runner.invoke(args=["socialmap", "import", path]).exit_code == 0
    counts = [_count(db, model) for model in (Organisation, Service, Schedule, ServiceArea,
                                              TaxonomyTerm)]
    again = runner.invoke(args=["socialmap", "import", path])
    assert again.exit_code == 0, again.output
    assert [_count(db, model) for model in (Organisation, Service, Schedule, ServiceArea,
                                            TaxonomyTerm)] == counts


def test_invalid_input_is_refused_whole_with_clear_errors(runner, db) -> None:
    result = runner.invoke(args=["socialmap", "import", str(DATA)])  # both files
    assert result.exit_code != 0
    assert "Nothing imported" in result.output
    assert "invalid.json #1" in result.output
    assert "'not-a-uuid' is not a 'uuid'" in result.output
    assert "'open' is not one of" in result.output
    assert _count(db, Service) == 0
    assert _count(db, Organisation) == 0


def test_not_json_is_a_clear_error(runner, db, tmp_path) -> None:
    broken = tmp_path / "kapot.json"
    broken.write_text("{dit is geen json", encoding="utf-8")
    result = runner.invoke(args=["socialmap", "import", str(broken)])
    assert result.exit_code != 0
    assert "not readable JSON" in result.output


def test_name_of_another_organisation_is_refused(runner, db) -> None:
    db.session.add(Organisation(name="Bibliotheek Hilversum", description=""))
    db.session.commit()
    result = runner.invoke(args=["socialmap", "import", str(DATA / "bibliotheek.json")])
    assert result.exit_code != 0
    assert "is used by another organisation" in result.output


def test_api_output_imports_back(runner, db, client, tmp_path) -> None:
    """What Hulppunt publishes, another Hulppunt can load."""
    assert runner.invoke(args=["socialmap", "import", str(DATA / "bibliotheek.json")]
                         ).exit_code == 0
    page = client.get("/api/hsds/services?full=true").get_data(as_text=True)
    (tmp_path / "page.json").write_text(page, encoding="utf-8")
    result = runner.invoke(args=["socialmap", "import", str(tmp_path / "page.json")])
    assert result.exit_code == 0, result.output
    assert _count(db, Service) == 1

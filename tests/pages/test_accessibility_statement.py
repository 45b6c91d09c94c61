"""The accessibility statement follows the Dutch model statement and tells the truth.

The figures themselves are checked where they are made: the number of kinds of page the
validator saw in ``tests/test_site_crawl.py``, the pages axe-core checked in
``tests/browser/test_accessibility.py``.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

from flask.testing import FlaskClient

from marketplace.pages import statement
from marketplace.vocabulary import local_today


def test_the_statement_has_the_parts_of_the_model(client: FlaskClient) -> None:
    page = client.get("/toegankelijkheid").get_data(as_text=True)
    claims = statement.load()
    for heading in ("Toegankelijkheidsverklaring", "Status", "Wat is er getest",
                    "Hoe is er getest", "Wanneer is er getest", "Bekende problemen",
                    "Lukt iets niet? Laat het ons weten", "Nationale ombudsman"):
        assert heading in page
    assert "Gemeente Hilversum" in page
    assert f"De status van deze website is: {claims.status}, " in page
    assert "eerste maatregelen genomen" in page
    assert f"controleert {claims.axe_pages} pagina" in page
    assert f"code van {claims.validated_pages} soorten pagina" in page
    assert "035 123 45 67" in page  # how to report a problem
    assert "binnen 5 werkdagen" in page


def test_the_statement_lists_each_known_problem_with_its_date(client: FlaskClient) -> None:
    page = client.get("/toegankelijkheid").get_data(as_text=True)
    for fix in statement.load().planned_fixes:
        assert str(fix.issue.problem)[:60] in page.replace("&#39;", "'")
    assert "31 maart 2027" in page


def test_the_statement_in_english(client: FlaskClient) -> None:
    client.post("/taal", data={"locale": "en", "next": "/"})
    page = client.get("/toegankelijkheid").get_data(as_text=True)
    assert "Accessibility statement" in page
    assert "The status of this website is: C, first measures taken." in page
    assert "National Ombudsman" in page
    assert "31 March 2027" in page


def test_the_status_follows_the_audit_and_the_known_problems() -> None:
    claims = statement.load()
    assert claims.status == statement.expected_status(claims)
    audited = dataclasses.replace(claims, independent_audit="rapport.pdf")
    assert statement.expected_status(audited) == "B"
    assert statement.expected_status(dataclasses.replace(audited, known_issues=())) == "A"


def test_known_problems_are_described_and_dated() -> None:
    claims = statement.load()
    keys = [key for key, _fix_by in claims.known_issues]
    assert set(keys) <= set(statement.KNOWN_ISSUES)
    # Without an audit, the missing audit is itself a known problem, with a date.
    assert ("no_independent_audit" in keys) == (claims.independent_audit is None)
    assert all(fix_by > claims.statement_date for _key, fix_by in claims.known_issues)
    assert claims.last_checked <= local_today()
    assert claims.statement_date <= claims.last_checked


def test_a_status_the_facts_do_not_allow_is_caught(tmp_path: Path) -> None:
    data = json.loads(statement.FIGURES.read_text(encoding="utf-8"))
    data["status"] = "A"
    boastful = tmp_path / "accessibility.json"
    boastful.write_text(json.dumps(data), encoding="utf-8")
    claims = statement.load(boastful)
    assert claims.statement_date == date.fromisoformat(data["statement_date"])
    assert claims.status != statement.expected_status(claims)

"""The accessibility statement (toegankelijkheidsverklaring), after the Dutch model statement.

Its figures, status, dates and known problems are kept in ``marketplace/data/accessibility.json``;
the test suite checks them against what it really checked: the crawl validates as many kinds of
page as the file says (``tests/test_site_crawl.py``), axe-core checks as many pages as it says
(``tests/browser/test_accessibility.py``), and the status follows from the known problems and
whether an independent audit was done (:func:`expected_status`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel.speaklater import LazyString

from marketplace.i18n import lazy_gettext as _l

FIGURES = Path(__file__).resolve().parent.parent / "data" / "accessibility.json"

# The compliance statuses of the model statement.
STATUSES: dict[str, LazyString] = {
    "A": _l("voldoet volledig"),
    "B": _l("voldoet gedeeltelijk"),
    "C": _l("eerste maatregelen genomen"),
    "D": _l("geen maatregelen genomen"),
    "E": _l("voldoet niet"),
}


@dataclass(frozen=True)
class KnownIssue:
    """A known problem: what is wrong, what it means for a user, and what we do about it."""

    problem: LazyString
    consequence: LazyString
    measure: LazyString


KNOWN_ISSUES: dict[str, KnownIssue] = {
    "language_of_user_text": KnownIssue(
        _l("Tekst die mensen zelf schrijven, zoals de omschrijving van een hulpvraag, staat "
           "ook op de Engelse pagina's in het Nederlands. De pagina zegt niet dat die tekst "
           "Nederlands is (WCAG 3.1.2, taal van onderdelen)."),
        _l("Een schermlezer leest die tekst met een Engelse uitspraak voor."),
        _l("Wij markeren zelf geschreven tekst als Nederlands."),
    ),
    "emails_not_checked": KnownIssue(
        _l("De e-mails die Hulppunt verstuurt, worden niet automatisch op toegankelijkheid "
           "getest, alleen de pagina's van de website."),
        _l("Een e-mail kan een probleem hebben dat wij niet zien. Wat een e-mail u vraagt, "
           "ziet u ook als u inlogt op de website."),
        _l("Wij testen de e-mails op dezelfde manier als de pagina's."),
    ),
    "no_independent_audit": KnownIssue(
        _l("Een deskundige heeft de website nog niet onderzocht op alle eisen van WCAG 2.1. "
           "Automatische tests vinden maar een deel van de problemen."),
        _l("Er kunnen problemen zijn die wij nog niet kennen, bijvoorbeeld bij het werken met "
           "een schermlezer of met vergroting."),
        _l("Een onafhankelijke deskundige onderzoekt de website volgens WCAG-EM voordat de "
           "gemeente hem in gebruik neemt. Daarna passen wij deze verklaring aan."),
    ),
}


@dataclass(frozen=True)
class PlannedFix:
    issue: KnownIssue
    fix_by: date


@dataclass(frozen=True)
class Statement:
    """What ``accessibility.json`` says, read and checked."""

    statement_date: date
    last_checked: date
    status: str
    independent_audit: str | None  # where the audit report is; None: no audit yet
    axe_pages: int
    validated_pages: int
    roles: int
    languages: int
    known_issues: tuple[tuple[str, date], ...]  # (key of KNOWN_ISSUES, planned date)

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def planned_fixes(self) -> list[PlannedFix]:
        return [PlannedFix(KNOWN_ISSUES[key], fix_by) for key, fix_by in self.known_issues]


def load(path: Path = FIGURES) -> Statement:
    """Read the statement's data. Raises ``KeyError``/``ValueError`` for a broken file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    issues = tuple((item["id"], date.fromisoformat(item["fix_by"]))
                   for item in data["known_issues"])
    return Statement(
        statement_date=date.fromisoformat(data["statement_date"]),
        last_checked=date.fromisoformat(data["last_checked"]),
        status=data["status"],
        independent_audit=data["independent_audit"],
        axe_pages=int(data["axe_pages"]),
        validated_pages=int(data["validated_pages"]),
        roles=int(data["roles"]),
        languages=int(data["languages"]),
        known_issues=issues,
    )


def expected_status(statement: Statement) -> str:
    """The status the model allows: "voldoet volledig" (A) or "gedeeltelijk" (B) only after an
    independent audit of every requirement, B when it left known problems; without an audit,
    what we do is "eerste maatregelen genomen" (C)."""
    if statement.independent_audit is None:
        return "C"
    return "B" if statement.known_issues else "A"

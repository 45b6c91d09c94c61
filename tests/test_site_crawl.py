"""A crawl of every page each demo role reaches, in Dutch and in English.

On the demo data (``flask demo seed``), each role logs in as a user does and follows every
internal link (``<a href>``) from the home page, breadth first; then it switches to English
with the language button and does it again. Addresses that differ only in their ids or
query values are followed a few times per pattern, so the crawl stays fast.

Asserted over the pages found: no link answers 404, 405 or 500; every page that opens is
linked from somewhere; no page shows a raw code (``needs_info``, ``match.session_logged``,
``LocalProxy``, ``RequestStatus.OPEN``); no English page shows Dutch text from the catalogue,
or common Dutch words outside what people typed; and every page is valid HTML for the Nu Html
Checker (the W3C's validator, run once over all pages; ``make vnu`` installs it). The figures
of the accessibility statement (``marketplace/data/accessibility.json``) are checked against
it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from marketplace.demo import DEMO_PASSWORD
from marketplace.extensions import db
from marketplace.pages import statement
from tests.conftest import _empty_database, _shared_app

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get(
    "VNU_JAR", ROOT / ".venv/node/node_modules/vnu-jar/build/dist/vnu.jar"))
CATALOGUE = ROOT / "marketplace/translations/en/LC_MESSAGES/messages.po"

LOGINS = {
    "anonymous": None,
    "resident": "bewoner@demo.hulppunt.nl",
    "volunteer": "vrijwilliger@demo.hulppunt.nl",
    "referrer": "verwijzer@demo.hulppunt.nl",
    "coordinator": "coordinator@demo.hulppunt.nl",
    "admin": "admin@demo.hulppunt.nl",
    "carer": "mantelzorger@demo.hulppunt.nl",
    "org_coordinator": "organisatie@demo.hulppunt.nl",
    "municipality": "gemeente@demo.hulppunt.nl",
}
LANGUAGES = ("nl", "en")
# Pages each role must reach, so a crawl that breaks early cannot pass.
MUST_REACH = {
    "anonymous": {"/", "/auth/login", "/auth/register", "/hulp-bij-nood", "/toegankelijkheid"},
    "resident": {"/requests/", "/requests/new", "/account/"},
    "volunteer": {"/matches/mine", "/volunteers/profile"},
    "referrer": {"/referrals/", "/referrals/new"},
    "coordinator": {"/staff/", "/staff/queue", "/staff/intake", "/matches/rounds"},
    "admin": {"/admin/", "/staff/"},
    "carer": {"/mantelzorg/", "/mantelzorg/check", "/mantelzorg/respijt", "/mantelzorg/profiel"},
    "org_coordinator": {"/organisations/mine"},
    "municipality": {"/indicators/", "/indicators/report"},
}
# Pages no link needs to lead to: where a form sends you, or not for people.
OPENED_WITHOUT_A_LINK = {"/auth/forgot/sent"}
PER_PATTERN = 2  # addresses followed per pattern (path with ids, names of the query values)
MAX_PAGES = 400  # per role and language: a guard against a crawl that never ends
SKIPPED_PATHS = ("/static/", "/healthz")

# Codes a user must never read: snake_case words, dotted audit actions and Python leftovers.
SNAKE_CASE = re.compile(r"(?<![\w@./-])[a-z]+(?:_[a-z0-9]+)+(?![\w@/-])")
DOTTED_CODE = re.compile(r"(?<![\w@./-])[a-z_]+\.[a-z_]+(?![\w@./-])")
# ("None" is not among them: it is also the English for "Geen".)
PYTHON_LEFTOVERS = re.compile(r"LocalProxy|object at 0x|<built-in|[A-Z]\w+\.[A-Z_]{2,}")
# Stored codes that are English words: on a Dutch page they are a label that was forgotten.
ENGLISH_CODES = re.compile(
    r"(?<![\w@./-])(?:accepted|cancelled|completed|declined|done|escalated|expired|failed|"
    r"handled|matched|pending|proposed|queued|rejected|requested|running|submitted|suggested|"
    r"withdrawn|morning|afternoon|evening|weekly|immediate)(?![\w@/-])")
WEB_SUFFIXES = {"nl", "com", "org", "net", "eu", "html", "json", "csv", "pdf"}
# Dutch catalogue text this long shown on an English page has not been translated.
UNTRANSLATED_MIN_LENGTH = 16
# Common Dutch words that are no English words, and Dutch names an English page may show.
DUTCH_WORDS = re.compile(r"\b(?:het|een|niet|uw|wij|voor|naar|zijn|wordt|heeft|bij|geen|nog|"
                         r"ook|kunt|wilt|terug|aanvragen|vrijwilligers?)\b", re.IGNORECASE)
DUTCH_NAMES = ("Verklaring Omtrent het Gedrag",)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")


@dataclass
class Page:
    role: str
    language: str
    url: str
    status: int
    found_on: str
    html: str = ""
    text: str = ""
    linked: bool = True  # False: opened by typing its address, no link led there


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)
    stored_text: list[str] = field(default_factory=list)  # what people typed, longest first

    def html_pages(self) -> list[Page]:
        return [page for page in self.pages if page.html]


# -- reading a page ---------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _PageReader(HTMLParser):
    """Collects the links (and the addresses of GET forms, such as a search box) and the
    visible text, leaving out text marked as another language (``lang="nl"`` on an English
    page: the language button, quoted Dutch)."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.links: list[str] = []
        self.text: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, hidden: script/style/other language)

    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "form" and (values.get("method") or "get").lower() == "get":
            self.links.append(values.get("action") or "")  # a search: pressed without terms
        if tag in VOID:
            return
        lang = values.get("lang")
        hidden = (self._hidden() or tag in {"script", "style", "template"}
                  or (lang is not None and not lang.startswith(self.language)))
        self._stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.text.append(data)


def read_page(html: str, language: str) -> tuple[list[str], str]:
    """(the hrefs of the page's links, its visible text with whitespace collapsed)."""
    reader = _PageReader(language)
    reader.feed(html)
    reader.close()
    return reader.links, " ".join(" ".join(reader.text).split())


# -- following links --------------------------------------------------------------------------

def internal_address(href: str, base: str) -> str | None:
    """The path and query of an internal link worth following, or None (external, mailto:,
    tel:, an anchor on the same page, static files)."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "localhost"):
        return None
    if not parts.path and not parts.query:
        return None
    path = parts.path if parts.path.startswith("/") else base.rsplit("/", 1)[0] + "/" + parts.path
    if path.startswith(SKIPPED_PATHS):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


#: An HSDS id in an address (the sociale kaart's services) is an id like a number.
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def pattern_of(address: str) -> tuple[str, tuple[str, ...]]:
    """Addresses with the same pattern differ only in ids or query values."""
    parts = urlsplit(address)
    names = tuple(sorted({name for name, _value in parse_qsl(parts.query)}))
    return re.sub(rf"/(?:\d+|{UUID})(?=/|$)", "/<id>", parts.path), names


def _log_in(client: FlaskClient, email: str) -> None:
    response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{email} could not log in"


def _switch_language(client: FlaskClient, language: str) -> None:
    client.post("/taal", data={"locale": language, "next": "/"})


def _crawl_one(client: FlaskClient, role: str, language: str) -> list[Page]:
    """Breadth first from the home page; every address at most once."""
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    queue.extend((address, "(start)") for address in sorted(MUST_REACH[role]))
    seen: set[str] = set()
    per_pattern: dict[tuple[str, tuple[str, ...]], int] = {}
    pages: list[Page] = []
    while queue and len(pages) < MAX_PAGES:
        address, found_on = queue.popleft()
        pattern = pattern_of(address)
        if address in seen or per_pattern.get(pattern, 0) >= PER_PATTERN:
            continue
        seen.add(address)
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(address)
        page = Page(role, language, address, response.status_code, found_on)
        pages.append(page)
        if response.status_code in (301, 302, 303, 307, 308):
            target = internal_address(response.location, address)
            if target:
                queue.append((target, address))
            continue
        if not response.content_type.startswith("text/html"):
            continue
        page.html = response.get_data(as_text=True)
        links, page.text = read_page(page.html, language)
        for href in links:
            target = internal_address(href, urlsplit(address).path)
            if target and target not in seen:
                queue.append((target, address))
    return pages


def _typed_pages(app: Flask, client: FlaskClient, role: str, language: str,
                 reached: set[str]) -> list[Page]:
    """The pages without arguments that no link led to but that open for this role when
    their address is typed: a page linked from nowhere."""
    pages = []
    for rule in app.url_map.iter_rules():
        if ("GET" not in (rule.methods or set()) or rule.arguments
                or rule.rule in reached or rule.rule.startswith(SKIPPED_PATHS)):
            continue
        response = client.get(rule.rule)
        if response.status_code == 200 and response.content_type.startswith("text/html"):
            html = response.get_data(as_text=True)
            pages.append(Page(role, language, rule.rule, 200, "(typed)", html,
                              read_page(html, language)[1], linked=False))
    client.get("/")  # shows (and so clears) what the refused pages flashed
    return pages


def crawl_site(app: Flask) -> Crawl:
    crawl = Crawl()
    for role, email in LOGINS.items():
        client = app.test_client()
        if email is not None:
            _log_in(client, email)
        for language in LANGUAGES:
            _switch_language(client, language)
            pages = _crawl_one(client, role, language)
            reached = {urlsplit(page.url).path for page in pages}
            crawl.pages += pages + _typed_pages(app, client, role, language, reached)
    return crawl


def _add_what_the_demo_lacks() -> None:
    """A matching round (a trial one, which proposes nothing) and a concern, so that their
    pages are crawled too."""
    from marketplace.concerns.services import create_concern
    from marketplace.models import User
    from marketplace.rounds.services import run_round

    def user(email: str | None) -> User:
        return db.session.scalars(sa.select(User).where(User.email == email)).one()

    run_round(user(LOGINS["coordinator"]), None, dry_run=True)
    create_concern(user(LOGINS["resident"]), "Mijn buurman neemt de telefoon niet op.")
    db.session.commit()


@pytest.fixture(scope="module")
def crawl() -> Iterator[Crawl]:
    """The crawl over the demo data, shared by the tests of this module."""
    from marketplace.demo import seed

    application = _shared_app({})
    with application.app_context():
        _empty_database()
        seed()
        db.session.commit()
        _add_what_the_demo_lacks()
        try:
            crawl = crawl_site(application)
            crawl.stored_text = stored_text()
            yield crawl
        finally:
            db.session.rollback()
            _empty_database()


# -- what a user must not see -----------------------------------------------------------------

def raw_codes(text: str, language: str = "en") -> set[str]:
    """Codes in a page's visible text: ``needs_info``, ``match.session_logged``,
    ``RequestStatus.OPEN``, ``LocalProxy``; on a Dutch page also ``completed``."""
    found = set(SNAKE_CASE.findall(text)) | set(PYTHON_LEFTOVERS.findall(text))
    if language == "nl":
        found |= set(ENGLISH_CODES.findall(text))
    found |= {code for code in DOTTED_CODE.findall(text)
              if code.rsplit(".", 1)[1] not in WEB_SUFFIXES}
    return found


def stored_text() -> list[str]:
    """Every text in the database (names, titles, descriptions, notes: in the demo, Dutch
    that people typed), longest first."""
    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns
                   if isinstance(column.type, sa.String | sa.Text)]
        if columns:
            for row in db.session.execute(sa.select(*columns)):
                found.update(value for value in row if isinstance(value, str) and len(value) > 2)
    return sorted(found, key=len, reverse=True)


def dutch_words(text: str, stored: list[str]) -> set[str]:
    """Dutch words on an English page, outside what people typed and Dutch names: each with
    the text around it."""
    for value in stored:
        if value in text:
            text = text.replace(value, " ")
    for name in DUTCH_NAMES:
        text = text.replace(name, " ")
    return {text[max(0, found.start() - 40):found.end() + 40]
            for found in DUTCH_WORDS.finditer(text)}


def dutch_catalogue_fragments() -> set[str]:
    """Dutch text of every translated catalogue entry, cut at its placeholders and markup,
    in pieces long enough not to be English as well."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    fragments: set[str] = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for dutch, english in zip(ids, strings, strict=False):
            if not dutch or not english or dutch == english:
                continue
            for piece in PLACEHOLDER.split(dutch):
                piece = " ".join(piece.split()).strip(" .,:;()")
                if len(piece) >= UNTRANSLATED_MIN_LENGTH and piece not in english:
                    fragments.add(piece)
    return fragments


def untranslated(text: str, fragments: set[str]) -> set[str]:
    return {fragment for fragment in fragments if fragment in text}


# -- the Nu Html Checker ----------------------------------------------------------------------

def validate(documents: dict[str, str]) -> dict[str, list[str]]:
    """Run the Nu Html Checker once over ``{name: html}``; returns ``{name: [error, ...]}``
    for the documents with errors."""
    if not VNU_JAR.exists() or shutil.which("java") is None:
        pytest.fail(f"The Nu Html Checker (Java and {VNU_JAR}) is missing: run `make vnu`")
    with tempfile.TemporaryDirectory() as folder:
        files: dict[str, str] = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"page{index:05}.html"
            path.write_text(html, encoding="utf-8")
            files[path.as_uri()] = name
        result = subprocess.run(  # noqa: S603 - our own jar on our own files
            ["java", "-jar", str(VNU_JAR), "--errors-only", "--exit-zero-always", "--stdout",
             "--format", "json", *sorted(Path(uri).name for uri in files)],
            cwd=folder, capture_output=True, text=True, check=True)
        errors: dict[str, list[str]] = {}
        for message in json.loads(result.stdout)["messages"]:
            name = files.get("file://" + message.get("url", "").removeprefix("file:"), "?")
            line = message.get("lastLine", "?")
            errors.setdefault(name, []).append(f"line {line}: {message['message']}")
        return errors


# -- the tests --------------------------------------------------------------------------------

def test_each_role_reaches_its_pages(crawl: Crawl) -> None:
    for role in LOGINS:
        for language in LANGUAGES:
            reached = {page.url for page in crawl.pages
                       if (page.role, page.language, page.status) == (role, language, 200)}
            missing = MUST_REACH[role] - reached
            assert not missing, f"{role}/{language} did not reach {sorted(missing)}"


def test_every_page_is_linked_from_somewhere(crawl: Crawl) -> None:
    """A page that opens when its address is typed, but to which no link leads for any role
    (as the audit log was), is a page nobody finds."""
    linked = {page.url for page in crawl.pages if page.linked}
    orphans = sorted({f"{page.url} (opens for {page.role})" for page in crawl.pages
                      if not page.linked and page.url not in linked | OPENED_WITHOUT_A_LINK})
    assert not orphans, "No link leads to these pages:\n" + "\n".join(orphans)


def test_no_link_leads_nowhere(crawl: Crawl) -> None:
    broken = [f"{page.role}/{page.language}: {page.url} answers {page.status} "
              f"(linked from {page.found_on})"
              for page in crawl.pages if page.status in (404, 405) or page.status >= 500]
    assert not broken, "\n" + "\n".join(broken)


def test_no_page_shows_a_raw_code(crawl: Crawl) -> None:
    problems = [f"{page.role}/{page.language}: {page.url}: {sorted(codes)}"
                for page in crawl.html_pages() if (codes := raw_codes(page.text, page.language))]
    assert not problems, "\n" + "\n".join(problems)


def test_english_pages_show_no_dutch_from_the_catalogue(crawl: Crawl) -> None:
    fragments = dutch_catalogue_fragments()
    problems = [f"{page.role}: {page.url}: {sorted(found)}"
                for page in crawl.html_pages()
                if page.language == "en" and (found := untranslated(page.text, fragments))]
    assert not problems, "\n" + "\n".join(problems)


def test_english_pages_show_no_dutch_words(crawl: Crawl) -> None:
    """Catches Dutch that is not in the catalogue at all (a string never marked or never
    extracted), leaving out what people typed: the demo's requests and names are Dutch."""
    problems = [f"{page.role}: {page.url}: {sorted(found)}"
                for page in crawl.html_pages()
                if page.language == "en" and (found := dutch_words(page.text, crawl.stored_text))]
    assert not problems, "\n" + "\n".join(problems)


def test_every_page_is_valid_html(crawl: Crawl) -> None:
    documents = {f"{page.role}/{page.language} {page.url}": page.html
                 for page in crawl.html_pages()}
    errors = validate(documents)
    report = [f"{name}:\n    " + "\n    ".join(messages) for name, messages in errors.items()]
    assert not errors, f"{sum(map(len, errors.values()))} errors\n" + "\n".join(report)


def test_the_accessibility_statement_tells_what_the_crawl_validated(crawl: Crawl) -> None:
    claims = statement.load()
    page_types = {pattern_of(page.url)[0] for page in crawl.html_pages()}
    assert claims.validated_pages == len(page_types), (
        f"The crawl validated {len(page_types)} kinds of page; the accessibility statement "
        f"says {claims.validated_pages}: update validated_pages (and last_checked) in "
        f"{statement.FIGURES}")
    assert claims.roles == len(LOGINS)
    assert claims.languages == len(LANGUAGES)


# -- the checks themselves work ---------------------------------------------------------------

def test_the_checker_finds_invalid_html() -> None:
    valid = ("<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>"
             "<p><time datetime='2026-11-30T10:00:00+00:00'>30 Nov</time></p></body></html>")
    invalid = valid.replace("+00:00", ".123456+00:00")
    errors = validate({"valid": valid, "invalid": invalid})
    assert list(errors) == ["invalid"]
    assert "fraction of a second" in errors["invalid"][0]


def test_raw_codes_are_found_and_ordinary_text_is_not() -> None:
    text = ("Status: needs_info. match.session_logged by LocalProxy (RequestStatus.OPEN). "
            "Mail bewoner_1@demo.hulppunt.nl or see hulppunt.nl, e.g. tomorrow at 10.30. "
            "Training: None.")
    assert raw_codes(text) == {
        "needs_info", "match.session_logged", "LocalProxy", "RequestStatus.OPEN"}
    assert raw_codes("Ronde 3: completed. Klaar (done) om 10.30.", "nl") == {"completed", "done"}
    assert not raw_codes("Round 3: completed, done.", "en")


def test_dutch_words_are_found_outside_what_people_typed() -> None:
    stored = ["Hulp met mijn telefoon"]
    text = "Request: Hulp met mijn telefoon. Pagina 1 van 3 (150 aanvragen). Back."
    [found] = dutch_words(text, stored)
    assert "Pagina 1 van 3 (150 aanvragen)" in found
    assert "telefoon" not in found
    assert not dutch_words("Request: Hulp met mijn telefoon. Page 1 of 3.", stored)


def test_untranslated_dutch_is_found() -> None:
    fragments = dutch_catalogue_fragments()
    page = "Log in. Ingelogd blijven op deze computer"
    assert untranslated(page, fragments) == {"Ingelogd blijven op deze computer"}
    _links, text = read_page("<p>Help nearby.</p><button lang='nl'>Nederlands</button>", "en")
    assert text == "Help nearby."

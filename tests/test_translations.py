"""English is complete: every Dutch source string has an English translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "marketplace" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None,
            "_n": (1, 2), "ngettext": (1, 2)}


def _source_messages() -> set[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: set[str] = set()
    # Babel skips folders whose name starts with "_": templates/_macros is read on its own.
    for folder in (ROOT, ROOT / "templates" / "_macros"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder), method_map, options_map, keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue() -> dict[str, str]:
    with PO_FILE.open("rb") as handle:
        catalogue = read_po(handle)
    entries: dict[str, str] = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        value = message.string[0] if isinstance(message.string, tuple) else message.string
        entries[key] = "" if message.fuzzy else (value or "")
    return entries


def test_every_dutch_string_has_an_english_translation() -> None:
    catalogue = _catalogue()
    missing = sorted(m for m in _source_messages() if not catalogue.get(m))
    assert not missing, (
        f"{len(missing)} strings lack English (run `make translations-update` and translate "
        f"them in {PO_FILE.relative_to(ROOT)}): {missing[:15]}"
    )


def test_english_keeps_every_placeholder() -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)s")
    wrong = [
        source for source, english in _catalogue().items()
        if english and sorted(placeholder.findall(source)) != sorted(placeholder.findall(english))
    ]
    assert not wrong, f"placeholders differ in: {wrong[:10]}"


def test_interface_switches_to_english(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/taal", data={"locale": "en", "next": "/"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Help in an emergency" in html
    # The ``app`` fixture keeps one app context open for the whole test, so ``g`` (where
    # Flask-Babel caches the locale) outlives a request; in production every request gets
    # its own. Clear that cache so the second request picks its locale afresh.
    from flask_babel import refresh

    refresh()
    dutch = client.post("/taal", data={"locale": "nl", "next": "/"}, follow_redirects=True)
    assert "Hulp bij nood" in dutch.get_data(as_text=True)


def test_login_prompt_and_dates_follow_the_language(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/requests/", follow_redirects=True)
    assert "Log eerst in om deze pagina te zien." in response.get_data(as_text=True)
    client.post("/taal", data={"locale": "en", "next": "/"})
    response = client.get("/requests/", follow_redirects=True)
    assert "Please log in to see this page." in response.get_data(as_text=True)


def test_moment_is_translated(app) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from marketplace.templating import moment

    when = datetime(2026, 11, 24, 13, 30, tzinfo=UTC)
    with app.test_request_context():
        assert moment(when) == "24 november 2026 om 14:30"
        with force_locale("en"):
            assert moment(when) == "24 November 2026 at 14:30"


def test_a_page_looks_its_catalogue_up_once(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Flask-Babel finds the catalogue anew for every string; the page asks it once
    (``marketplace.i18n.active``), about a fifth of a page's time."""
    from marketplace import i18n

    lookups: list[str] = []
    real = i18n.get_translations

    def counted():  # type: ignore[no-untyped-def]
        lookups.append("catalogue")
        return real()

    monkeypatch.setattr(i18n, "get_translations", counted)
    html = client.get("/").get_data(as_text=True)
    assert "Hulp bij nood" in html
    assert lookups == ["catalogue"]


def test_the_catalogue_follows_force_locale_and_refresh(app) -> None:  # type: ignore[no-untyped-def]
    from flask_babel import force_locale, refresh

    from marketplace.i18n import current_language, gettext

    with app.test_request_context("/"):
        assert gettext("Hulp bij nood") == "Hulp bij nood"
        with force_locale("en"):
            assert gettext("Hulp bij nood") == "Help in an emergency"
            assert current_language() == "en"
        assert gettext("Hulp bij nood") == "Hulp bij nood"
        assert current_language() == "nl"
        with force_locale("en"):
            refresh()  # as after the language switch: the forced locale again
            assert gettext("Hulp bij nood") == "Help in an emergency"


def test_python_strings_use_the_same_catalogue(app) -> None:  # type: ignore[no-untyped-def]
    from flask_babel import force_locale

    from marketplace.i18n import LOGIN_MESSAGE, lazy_gettext, ngettext

    with app.test_request_context("/"), force_locale("en"):
        assert str(LOGIN_MESSAGE) == "Please log in to see this page."
        assert str(lazy_gettext("Hulp bij nood")) == "Help in an emergency"
        assert ngettext("Meldingen, %(num)s nieuw", "Meldingen, %(num)s nieuw", 3) == (
            "Notifications, 3 new")


def test_strings_outside_an_app_context_stay_as_written() -> None:
    from marketplace.i18n import gettext, lazy_gettext

    assert gettext("Hulp bij nood") == "Hulp bij nood"
    assert str(lazy_gettext("%(n)s nieuw", n=2)) == "2 nieuw"


@pytest.mark.parametrize("source", [
    "{{ _('Hulp bij nood') }}",
    "{{ _('tussen %(start)s en %(end)s', start='<b>1</b>', end=2) }}",
    "{{ gettext('Hulp bij nood') }}",
    "{{ _('100%% zeker') }}",
    "{% set text = _('Hulp bij nood') %}{{ text | upper }}",
])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_templates_gettext_is_jinjas_new_style(app, source: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """``_()`` in templates is :func:`marketplace.i18n.template_gettext` (a fifth of Jinja's
    cost a call) and gives what Jinja's own new-style gettext gives."""
    from flask_babel import force_locale
    from jinja2.ext import _make_new_gettext

    from marketplace.i18n import active, template_gettext

    env = app.jinja_env
    assert env.globals["_"] is env.globals["gettext"] is template_gettext
    with app.test_request_context("/"), force_locale(language):
        ours = env.from_string(source).render()
        jinja = env.from_string(source).render(
            gettext=_make_new_gettext(lambda s: active().catalogue.ugettext(s)),
            _=_make_new_gettext(lambda s: active().catalogue.ugettext(s)))
    assert ours == jinja

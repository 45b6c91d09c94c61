"""The template environment: compiled templates kept, imports that cost no Python loop."""

from __future__ import annotations

import collections.abc

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.utils import LRUCache

from marketplace import templating
from marketplace.models import User
from tests import factories


def test_every_compiled_template_is_kept(app: Flask) -> None:
    """Jinja's default keeps 400 in an LRU list that is reordered on every lookup."""
    assert not isinstance(app.jinja_env.cache, LRUCache)
    assert isinstance(app.jinja_env.cache, dict)


def test_a_list_of_cards_imports_its_macros_without_a_python_set_difference(
    client: FlaskClient, db, login, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    """Each card imports a macro; each import compares the page's globals with the macro
    template's. On Jinja's own globals that difference runs in Python over every global."""
    me: User = factories.user()
    for number in range(3):
        factories.help_request(me, title=f"Vraag {number}")
    db.session.commit()
    login(me)
    client.get("/requests/")
    slow: list[object] = []
    real = collections.abc.Set.__rsub__

    def counted(self: collections.abc.Set[object], other: object) -> object:
        slow.append(other)
        return real(self, other)

    monkeypatch.setattr(collections.abc.Set, "__rsub__", counted)
    page = client.get("/requests/").text
    assert all(f"Vraag {number}" in page for number in range(3))
    assert slow == []


def test_a_global_added_after_a_template_was_loaded_is_seen(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = app.jinja_env.from_string(
        '{% from "_macros/ui.html" import empty_state %}{{ later | default("nog niet") }}'
    )
    with app.test_request_context():
        assert template.render() == "nog niet"
        monkeypatch.setitem(app.jinja_env.globals, "later", "gezien")
        assert template.render() == "gezien"


def _addresses_built(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The endpoints Flask's ``url_for`` is asked for from now on, by a fresh address cache."""
    built: list[str] = []
    real = templating.url_for

    def counted(endpoint: str, **values: object) -> str:
        built.append(endpoint)
        return real(endpoint, **values)

    monkeypatch.setattr(templating, "url_for", counted)
    monkeypatch.setitem(app.jinja_env.globals, "url_for", templating.fixed_addresses_once(app))
    return built


def test_a_fixed_address_is_built_once_and_follows_the_script_root(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The menu's, the footer's and the style sheets' addresses are the same on every page:
    built once per place the app is served from, not 15 to 20 times per page."""
    built = _addresses_built(app, monkeypatch)
    page = app.jinja_env.from_string(
        "{{ url_for('pages.privacy') }} {{ url_for('static', filename='css/hulppunt.css') }} "
        "{{ url_for('requests.show_request', request_id=7) }}"
    )
    with app.test_request_context("/"):
        first = page.render()
        assert page.render() == first
    assert first == "/privacy /static/css/hulppunt.css /requests/7"
    assert built.count("pages.privacy") == 1
    assert built.count("static") == 1
    assert built.count("requests.show_request") == 2  # parameters: built each time
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/hulp"}):
        assert page.render() == "/hulp/privacy /hulp/static/css/hulppunt.css /hulp/requests/7"


def test_addresses_are_built_every_time_when_url_defaults_may_add_parameters(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _addresses_built(app, monkeypatch)
    monkeypatch.setitem(app.url_default_functions, None, [lambda _endpoint, _values: None])
    page = app.jinja_env.from_string("{{ url_for('pages.privacy') }}")
    with app.test_request_context("/"):
        assert page.render() == page.render() == "/privacy"
    assert built == ["pages.privacy", "pages.privacy"]

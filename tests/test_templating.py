"""The template environment: compiled templates kept, imports that cost no Python loop."""

from __future__ import annotations

import collections.abc

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.utils import LRUCache

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

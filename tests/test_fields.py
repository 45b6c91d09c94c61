"""Shared form pieces: a name or a title must hold a letter, in any script."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from marketplace.fields import has_letter


@pytest.mark.parametrize("text", ["Annie de Vries", "Zoë O'Neill", "王芳", "Ахмед", "أحمد",
                                  "Jan 2e", "x"])
def test_names_with_a_letter_pass(text: str) -> None:
    assert has_letter(text)


@pytest.mark.parametrize("text", ["😀", "🙂🙂🙂", "👩‍👩‍👧", "12345", "-- . --", "♥ ★", " "])
def test_emoji_digits_and_signs_alone_are_no_name(text: str) -> None:
    assert not has_letter(text)


@pytest.mark.parametrize("form_name", ["RequestForm", "ReferralForm", "IntakeForm"])
def test_request_forms_refuse_a_title_and_a_resident_name_without_letters(
    app: Flask, form_name: str
) -> None:
    from marketplace.requests import forms

    data = MultiDict({"title": "🛒🛒", "resident_name": "😀"})
    with app.test_request_context("/", method="POST", data=data):
        form = getattr(forms, form_name)()
        form.validate()
        assert "Gebruik letters in de korte omschrijving." in form.title.errors
        if hasattr(form, "resident_name"):
            assert "Gebruik letters in de naam." in form.resident_name.errors


def test_request_forms_accept_a_title_and_a_name_in_any_script(app: Flask) -> None:
    from marketplace.requests.forms import IntakeForm

    data = MultiDict({"title": "Boodschappen 🛒", "resident_name": "王芳"})
    with app.test_request_context("/", method="POST", data=data):
        form = IntakeForm()
        form.validate()
        assert form.title.errors == []
        assert form.resident_name.errors == []

"""Phone numbers (issue 11 point 1): checked as Dutch or international numbers, stored in
E.164, shown the way people write them; one field for every form that asks for one."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string
from werkzeug.datastructures import MultiDict

from marketplace.phones import PhoneError, display_phone, normalise_phone, tel_href


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12345678", "+31612345678"),        # Dutch mobile
        ("06-1234 5678", "+31612345678"),
        ("+31 6 12345678", "+31612345678"),
        ("0031 6 12345678", "+31612345678"),
        ("020 123 4567", "+31201234567"),       # Dutch landline
        ("(035) 123 45 67", "+31351234567"),
        ("+32 2 555 12 12", "+3225551212"),     # Belgian landline
        ("+32 470 12 34 56", "+32470123456"),   # Belgian mobile
    ],
)
def test_dutch_and_international_numbers_are_stored_in_e164(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_an_empty_number_is_allowed(typed: str | None) -> None:
    assert normalise_phone(typed) is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Gebruik alleen cijfers"),
        ("bel me maar", "Gebruik alleen cijfers"),
        ("06 12345678a", "Gebruik alleen cijfers"),  # the library alone would drop the "a"
        ("06 1234", "Dit telefoonnummer klopt niet"),  # too short
        ("123", "Dit telefoonnummer klopt niet"),
        ("06 123456789012", "Dit telefoonnummer klopt niet"),  # too long
        ("+32 9 123 45 67", "Dit telefoonnummer klopt niet"),  # no such Belgian area
        ("1" * 31, "Dit telefoonnummer klopt niet"),
    ],
)
def test_no_number_gives_a_dutch_message(app: Flask, typed: str, message: str) -> None:
    with app.test_request_context("/"), pytest.raises(PhoneError) as refused:
        normalise_phone(typed)
    assert message in str(refused.value.message)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+31612345678", "06 12345678"),
        ("+31201234567", "020 123 4567"),
        ("+3225551212", "+32 2 555 12 12"),
        ("06 1234 5678", "06 12345678"),  # stored before numbers were checked
        ("bel de buren", "bel de buren"),  # no number: shown as stored
        (None, ""),
    ],
)
def test_numbers_are_shown_the_dutch_way(stored: str | None, shown: str) -> None:
    assert display_phone(stored) == shown


def test_tel_links_use_the_international_number() -> None:
    assert tel_href("+31612345678") == "tel:+31612345678"
    assert tel_href("035 123 45 67") == "tel:+31351234567"
    assert tel_href("") == ""


def test_a_stored_number_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lists repeat numbers, and libphonenumber is slow: the shown text is kept per number."""
    import phonenumbers

    parsed: list[str] = []
    real = phonenumbers.parse

    def counted(text: str, *args: object, **kwargs: object) -> phonenumbers.PhoneNumber:
        parsed.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(phonenumbers, "parse", counted)
    stored = "+31655501234"
    assert [display_phone(stored) for _ in range(3)] == ["06 55501234"] * 3
    assert [tel_href(stored) for _ in range(3)] == ["tel:+31655501234"] * 3
    assert parsed.count(stored) <= 2  # once for each kind of text, at most


def test_the_template_filters(app: Flask) -> None:
    with app.test_request_context("/"):
        html = render_template_string(
            '<a href="{{ number | tel_href }}">{{ number | phone }}</a>', number="+31201234567")
    assert html == '<a href="tel:+31201234567">020 123 4567</a>'


def test_the_english_message_is_translated(app: Flask) -> None:
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("en"), pytest.raises(PhoneError) as refused:
        normalise_phone("abc")
    assert "Gebruik" not in str(refused.value.message)


@pytest.mark.parametrize("form_path", ["marketplace.auth.forms:RegisterForm",
                                       "marketplace.account.forms:AccountForm",
                                       "marketplace.requests.forms:OwnRequestForm",
                                       "marketplace.requests.forms:IntakeForm",
                                       "marketplace.requests.forms:ReferralForm"])
def test_every_form_refuses_abc_on_its_phone_field(app: Flask, form_path: str) -> None:
    import importlib

    module_name, class_name = form_path.split(":")
    form_class = getattr(importlib.import_module(module_name), class_name)
    data = MultiDict({"phone": "abc", "resident_phone": "abc"})
    with app.test_request_context("/", method="POST", data=data):
        form = form_class()
        form.validate()
        field = form.phone if hasattr(form, "phone") else form.resident_phone
        assert any("Gebruik alleen cijfers" in error for error in field.errors)
        html = str(field())
        assert 'type="tel"' in html
        assert 'inputmode="tel"' in html
        assert 'autocomplete="tel"' in html or 'autocomplete="off"' in html


def test_the_own_number_field_autocompletes_and_shows_a_stored_number_nationally(
    app: Flask,
) -> None:
    from marketplace.account.forms import AccountForm

    with app.test_request_context("/"):
        form = AccountForm(data={"phone": "+31612345678"})
        html = str(form.phone())
    assert 'autocomplete="tel"' in html
    assert 'value="06 12345678"' in html


@pytest.mark.parametrize(
    "typed",
    ["٠٦١٢٣٤٥٦٧٨", "０６ １２３４５６７８", "06\u00a012345678", "06\t1234 5678"],
)
def test_digits_of_other_scripts_and_other_spaces_are_read(typed: str) -> None:
    """A phone keyboard in Arabic, or a full-width input method, types other digits; a
    pasted number may hold a non-breaking space. They are the same number."""
    assert normalise_phone(typed) == "+31612345678"

"""Form pieces that several features use the same way: the name and postcode fields, a
length limit with a Dutch message, the rule that a name or title holds letters, choices from
a label table, and the CSRF-only form of a button that changes something."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

NAME_MAX = 120
POSTCODE_MAX = 10


def strip(value: str | None) -> str | None:
    """Form filter: drop spaces around typed text (people paste addresses with a space)."""
    return value.strip() if isinstance(value, str) else value


NAME_NEEDS_LETTERS = _l("Gebruik letters in uw naam.")
OTHER_NAME_NEEDS_LETTERS = _l("Gebruik letters in de naam.")
TITLE_NEEDS_LETTERS = _l("Gebruik letters in de korte omschrijving.")


def has_letter(text: str) -> bool:
    """True when ``text`` holds at least one letter, in any script ("Zoë", "Ahmed", "王芳");
    emoji, digits and punctuation alone are no name."""
    return any(character.isalpha() for character in text)


class HasLetters:
    """Form validator: the text must hold a letter (see :func:`has_letter`). An empty field
    passes: whether it is required is the job of ``DataRequired`` or ``Optional``."""

    def __init__(self, message: str = NAME_NEEDS_LETTERS) -> None:
        self.message = message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        text = field.data if isinstance(field.data, str) else ""
        if text.strip() and not has_letter(text):
            raise ValidationError(str(self.message))


def name_field(label: str = _l("Uw naam")) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(message=_l("Vul uw naam in.")),
            Length(max=NAME_MAX, message=_l("Uw naam mag hoogstens 120 tekens hebben.")),
            HasLetters(NAME_NEEDS_LETTERS),
        ],
        filters=[strip],
        render_kw={"maxlength": NAME_MAX, "autocomplete": "name"},
    )


def postcode_field(label: str = _l("Postcode"),
                   description: str = _l("Bijvoorbeeld 1211 AB.")) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(message=_l("Vul uw postcode in.")),
            Length(max=POSTCODE_MAX, message=_l("Een postcode heeft 4 cijfers en 2 letters.")),
        ],
        description=description,
        filters=[strip],
        render_kw={"maxlength": POSTCODE_MAX, "autocomplete": "postal-code"},
    )


def max_length(limit: int) -> Length:
    """A length limit with a Dutch message."""
    return Length(max=limit, message=_l("Maximaal %(max)d tekens."))


def options(pairs: Mapping[Any, Any] | Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """``[(value, label), ...]`` or a label table (a dict) as WTForms choice objects."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return [SelectChoice(value=value, label=label) for value, label in items]


class CsrfOnlyForm(FlaskForm):
    """No fields: only the CSRF token of a button that changes something (accept, handled,
    download, mark as checked). The one such form; the view calls ``validate_on_submit()``."""

"""Form pieces that several features use the same way: the name, postcode and phone fields,
the choice of contact details to share, a length limit with a Dutch message, the rule that a
name or title holds letters, choices from a label table, and the CSRF-only form of a button
that changes something."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectMultipleField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.i18n import lazy_gettext as _l
from marketplace.phones import PHONE_MAX, PhoneError, display_phone, normalise_phone

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


PHONE_HINT = _l("Niet verplicht, maar wel handig: zo kan uw vrijwilliger u bellen. "
                "Bijvoorbeeld 06 12345678.")


class PhoneNumber:
    """Form validator: a Dutch or international phone number (see
    :func:`marketplace.phones.normalise_phone`). An empty field passes: whether it is
    required is the job of ``DataRequired`` or ``Optional``."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        try:
            normalise_phone(field.data if isinstance(field.data, str) else "")
        except PhoneError as error:
            raise ValidationError(str(error.message)) from None


class PhoneField(TelField):
    """``<input type="tel">``; a stored number (E.164) is shown as people write it."""

    def process_data(self, value: Any) -> None:
        super().process_data(display_phone(value) if isinstance(value, str) else value)


def phone_field(label: str = _l("Telefoonnummer"), description: str | None = PHONE_HINT,
                required: bool = False, own_number: bool = True) -> PhoneField:
    """The one phone field. ``own_number`` False (someone else's number, typed at the desk or
    by a referrer) keeps the browser from filling in the user's own number."""
    first = DataRequired(message=_l("Vul een telefoonnummer in.")) if required else Optional()
    return PhoneField(
        label,
        validators=[first, PhoneNumber()],
        filters=[strip],
        description=description or "",
        render_kw={"maxlength": PHONE_MAX, "inputmode": "tel",
                   "autocomplete": "tel" if own_number else "off"},
    )


SHARE_PHONE = "phone"
SHARE_EMAIL = "email"


class ContactSharingField(SelectMultipleField):
    """Which contact details the other side sees after a volunteer said yes: a checkbox for
    the phone number and one for the e-mail address. Both are ticked unless the person
    chose otherwise; ticking none is allowed (the coordinator then passes messages on)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str = _l("Wat mag de ander van u zien?"), **kwargs: Any) -> None:
        kwargs.setdefault("choices", options([(SHARE_PHONE, _l("Telefoon")),
                                              (SHARE_EMAIL, _l("E-mail"))]))
        kwargs.setdefault("default", [SHARE_PHONE, SHARE_EMAIL])
        kwargs.setdefault("description", _l(
            "Zegt een vrijwilliger ja op uw aanvraag, of helpt u zelf iemand? Dan krijgt u "
            "elkaars naam en de gegevens die u hier aanvinkt. Vinkt u niets aan, dan geeft "
            "de coördinator van het meldpunt berichten aan elkaar door."))
        super().__init__(label, **kwargs)

    @property
    def share_phone(self) -> bool:
        return SHARE_PHONE in (self.data or [])

    @property
    def share_email(self) -> bool:
        return SHARE_EMAIL in (self.data or [])

    def show(self, share_phone: bool, share_email: bool) -> None:
        """Tick the boxes as stored (for a form that is not submitted)."""
        self.data = [key for key, shared in ((SHARE_PHONE, share_phone),
                                             (SHARE_EMAIL, share_email)) if shared]


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

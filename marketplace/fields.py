"""Form fields that several features ask for the same way (name, postcode)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

NAME_MAX = 120
POSTCODE_MAX = 10


def strip(value: str | None) -> str | None:
    """Form filter: drop spaces around typed text (people paste addresses with a space)."""
    return value.strip() if isinstance(value, str) else value


def name_field(label: str = _l("Uw naam")) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(message=_l("Vul uw naam in.")),
            Length(max=NAME_MAX, message=_l("Uw naam mag hoogstens 120 tekens hebben.")),
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

"""Forms of the participants' side of matches: decline, confirm, log a visit, stop, feedback.

Action buttons (accept, pick) use :class:`marketplace.fields.CsrfOnlyForm`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from marketplace.i18n import lazy_gettext as _l
from marketplace.matches.recurring import HOURS_MAX, HOURS_MIN
from marketplace.matches.services import DONE_HOURS_MAX, DONE_HOURS_MIN
from marketplace.vocabulary import local_today

DECLINE_MAX = 500
COMMENT_MAX = 1000
NOT_GIVEN_MAX = 200
TOO_LONG = _l("Gebruik hoogstens %(max)d tekens.")


class CommaDecimalField(DecimalField):
    """A decimal number that also accepts the Dutch decimal comma ("1,5").

    Shown as a text box with a decimal keyboard on phones, not ``type=number``: a number box
    refuses "1,5" in browsers set to English and silently drops what it cannot parse.
    """

    widget = TextInput()
    data: Decimal | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            # "NaN", "sNaN", "Infinity" parse as decimals; sNaN even breaks NumberRange.
            self.data = None
            raise ValueError(str(_l("Vul een getal in, bijvoorbeeld 1,5.")))


#: The shared CSRF-only form, under the name this package's views use.


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Waarom kunt u niet? (niet verplicht)"),
        validators=[Optional(), Length(max=DECLINE_MAX, message=TOO_LONG)],
        render_kw={"maxlength": DECLINE_MAX, "rows": 3},
    )


class CancelMatchForm(FlaskForm):
    reason = TextAreaField(
        _l("Waarom zegt u af? (niet verplicht)"),
        description=_l("Alleen de coördinator leest dit, niet de ander."),
        validators=[Optional(), Length(max=DECLINE_MAX, message=TOO_LONG)],
        render_kw={"maxlength": DECLINE_MAX, "rows": 3},
    )


class ConfirmDoneForm(FlaskForm):
    hours = CommaDecimalField(
        _l("Hoeveel uur heeft u geholpen? (niet verplicht)"),
        places=2,
        validators=[
            Optional(),
            NumberRange(
                min=DONE_HOURS_MIN, max=DONE_HOURS_MAX,
                message=_l("Vul een aantal uren tussen 0,25 en 100 in."),
            ),
        ],
        render_kw={"inputmode": "decimal"},
    )


class SessionForm(FlaskForm):
    """Recurring help: the day the volunteer helped and, optionally, how long."""

    day = DateField(
        _l("Op welke dag heeft u geholpen?"),
        validators=[InputRequired(_l("Vul de dag in, bijvoorbeeld 24-11-2026."))],
        default=local_today,
    )
    hours = CommaDecimalField(
        _l("Hoeveel uur? (niet verplicht)"),
        places=2,
        validators=[
            Optional(),
            NumberRange(min=HOURS_MIN, max=HOURS_MAX,
                        message=_l("Vul een aantal uren tussen 0,25 en 24 in.")),
        ],
        render_kw={"inputmode": "decimal"},
    )


class EndHelpForm(FlaskForm):
    reason = TextAreaField(
        _l("Waarom stopt de hulp? (niet verplicht)"),
        validators=[Optional(), Length(max=DECLINE_MAX, message=TOO_LONG)],
        render_kw={"maxlength": DECLINE_MAX, "rows": 2},
    )


def _rating(value: Any) -> int:
    """Turn the submitted value into an int; anything odd becomes 0 (refused by the range)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class FeedbackForm(FlaskForm):
    rating = RadioField(
        _l("Welk cijfer geeft u? (1 = slecht, 5 = heel goed)"),
        choices=[SelectChoice(i, str(i)) for i in range(1, 6)],
        coerce=_rating,
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Kies een cijfer.")),
            NumberRange(min=1, max=5, message=_l("Kies een cijfer van 1 tot en met 5.")),
        ],
    )
    comment = TextAreaField(
        _l("Wat wilt u nog kwijt? (niet verplicht)"),
        validators=[Optional(), Length(max=COMMENT_MAX, message=TOO_LONG)],
        render_kw={"maxlength": COMMENT_MAX, "rows": 3},
    )


class NotGivenForm(FlaskForm):
    """Aftercare: the help did not happen, and why (one line for the coordinator)."""

    not_given_reason = StringField(
        _l("Waarom ging de hulp niet door?"),
        description=_l("Een korte zin. Alleen de coördinator leest dit."),
        validators=[InputRequired(_l("Schrijf in een zin waarom de hulp niet doorging.")),
                    Length(max=NOT_GIVEN_MAX, message=TOO_LONG)],
        render_kw={"maxlength": NOT_GIVEN_MAX},
    )

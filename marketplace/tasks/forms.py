"""Forms of the coordinators' task pages and the waakvlam on the person page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.i18n import lazy_gettext as _l
from marketplace.tasks.services import MAX_OUTCOME

TOO_LONG = _l("Gebruik hoogstens %(max)d tekens.")
NOTE_MAX = 500


class CloseTaskForm(FlaskForm):
    outcome = TextAreaField(
        _l("Wat is er gebeurd?"),
        description=_l("Een korte zin, bijvoorbeeld: gebeld, hulp ging goed."),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(_l("Schrijf in een zin wat er is gebeurd.")),
                    Length(max=MAX_OUTCOME, message=TOO_LONG)],
        render_kw={"maxlength": MAX_OUTCOME, "rows": 3},
    )


def _rhythm_id(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


class WaakvlamForm(FlaskForm):
    rhythm = SelectField(
        _l("Ritme van de contactmomenten"), coerce=_rhythm_id, validate_choice=False,
        validators=[InputRequired(_l("Kies een ritme."))],
    )
    note = TextAreaField(
        _l("Waarom? (niet verplicht)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)],
        render_kw={"maxlength": NOTE_MAX, "rows": 2},
    )

"""Small forms of the back office: moderation actions and volunteer checks."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from marketplace.fields import max_length
from marketplace.i18n import lazy_gettext as _l
from marketplace.requests.forms import CategoryField, category_choices
from marketplace.requests.rules import REASON_MAX


class ModerationForm(FlaskForm):
    """One moderation action. The services say when a reason is required."""

    reason = TextAreaField(
        _l("Reden of toelichting"),
        validators=[Optional(), max_length(REASON_MAX)],
        render_kw={"maxlength": REASON_MAX, "rows": 2},
    )
    version = HiddenField()

    def expected_version(self) -> int | None:
        """The version the coordinator saw, or None when the form did not send one."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class CategoryForm(ModerationForm):
    """Move a request to another kind of help; the note is optional."""

    category_id = CategoryField(
        _l("Andere soort hulp"),
        validate_choice=False,
        validators=[InputRequired(_l("Kies een soort hulp."))],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.category_id.choices = [(c.value, c.label) for c in category_choices()]

    def validate_category_id(self, field: CategoryField) -> None:
        # Only ids from the list reach the database (a huge number would not fit a column).
        if field.data not in {value for value, _label in self.category_id.choices}:
            raise ValidationError(_l("Kies een soort hulp uit de lijst."))


class VogForm(FlaskForm):
    vog_date = DateField(
        _l("Datum van afgifte van de VOG"),
        validators=[InputRequired(_l("Vul de datum van de VOG in."))],
    )

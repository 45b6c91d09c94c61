"""Forms of the concerns feature."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from marketplace.concerns.services import MAX_MESSAGE
from marketplace.i18n import lazy_gettext as _l


class ConcernForm(FlaskForm):
    message = TextAreaField(
        _l("Waar maakt u zich zorgen over?"),
        validators=[
            DataRequired(message=_l("Schrijf op waar u zich zorgen over maakt.")),
            Length(max=MAX_MESSAGE, message=_l("Uw bericht is te lang (hoogstens 2000 tekens).")),
        ],
        description=_l("Bijvoorbeeld over uw eigen veiligheid, over iemand die u helpt, "
                       "of over een vrijwilliger. Hoogstens 2000 tekens."),
        render_kw={"maxlength": MAX_MESSAGE, "rows": 6},
    )
    about = SelectField(
        _l("Gaat het over een van deze?"),
        choices=[SelectChoice("", _l("Nee, niet over een bepaalde hulpvraag"))],
        validate_choice=False,
        default="",
    )

    def validate_about(self, field: SelectField) -> None:
        if (field.data or "") not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Kies een van de mogelijkheden."))

    def linked_ids(self) -> tuple[int | None, int | None]:
        """(help_request_id, match_id) from the choice "r<id>" or "m<id>"."""
        value = self.about.data or ""
        if value.startswith("r"):
            return int(value[1:]), None
        if value.startswith("m"):
            return None, int(value[1:])
        return None, None

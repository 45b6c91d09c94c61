"""The form of the conversation page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.conversations.services import MAX_LENGTH
from marketplace.i18n import lazy_gettext as _l


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Uw bericht"),
        validators=[
            DataRequired(message=_l("Schrijf eerst een bericht.")),
            Length(max=MAX_LENGTH, message=_l("Uw bericht is te lang (hoogstens 2000 tekens).")),
        ],
        description=_l("Bijvoorbeeld om een tijd af te spreken. Schrijf hier geen "
                       "medische gegevens. Hoogstens 2000 tekens."),
        render_kw={"maxlength": MAX_LENGTH, "rows": 5},
    )

"""Small forms of the back office: moderation actions and volunteer checks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import InputRequired, Optional

from marketplace.models import VogStatus
from marketplace.requests.forms import max_length
from marketplace.requests.rules import REASON_MAX


class ActionForm(FlaskForm):
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


class VogForm(FlaskForm):
    vog_date = DateField(
        _l("Datum van afgifte van de VOG"),
        validators=[InputRequired(_l("Vul de datum van de VOG in."))],
    )


class ConfirmForm(FlaskForm):
    """A button-only POST form (CSRF token only)."""


VOG_LABELS = {
    VogStatus.NONE: _l("geen"),
    VogStatus.REQUESTED: _l("aangevraagd"),
    VogStatus.VALID: _l("geldig"),
    VogStatus.EXPIRED: _l("verlopen"),
}

"""Forms of matching rounds: start a round, approve suggestions, forbid a pair."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from marketplace.i18n import lazy_gettext as _l
from marketplace.matches.forms import TOO_LONG

REASON_MAX = 200


class StartRoundForm(FlaskForm):
    neighbourhood = SelectField(_l("Wijk"), choices=[], validate_choice=True)
    dry_run = BooleanField(
        _l("Proefronde: alleen voorstellen maken, nog niets naar vrijwilligers sturen"),
        default=True,
    )

    def set_choices(self, neighbourhoods: list[Any]) -> None:
        self.neighbourhood.choices = [SelectChoice("", str(_l("Hele stad")))] + [
            SelectChoice(str(n.id), n.name) for n in neighbourhoods
        ]


class RegionRoundForm(FlaskForm):
    """A region's round over the whole area, in shards (the workers share the work)."""

    dry_run = BooleanField(
        _l("Proefronde: alleen voorstellen maken, nog niets naar vrijwilligers sturen"),
        default=True,
    )


class ForbidForm(FlaskForm):
    reason = TextAreaField(
        _l("Waarom mag deze koppeling niet? (niet verplicht)"),
        validators=[Optional(), Length(max=REASON_MAX, message=TOO_LONG)],
        render_kw={"maxlength": REASON_MAX, "rows": 2},
    )


class ApproveForm(FlaskForm):
    """Approve the ticked suggestions and organisation proposals (by request), or all of
    them (the button named ``approve_all``)."""

    match_ids = SelectMultipleField(_l("Voorstellen"), choices=[], coerce=int)
    organisation_request_ids = SelectMultipleField(
        _l("Voorstellen voor een partnerorganisatie"), choices=[], coerce=int)
    approve_all = BooleanField(_l("Alles goedkeuren"))

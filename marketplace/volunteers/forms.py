"""The volunteer profile form. Choices of skills come from the catalogue at runtime."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.fields import postcode_field
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Category, User, VolunteerProfile
from marketplace.templating import category_name
from marketplace.vocabulary import LANGUAGE_LABELS, SLOTS, VOG_STATUS_LABELS, VogStatus
from marketplace.volunteers.services import (
    MAX_CAPACITY,
    MAX_TRAINING_LENGTH,
    MAX_TRAVEL_KM,
    MIN_CAPACITY,
    MIN_TRAVEL_KM,
    ProfileData,
    matchable_categories,
)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def skill_label(category: Category) -> str:
    """The category's name, with what a volunteer needs for it."""
    name = category_name(category)
    if category.requires_vog and category.requires_training:
        return str(_l("%(name)s (VOG en training nodig)", name=name))
    if category.requires_vog:
        return str(_l("%(name)s (VOG nodig)", name=name))
    if category.requires_training:
        return str(_l("%(name)s (training nodig)", name=name))
    return name


class VolunteerProfileForm(FlaskForm):
    skills = MultiCheckboxField(_l("Waarmee wilt u helpen?"), coerce=int)
    # Rendered by hand as a grid of days x parts of the day (see volunteers/_availability.html).
    availability = MultiCheckboxField(
        _l("Wanneer kunt u meestal helpen?"), choices=[SelectChoice(slot) for slot in SLOTS]
    )
    postcode = postcode_field(
        _l("Postcode van uw huis"),
        _l("Wij gebruiken die om hulp bij u in de buurt te vinden."),
    )
    max_travel_km = IntegerField(
        _l("Hoe ver wilt u hoogstens reizen (in kilometers)?"),
        validators=[
            InputRequired(message=_l("Vul een aantal kilometers in.")),
            NumberRange(MIN_TRAVEL_KM, MAX_TRAVEL_KM,
                        message=_l("Kies een afstand van 1 tot en met 50 kilometer.")),
        ],
        render_kw={"min": MIN_TRAVEL_KM, "max": MAX_TRAVEL_KM, "inputmode": "numeric"},
    )
    languages = MultiCheckboxField(
        _l("Welke talen spreekt u?"),
        choices=[SelectChoice(code.value, name) for code, name in LANGUAGE_LABELS.items()],
    )
    vog_status = RadioField(
        _l("Heeft u een VOG (Verklaring Omtrent het Gedrag)?"),
        choices=[SelectChoice(status.value, label)
                 for status, label in VOG_STATUS_LABELS.items()],
        default=VogStatus.NONE.value,
        description=_l("Voor bezoek, maatje, administratie en respijtzorg is een VOG nodig. "
                       "Het meldpunt helpt u die gratis aan te vragen."),
    )
    vog_date = DateField(
        _l("Datum van uw VOG"),
        validators=[Optional()],
        description=_l("Staat op de VOG zelf. Nodig als uw VOG geldig is."),
    )
    trainings = TextAreaField(
        _l("Welke trainingen of cursussen heeft u gevolgd?"),
        validators=[Length(max=MAX_TRAINING_LENGTH,
                           message=_l("Gebruik hoogstens 500 tekens."))],
        description=_l("Bijvoorbeeld: training respijtzorg, cursus EHBO. Niet verplicht."),
        render_kw={"maxlength": MAX_TRAINING_LENGTH, "rows": 3},
    )
    capacity = IntegerField(
        _l("Bij hoeveel aanvragen tegelijk wilt u helpen?"),
        validators=[
            InputRequired(message=_l("Vul een aantal in.")),
            NumberRange(MIN_CAPACITY, MAX_CAPACITY,
                        message=_l("Kies een aantal van 1 tot en met 5.")),
        ],
        render_kw={"min": MIN_CAPACITY, "max": MAX_CAPACITY, "inputmode": "numeric"},
    )
    paused = BooleanField(_l("Ik neem even pauze (bijvoorbeeld vakantie)"),
                          description=_l("Zolang dit aan staat, vragen wij u niet om te helpen."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = matchable_categories()
        self.skills.choices = [
            SelectChoice(category.id, skill_label(category))
            for category in self.categories
        ]

    def to_data(self) -> ProfileData:
        return ProfileData(
            skill_ids=list(self.skills.data or []),
            availability=list(self.availability.data or []),
            postcode=self.postcode.data or "",
            max_travel_km=int(self.max_travel_km.data or 0),
            languages=list(self.languages.data or []),
            vog_status=self.vog_status.data or VogStatus.NONE.value,
            vog_date=self.vog_date.data,
            trainings=self.trainings.data or "",
            capacity=int(self.capacity.data or 0),
            paused=bool(self.paused.data),
        )


def initial_data(user: User, profile: VolunteerProfile | None) -> dict[str, Any]:
    """The values the form starts with: the saved profile, or sensible defaults."""
    if profile is None:
        return {"postcode": user.postcode or "", "max_travel_km": 5, "capacity": 1,
                "languages": ["nl"], "vog_status": VogStatus.NONE.value}
    return {
        "skills": [category.id for category in profile.skills],
        "availability": list(profile.availability or []),
        "postcode": profile.postcode,
        "max_travel_km": round(profile.max_travel_km),
        "languages": list(profile.languages or []),
        "vog_status": VogStatus(profile.vog_status).value,
        "vog_date": profile.vog_date,
        "trainings": profile.trainings,
        "capacity": profile.capacity,
        "paused": profile.paused,
    }

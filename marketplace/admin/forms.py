"""Forms of the administrator: categories, neighbourhoods and roles."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.admin.services import CategoryData
from marketplace.fields import max_length, options
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Neighbourhood
from marketplace.vocabulary import ROLE_LABELS, Role


class CategoryForm(FlaskForm):
    slug = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Vul een code in.")), max_length(40),
                    Regexp(r"^[a-z0-9-]+$", message=_l(
                        "Alleen kleine letters, cijfers en streepjes."))],
        render_kw={"maxlength": 40},
        description=_l("Bijvoorbeeld: boodschappen"),
    )
    name_nl = StringField(_l("Naam (Nederlands)"),
                          validators=[DataRequired(_l("Vul een naam in.")), max_length(80)],
                          render_kw={"maxlength": 80})
    name_en = StringField(_l("Naam (Engels)"),
                          validators=[DataRequired(_l("Vul een naam in.")), max_length(80)],
                          render_kw={"maxlength": 80})
    description_nl = TextAreaField(_l("Uitleg (Nederlands)"), validators=[max_length(300)],
                                   render_kw={"maxlength": 300, "rows": 2})
    description_en = TextAreaField(_l("Uitleg (Engels)"), validators=[max_length(300)],
                                   render_kw={"maxlength": 300, "rows": 2})
    requires_vog = BooleanField(_l("Vrijwilliger heeft een VOG nodig"))
    requires_training = BooleanField(_l("Vrijwilliger heeft een training nodig"))
    escalate = BooleanField(_l("Niet voor vrijwilligers: doorverwijzen naar het Sociaal Plein"))
    recurring = BooleanField(_l("Meestal terugkerende hulp"))
    active = BooleanField(_l("Actief (te kiezen in het formulier)"), default=True)
    position = IntegerField(
        _l("Volgorde"), default=0,
        validators=[InputRequired(_l("Vul een getal in.")),
                    NumberRange(min=0, max=1000, message=_l("Kies een getal van 0 tot 1000."))],
    )

    def to_data(self) -> CategoryData:
        return CategoryData(
            slug=self.slug.data.strip(), name_nl=self.name_nl.data.strip(),
            name_en=self.name_en.data.strip(),
            description_nl=(self.description_nl.data or "").strip(),
            description_en=(self.description_en.data or "").strip(),
            requires_vog=bool(self.requires_vog.data),
            requires_training=bool(self.requires_training.data),
            escalate=bool(self.escalate.data), recurring=bool(self.recurring.data),
            active=bool(self.active.data), position=int(self.position.data),
        )


class NeighbourhoodForm(FlaskForm):
    name = StringField(_l("Naam van de wijk"),
                       validators=[DataRequired(_l("Vul een naam in.")), max_length(80)],
                       render_kw={"maxlength": 80})
    postcodes = TextAreaField(
        _l("Postcodes (4 cijfers)"),
        validators=[max_length(1000)],
        render_kw={"maxlength": 1000, "rows": 2},
        description=_l("Gescheiden door komma's, bijvoorbeeld: 1211, 1212"),
    )
    # For the indicators: the CBS code links the wijk to the map and the municipality's
    # monitors; the population gives "share of residents volunteering".
    cbs_code = StringField(
        _l("CBS-wijkcode"),
        validators=[Optional(), Regexp(r"^WK\d{6}$", message=_l(
            "Een CBS-wijkcode is WK met zes cijfers, bijvoorbeeld WK040201."))],
        render_kw={"maxlength": 8},
        description=_l("Voor de kaart bij de cijfers, bijvoorbeeld WK040201."),
    )
    population = IntegerField(
        _l("Aantal inwoners"),
        validators=[Optional(), NumberRange(min=0, max=10_000_000, message=_l(
            "Vul een aantal inwoners in van 0 tot 10 miljoen."))],
        description=_l("Volgens het CBS; voor het aandeel inwoners dat vrijwilliger is."),
    )


class NeighbourhoodField(SelectField):
    """A neighbourhood select where "" means none; a non-number becomes a form error."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            raw = valuelist[0]
            self.data = int(raw) if str(raw).isdigit() else (None if raw == "" else -1)


class RolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Rollen"), choices=options(ROLE_LABELS),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )
    neighbourhood_id = NeighbourhoodField(_l("Wijk (voor een coördinator: de eigen wijk)"),
                                 validate_choice=False)

    def __init__(self, neighbourhoods: list[Neighbourhood], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.neighbourhood_id.choices = options(
            [("", _l("Geen wijk"))] + [(item.id, item.name) for item in neighbourhoods]
        )
        self._neighbourhood_ids = {item.id for item in neighbourhoods}

    def validate_neighbourhood_id(self, field: NeighbourhoodField) -> None:
        if field.data is not None and field.data not in self._neighbourhood_ids:
            raise ValidationError(_l("Kies een wijk uit de lijst."))

    def selected_roles(self) -> set[Role]:
        return {Role(value) for value in self.roles.data or []}

"""Forms of the partner organisations: the admin's profile form and member form, routing a
request, and the organisation coordinator's assign and return forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
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
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.fields import max_length, options
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Category, MemberRole, Neighbourhood, Organisation, User
from marketplace.organisations.admin import OrganisationData
from marketplace.requests import rules
from marketplace.requests.forms import browser_newlines, counted
from marketplace.templating import category_name

MEMBER_ROLE_LABELS = {
    MemberRole.COORDINATOR: _l("Coördinator van de organisatie"),
    MemberRole.VOLUNTEER: _l("Vrijwilliger van de organisatie"),
}


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes of ids; anything that is not a listed id is a form error (the class name
    makes ``_macros/forms.html`` render it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        allowed = {str(choice.value) for choice in self.choices or ()}
        if any(str(value) not in allowed for value in self.data or ()):
            raise ValidationError(_l("Kies uit de lijst."))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul een naam in.")),
                                               max_length(120)],
                       render_kw={"maxlength": 120})
    description = TextAreaField(_l("Wat doet de organisatie?"), validators=[max_length(2000)],
                                render_kw={"maxlength": 2000, "rows": 3})
    email = EmailField(_l("E-mailadres"), validators=[Optional(), max_length(254)],
                       render_kw={"maxlength": 254, "autocomplete": "off"})
    website = StringField(_l("Website"), validators=[Optional(), max_length(300)],
                          render_kw={"maxlength": 300})
    phone = StringField(_l("Telefoonnummer"), validators=[Optional(), max_length(30)],
                        render_kw={"maxlength": 30})
    category_ids = MultiCheckboxField(_l("Soorten hulp die de organisatie geeft"), coerce=int)
    neighbourhood_ids = MultiCheckboxField(_l("Wijken waar de organisatie werkt"), coerce=int)
    capacity_per_round = IntegerField(
        _l("Hoeveel aanvragen per koppelronde"),
        validators=[InputRequired(_l("Vul een aantal in.")),
                    NumberRange(0, 100, _l("Kies een aantal van 0 tot 100."))],
        default=3, render_kw={"min": 0, "max": 100},
    )
    answer_hours = IntegerField(
        _l("Binnen hoeveel uur antwoordt de organisatie?"),
        validators=[Optional(), NumberRange(1, 720, _l("Kies een aantal uren van 1 tot 720."))],
        description=_l("Leeg: de standaardtijd van het meldpunt."),
        render_kw={"min": 1, "max": 720},
    )
    active = BooleanField(_l("Doet mee (kan aanvragen krijgen)"), default=True)

    def __init__(self, categories: list[Category], neighbourhoods: list[Neighbourhood],
                 *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, obj=organisation, **kwargs)
        self.category_ids.choices = options((c.id, category_name(c)) for c in categories)
        self.neighbourhood_ids.choices = options((n.id, n.name) for n in neighbourhoods)
        if organisation is not None and not self.is_submitted():
            self.category_ids.data = [c.id for c in organisation.categories]
            self.neighbourhood_ids.data = [n.id for n in organisation.neighbourhoods]

    def to_data(self) -> OrganisationData:
        return OrganisationData(
            name=self.name.data or "", description=self.description.data or "",
            email=self.email.data or "", website=self.website.data or "",
            phone=self.phone.data or "", active=bool(self.active.data),
            neighbourhood_ids=tuple(self.neighbourhood_ids.data or ()),
            category_ids=tuple(self.category_ids.data or ()),
            capacity_per_round=int(self.capacity_per_round.data or 0),
            answer_hours=self.answer_hours.data or None,
        )


class MemberForm(FlaskForm):
    email = EmailField(_l("E-mailadres van de persoon"),
                       validators=[DataRequired(_l("Vul een e-mailadres in.")), max_length(254)],
                       render_kw={"maxlength": 254, "autocomplete": "off"})
    role = RadioField(_l("Rol"), choices=options((role.value, label) for role, label
                                                 in MEMBER_ROLE_LABELS.items()),
                      default=MemberRole.VOLUNTEER.value,
                      validators=[InputRequired(_l("Kies een rol."))])


class RouteForm(FlaskForm):
    """Route to an organisation; the request's title and description (what the organisation
    reads) start as the resident typed them, for the coordinator to take personal details
    out."""

    organisation_id = SelectField(_l("Organisatie"), coerce=int,
                                  validators=[InputRequired(_l("Kies een organisatie."))])
    title = StringField(_l("Korte omschrijving"),
                        validators=[DataRequired(_l("Vul een korte omschrijving in.")),
                                    max_length(rules.TITLE_MAX)],
                        render_kw={"maxlength": rules.TITLE_MAX})
    description = TextAreaField(
        _l("Beschrijving"),
        validators=[DataRequired(_l("Vertel wat er nodig is.")),
                    max_length(rules.DESCRIPTION_MAX)],
        filters=[browser_newlines],
        render_kw=counted(rules.DESCRIPTION_MAX, 5),
        description=_l("Haal er namen, adressen en gegevens over gezondheid uit. De bewoner "
                       "ziet uw aanpassing ook."),
    )
    note = TextAreaField(_l("Toelichting voor de organisatie"), validators=[max_length(500)],
                         render_kw={"maxlength": 500, "rows": 2})

    def __init__(self, choices: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = options(choices)


class AssignForm(FlaskForm):
    volunteer_id = RadioField(_l("Welke vrijwilliger vraagt u?"), coerce=int,
                              validators=[InputRequired(_l("Kies een vrijwilliger."))])

    def __init__(self, volunteers: list[User], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.volunteer_id.choices = options((person.id, person.name) for person in volunteers)


class ReturnForm(FlaskForm):
    reason = TextAreaField(_l("Waarom geeft u de aanvraag terug?"),
                           validators=[DataRequired(_l("Schrijf kort waarom.")), max_length(500)],
                           render_kw={"maxlength": 500, "rows": 2})

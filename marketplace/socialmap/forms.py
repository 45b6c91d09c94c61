"""Forms of the sociale kaart: a suggested correction (public) and the maintainers' forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField, TimeField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from marketplace.fields import max_length, options, phone_field, strip
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import ServiceStatus
from marketplace.socialmap.services import MAX_SUGGESTION
from marketplace.volunteers.forms import MultiCheckboxField

#: What the button that moves a service to each status says.
STATUS_ACTIONS = {
    ServiceStatus.ACTIVE: _l("Weer op de kaart zetten (actief)"),
    ServiceStatus.TEMPORARILY_CLOSED: _l("Tijdelijk gesloten zetten"),
    ServiceStatus.INACTIVE: _l("Van de kaart halen (niet actief)"),
    ServiceStatus.DEFUNCT: _l("Gestopt: van de kaart halen"),
}
PHONE_TYPE_LABELS = {
    "voice": _l("Telefoon"), "cell": _l("Mobiel"), "text": _l("Sms"),
    "textphone": _l("Teksttelefoon"), "fax": _l("Fax"),
}
STATUS_LABELS = {
    ServiceStatus.ACTIVE: _l("Actief"),
    ServiceStatus.TEMPORARILY_CLOSED: _l("Tijdelijk gesloten"),
    ServiceStatus.INACTIVE: _l("Niet actief (niet op de kaart)"),
    ServiceStatus.DEFUNCT: _l("Gestopt (niet op de kaart)"),
}
DAY_CHOICES = options([
    ("MO", _l("maandag")), ("TU", _l("dinsdag")), ("WE", _l("woensdag")),
    ("TH", _l("donderdag")), ("FR", _l("vrijdag")), ("SA", _l("zaterdag")), ("SU", _l("zondag")),
])


class SuggestionForm(FlaskForm):
    message = TextAreaField(
        _l("Wat klopt er niet?"),
        validators=[DataRequired(message=_l("Schrijf op wat er niet klopt.")),
                    Length(max=MAX_SUGGESTION,
                           message=_l("Uw bericht is te lang (hoogstens 2000 tekens)."))],
        description=_l("Bijvoorbeeld andere openingstijden, een nieuw adres of telefoonnummer."),
        filters=[strip], render_kw={"maxlength": MAX_SUGGESTION, "rows": 4},
    )
    email = EmailField(
        _l("Uw e-mailadres (mag leeg blijven)"),
        validators=[Optional(), Email(message=_l("Dit e-mailadres klopt niet.")),
                    max_length(254)],
        description=_l("Alleen als wij u iets mogen vragen. Wij wissen het als de correctie "
                       "is afgehandeld."),
        filters=[strip], render_kw={"autocomplete": "email"},
    )


class ServiceForm(FlaskForm):
    name = StringField(_l("Naam van de dienst"),
                       validators=[DataRequired(message=_l("Geef de dienst een naam.")),
                                   max_length(160)], filters=[strip])
    description = TextAreaField(_l("Wat biedt u?"), validators=[max_length(4000)],
                                filters=[strip], render_kw={"rows": 4})
    eligibility_description = TextAreaField(_l("Voor wie is het?"),
                                            validators=[max_length(2000)], filters=[strip])
    fees_description = TextAreaField(_l("Wat kost het?"), validators=[max_length(1000)],
                                     filters=[strip])
    application_process = TextAreaField(_l("Hoe komt iemand in contact?"),
                                        validators=[max_length(2000)], filters=[strip])
    url = URLField(_l("Website"), validators=[Optional(), max_length(300)], filters=[strip])
    email = EmailField(_l("E-mailadres van de dienst"),
                       validators=[Optional(), Email(message=_l("Dit e-mailadres klopt niet.")),
                                   max_length(254)], filters=[strip])
    terms = MultiCheckboxField(_l("Soort hulp"), coerce=int)
    neighbourhoods = MultiCheckboxField(
        _l("Wijken"), coerce=int,
        description=_l("Geen wijk gekozen: de dienst is er voor de hele gemeente."),
    )

    def validate_url(self, field: URLField) -> None:
        if field.data and not str(field.data).startswith(("https://", "http://")):
            raise ValidationError(_l("Een website begint met https://"))


class LocationForm(FlaskForm):
    name = StringField(_l("Naam van de plek"), validators=[max_length(160)], filters=[strip])
    address_1 = StringField(_l("Straat en huisnummer"),
                            validators=[DataRequired(message=_l("Vul het adres in.")),
                                        max_length(160)], filters=[strip])
    postal_code = StringField(_l("Postcode"),
                              validators=[DataRequired(message=_l("Vul de postcode in.")),
                                          max_length(12)], filters=[strip])
    city = StringField(_l("Plaats"), validators=[DataRequired(message=_l("Vul de plaats in.")),
                                                 max_length(80)], filters=[strip])
    transportation = TextAreaField(_l("Hoe komt u er?"), validators=[max_length(1000)],
                                   filters=[strip], description=_l("Bus, parkeren, fiets."))
    accessibility = TextAreaField(
        _l("Toegankelijkheid"), validators=[max_length(2000)], filters=[strip],
        description=_l("Bijvoorbeeld: gelijkvloers, lift, invalidentoilet, ringleiding."),
    )


class ChooseAtLeastOne(DataRequired):
    """``DataRequired`` for a group of checkboxes, without the ``required`` attribute: on
    every box it would demand that each one is ticked."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        self.field_flags: dict[str, bool] = {}


class OpeningHoursForm(FlaskForm):
    days = MultiCheckboxField(_l("Op welke dagen?"), choices=DAY_CHOICES,
                              validators=[ChooseAtLeastOne(message=_l("Kies minstens één dag."))])
    opens_at = TimeField(_l("Open vanaf"),
                         validators=[DataRequired(message=_l("Vul een tijd in, zoals 09:30."))])
    closes_at = TimeField(_l("Open tot"),
                          validators=[DataRequired(message=_l("Vul een tijd in, zoals 12:00."))])
    notes = StringField(_l("Opmerking"), validators=[max_length(200)], filters=[strip],
                        description=_l("Bijvoorbeeld: alleen op afspraak."))

    def validate_closes_at(self, field: TimeField) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("De sluitingstijd moet na de openingstijd liggen."))


class NewServiceForm(ServiceForm):
    """A new service: for which organisation, then the words of :class:`ServiceForm`. The
    place, hours, contact and phone are separate forms on the same page (prefixed)."""

    organisation = SelectField(_l("Organisatie"), coerce=int, validate_choice=False,
                               validators=[DataRequired(message=_l("Kies de organisatie."))])


class StatusForm(FlaskForm):
    """Buttons named ``status``: the one pressed says where the service goes."""

    status = SelectField(_l("Status"), validate_choice=True, choices=options(
        (status.value, label) for status, label in STATUS_ACTIONS.items()))


class ContactForm(FlaskForm):
    name = StringField(_l("Naam of balie"), validators=[max_length(160)], filters=[strip],
                       description=_l("Een balie of functie, geen privépersoon. Bijvoorbeeld: "
                                      "Servicepunt."))
    title = StringField(_l("Functie"), validators=[max_length(160)], filters=[strip])
    department = StringField(_l("Afdeling"), validators=[max_length(160)], filters=[strip])
    email = EmailField(_l("E-mailadres"),
                       validators=[Optional(), Email(message=_l("Dit e-mailadres klopt niet.")),
                                   max_length(254)], filters=[strip])

    def validate_name(self, field: StringField) -> None:
        if not (field.data or self.title.data or self.department.data):
            raise ValidationError(_l("Vul een naam, functie of afdeling in."))


class PhoneForm(FlaskForm):
    number = phone_field(_l("Telefoonnummer"), required=True, own_number=False,
                         description=_l("Het nummer dat bezoekers bellen. Bijvoorbeeld 035 123 "
                                        "4567."))
    type = SelectField(_l("Soort nummer"), choices=options(PHONE_TYPE_LABELS.items()))
    description = StringField(_l("Toelichting"), validators=[max_length(200)], filters=[strip],
                              description=_l("Bijvoorbeeld: op werkdagen van 9 tot 12 uur."))

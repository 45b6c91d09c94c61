"""Forms of the carers feature."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, NumberRange, Optional

from marketplace.carers.respite import MAX_ADDRESS, MAX_NAME, MAX_TEXT, RespiteData
from marketplace.carers.scoring import rules
from marketplace.carers.services import MAX_HOURS, ProfileData
from marketplace.carers.words import (
    AREA_SCALE,
    AREAS,
    CARE_KINDS,
    CONDITIONS,
    FELT_QUESTION,
    FELT_SCALE,
    RELATIONS,
)
from marketplace.fields import max_length, name_field, options, phone_field, postcode_field, strip
from marketplace.i18n import lazy_gettext as _l
from marketplace.requests.services import ResidentData
from marketplace.vocabulary import DAY_LABELS, PART_LABELS
from marketplace.volunteers.forms import MultiCheckboxField

CHOOSE = _l("Kies een antwoord.")


class SelfCheckForm(FlaskForm):
    """"Ben ik mantelzorger?": sent with GET, nothing is stored (no CSRF token needed)."""

    class Meta:
        csrf = False

    cares = RadioField(
        _l("Zorgt u voor iemand die ziek is, een beperking heeft of veel hulp nodig heeft?"),
        description=_l("Bijvoorbeeld uw partner, een ouder, een kind, een ander familielid, "
                       "een vriend of een buur. Zonder dat u ervoor betaald wordt."),
        choices=options([("ja", _l("Ja")), ("nee", _l("Nee"))]),
        validators=[InputRequired(message=CHOOSE)],
    )
    hours = RadioField(
        _l("Hoeveel uur per week helpt u ongeveer?"),
        choices=options([("0", _l("Minder dan 8 uur per week")),
                         ("8", _l("8 uur per week of meer"))]),
        validators=[InputRequired(message=CHOOSE)],
    )
    months = RadioField(
        _l("Hoe lang helpt u al?"),
        choices=options([("0", _l("Korter dan 3 maanden")), ("3", _l("3 maanden of langer"))]),
        validators=[InputRequired(message=CHOOSE)],
    )


class ProfileForm(FlaskForm):
    relation = SelectField(
        _l("Voor wie zorgt u?"),
        choices=options([("", _l("Kies")), *RELATIONS.items()]),
        validators=[DataRequired(message=_l("Kies voor wie u zorgt."))],
    )
    lives_together = BooleanField(_l("Wij wonen in hetzelfde huis"))
    since = DateField(
        _l("Sinds wanneer zorgt u?"), validators=[Optional()],
        description=_l("Ongeveer is goed. Niet verplicht."),
    )
    hours_per_week = IntegerField(
        _l("Hoeveel uur per week zorgt u ongeveer?"),
        validators=[InputRequired(message=_l("Vul een aantal uren in.")),
                    NumberRange(0, MAX_HOURS, message=_l("Vul een aantal uren van 0 tot 168 in."))],
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_HOURS},
    )
    care_kinds = MultiCheckboxField(_l("Wat doet u voor die persoon?"),
                                    choices=options(CARE_KINDS))
    conditions = MultiCheckboxField(
        _l("Heeft de persoon voor wie u zorgt een van deze?"),
        choices=options(CONDITIONS),
        description=_l("Niet verplicht. Het helpt ons om de juiste steun te vinden."),
    )
    consent = BooleanField(
        _l("Ik geef toestemming om deze gegevens te bewaren"),
        description=_l("Alleen u en de coördinatoren van het meldpunt in uw wijk zien ze. "
                       "U kunt ze altijd downloaden of laten verwijderen."),
    )

    def to_data(self) -> ProfileData:
        return ProfileData(
            relation=self.relation.data or "", lives_together=bool(self.lives_together.data),
            since=self.since.data, hours_per_week=int(self.hours_per_week.data or 0),
            care_kinds=tuple(self.care_kinds.data or ()),
            conditions=tuple(self.conditions.data or ()),
        )

    def show(self, profile: Any) -> None:
        """Fill the form from a stored profile (a GET)."""
        for name in ("relation", "lives_together", "since", "hours_per_week", "care_kinds",
                     "conditions"):
            getattr(self, name).data = getattr(profile, name)


class DeskCarerForm(ProfileForm):
    """A coordinator or referrer registers someone as a carer, with their consent."""

    name = name_field(_l("Naam van de mantelzorger"))
    phone = phone_field(_l("Telefoonnummer van de mantelzorger"), description=None,
                        required=True, own_number=False)
    email = EmailField(
        _l("E-mailadres van de mantelzorger"),
        validators=[Optional(), Email(_l("Dit is geen geldig e-mailadres."))],
        filters=[strip], description=_l("Niet verplicht."),
    )
    postcode = postcode_field(_l("Postcode van de mantelzorger"))
    consent = BooleanField(_l("De mantelzorger geeft toestemming om deze gegevens te bewaren"))

    def person(self) -> ResidentData:
        return ResidentData(name=self.name.data or "", phone=self.phone.data or "",
                            email=self.email.data or None)


def check_form_class() -> type[FlaskForm]:
    """The overload check: one radio question per area of the rules, plus the GGD question."""

    class CheckForm(FlaskForm):
        def answers(self) -> dict[str, int]:
            return {area: int(getattr(self, area).data) for area in rules().areas}

    for area in rules().areas:
        title, question = AREAS[area]
        setattr(CheckForm, area, RadioField(
            title, description=question, choices=options(AREA_SCALE), coerce=int,
            validators=[InputRequired(message=CHOOSE)],
        ))
    CheckForm.felt_burden = RadioField(  # type: ignore[attr-defined]
        FELT_QUESTION, choices=options(FELT_SCALE), coerce=int,
        validators=[InputRequired(message=CHOOSE)],
    )
    return CheckForm


class RespiteForm(FlaskForm):
    cared_for_name = StringField(
        _l("Naam van wie u zorgt"),
        validators=[DataRequired(message=_l("Vul de naam in van wie u zorgt.")),
                    max_length(MAX_NAME)],
        filters=[strip], render_kw={"maxlength": MAX_NAME, "autocomplete": "off"},
    )
    cared_for_needs = TextAreaField(
        _l("Wat moet de vrijwilliger weten over deze persoon?"),
        validators=[DataRequired(message=_l("Vertel wat de vrijwilliger moet weten.")),
                    max_length(MAX_TEXT)],
        description=_l("Bijvoorbeeld: wat hij of zij graag doet, wat lastig is, medicijnen."),
        filters=[strip], render_kw={"maxlength": MAX_TEXT, "rows": 4},
    )
    postcode = postcode_field(_l("Postcode van het adres waar de hulp is"))
    address = StringField(
        _l("Straat en huisnummer waar de hulp is"),
        validators=[DataRequired(message=_l("Vul straat en huisnummer in.")),
                    max_length(MAX_ADDRESS)],
        filters=[strip], render_kw={"maxlength": MAX_ADDRESS, "autocomplete": "off"},
    )
    carer_needs = TextAreaField(
        _l("Wat heeft u zelf nodig?"),
        validators=[Optional(), max_length(MAX_TEXT)],
        description=_l("Bijvoorbeeld: elke week een middag vrij om te sporten. Niet verplicht."),
        filters=[strip], render_kw={"maxlength": MAX_TEXT, "rows": 3},
    )
    carer_address = StringField(
        _l("Uw eigen adres, als dat anders is"),
        validators=[Optional(), max_length(MAX_ADDRESS)],
        filters=[strip], render_kw={"maxlength": MAX_ADDRESS, "autocomplete": "address-line1"},
        description=_l("Niet verplicht."),
    )
    weekday = SelectField(
        _l("Op welke dag?"),
        choices=options([("", _l("Kies een dag")), *DAY_LABELS.items()]),
        validators=[DataRequired(message=_l("Kies een dag van de week."))],
    )
    part_of_day = RadioField(
        _l("Welk deel van de dag?"),
        choices=options([("any", _l("Maakt niet uit")), *PART_LABELS.items()]),
        default="any", validators=[InputRequired(message=CHOOSE)],
    )

    def to_data(self) -> RespiteData:
        part = self.part_of_day.data
        return RespiteData(
            cared_for_name=self.cared_for_name.data or "",
            cared_for_needs=self.cared_for_needs.data or "",
            carer_needs=self.carer_needs.data or "", postcode=self.postcode.data or "",
            address=self.address.data or "", carer_address=self.carer_address.data or "",
            weekday=self.weekday.data or None,
            part_of_day=None if part in (None, "", "any") else part,
        )

"""The help request form, reused by the referral form and the desk intake form, and the form
that withdraws a request."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import format_number
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Optional, ValidationError

from marketplace import geo
from marketplace.extensions import db
from marketplace.fields import (
    OTHER_NAME_NEEDS_LETTERS,
    TITLE_NEEDS_LETTERS,
    HasLetters,
    max_length,
    options,
    phone_field,
)
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Category
from marketplace.requests import rules
from marketplace.requests.services import RequestData, ResidentData
from marketplace.templating import category_name
from marketplace.vocabulary import (
    DAY_LABELS,
    LANGUAGE_LABELS,
    PART_LABELS,
    TIMING_LABELS,
    URGENCY_LABELS,
    Timing,
)


class CategoryField(SelectField):
    """A select of category ids that turns a non-number into a form error, not a crash."""

    data: int | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Ids are compared as numbers, so the chosen option stays selected after an error.
        kwargs.setdefault("coerce", int)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            try:
                self.data = int(valuelist[0])
            except (TypeError, ValueError):
                self.data = None


def category_choices() -> list[SelectChoice]:
    """Active categories in catalogue order; escalated kinds say so in their label."""
    categories = db.session.scalars(
        sa.select(Category).where(Category.active.is_(True)).order_by(Category.position)
    )
    choices = []
    for category in categories:
        label = category_name(category)
        if category.escalate:
            label = str(_l("%(name)s (via het Sociaal Plein)", name=label))
        choices.append(SelectChoice(value=category.id, label=label))
    return choices


def browser_newlines(value: str | None) -> str | None:
    """Form filter: a line break as one character. Browsers send CR LF but count one
    (``maxlength``, the counter in ``static/js/hulppunt.js``), so a full field would fail
    :class:`TextLimit`."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class TextLimit:
    """Form validator: at most ``limit`` characters, saying how long the text was.

    The browser's ``maxlength`` silently cuts pasted text, and a request without a browser
    (or an old one) is not cut at all, so the server says it plainly.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: FlaskForm, field: Field) -> None:
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(_l(
                "Deze tekst is %(count)s tekens lang. Er passen maximaal %(max)s tekens in. "
                "Maak de tekst korter.", count=format_number(length), max=self.limit))


def counted(limit: int, rows: int) -> dict[str, Any]:
    """``render_kw`` of a long text field: the browser limit, and the texts the counter in
    ``static/js/hulppunt.js`` shows (without JavaScript the hint states the limit)."""
    return {
        "maxlength": limit,
        "rows": rows,
        "data-counter": _l("Nog {count} tekens over."),
        "data-counter-cut": _l("Niet alles is geplakt: er passen maximaal {max} tekens in."),
    }


class RequestForm(FlaskForm):
    """What, when, where and how urgent. ``validate`` also checks the timing rules."""

    category_id = CategoryField(
        _l("Soort hulp"),
        validate_choice=False,
        validators=[InputRequired(_l("Kies een soort hulp."))],
    )
    title = StringField(
        _l("Korte omschrijving"),
        validators=[DataRequired(_l("Vul een korte omschrijving in.")),
                    max_length(rules.TITLE_MAX), HasLetters(TITLE_NEEDS_LETTERS)],
        render_kw={"maxlength": rules.TITLE_MAX},
        description=_l("Bijvoorbeeld: boodschappen doen bij de supermarkt."),
    )
    description = TextAreaField(
        _l("Wat heeft u nodig?"),
        validators=[DataRequired(_l("Vertel wat u nodig heeft.")),
                    TextLimit(rules.DESCRIPTION_MAX)],
        filters=[browser_newlines],
        render_kw=counted(rules.DESCRIPTION_MAX, 5),
        description=_l("Maximaal %(max)s tekens.", max=rules.DESCRIPTION_MAX),
    )
    timing = RadioField(
        _l("Wanneer?"),
        choices=options(TIMING_LABELS),
        default=Timing.ONCE.value,
        validators=[InputRequired(_l("Kies wanneer u hulp nodig heeft."))],
    )
    date_start = DateField(_l("Datum (of begindatum)"), validators=[Optional()])
    date_end = DateField(_l("Einddatum"), validators=[Optional()])
    weekday = SelectField(
        _l("Dag van de week"),
        choices=options([("", _l("Kies een dag")), *DAY_LABELS.items()]),
        default="",
    )
    part_of_day = RadioField(
        _l("Deel van de dag"),
        choices=options([("any", _l("Maakt niet uit")), *PART_LABELS.items()]),
        default="any",
        validators=[InputRequired(_l("Kies een deel van de dag."))],
    )
    postcode = StringField(
        _l("Postcode"),
        validators=[DataRequired(_l("Vul een postcode in.")),
                    max_length(10)],
        render_kw={"maxlength": 10, "autocomplete": "postal-code"},
        description=_l("Bijvoorbeeld: 1211 AB"),
    )
    address = StringField(
        _l("Straat en huisnummer"),
        validators=[DataRequired(_l("Vul straat en huisnummer in.")),
                    max_length(rules.ADDRESS_MAX)],
        render_kw={"maxlength": rules.ADDRESS_MAX, "autocomplete": "address-line1"},
    )
    urgency = RadioField(
        _l("Hoe snel?"),
        choices=options(URGENCY_LABELS),
        coerce=int,
        default=1,
        validators=[InputRequired(_l("Kies hoe snel u hulp nodig heeft."))],
    )
    preferred_language = SelectField(
        _l("Voorkeurstaal"), choices=options(LANGUAGE_LABELS), default="nl"
    )
    own_network = TextAreaField(
        _l("Wat kunt u zelf of met mensen om u heen?"),
        validators=[Optional(), TextLimit(rules.NETWORK_MAX)],
        filters=[browser_newlines],
        render_kw=counted(rules.NETWORK_MAX, 3),
        description=_l("Bijvoorbeeld: mijn dochter helpt in het weekend. Maximaal %(max)s "
                       "tekens.", max=rules.NETWORK_MAX),
    )
    can_offer = TextAreaField(
        _l("Kunt u zelf iets voor een ander doen?"),
        validators=[Optional(), TextLimit(rules.OFFER_MAX)],
        filters=[browser_newlines],
        render_kw=counted(rules.OFFER_MAX, 3),
        description=_l("Bijvoorbeeld: iemand bellen voor een praatje, of breien. Maximaal "
                       "%(max)s tekens.", max=rules.OFFER_MAX),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category_id.choices = category_choices()
        self._category_ids = {choice.value for choice in self.category_id.choices}

    def validate_category_id(self, field: CategoryField) -> None:
        if field.data not in self._category_ids:
            raise ValidationError(_l("Kies een soort hulp uit de lijst."))

    def validate_postcode(self, field: StringField) -> None:
        # Whether the meldpunt serves the postcode is the service's rule (requests.services).
        try:
            geo.locate(field.data or "")
        except geo.PostcodeError:
            raise ValidationError(
                _l("Deze postcode bestaat niet. Controleer de postcode, bijvoorbeeld 1211 AB.")
            ) from None

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks first, then the timing rules (which need several fields)."""
        valid = super().validate(extra_validators)
        errors = rules.timing_errors(
            self.timing.data, self.date_start.data, self.date_end.data,
            self.weekday.data or None, self._part_of_day(),
        )
        for name, message in errors.items():
            field = getattr(self, name)
            if message not in field.errors:
                field.errors = [*field.errors, message]
        return valid and not errors

    def _part_of_day(self) -> str | None:
        return None if self.part_of_day.data in (None, "", "any") else self.part_of_day.data

    def to_data(self) -> RequestData:
        """The validated input as plain data for the services."""
        timing = Timing(self.timing.data)
        return RequestData(
            category_id=int(self.category_id.data or 0),
            title=self.title.data.strip(),
            description=self.description.data.strip(),
            timing=timing,
            date_start=self.date_start.data if timing != Timing.WEEKLY else None,
            date_end=self.date_end.data if timing == Timing.RANGE else None,
            weekday=self.weekday.data if timing == Timing.WEEKLY else None,
            part_of_day=self._part_of_day(),
            postcode=self.postcode.data.strip(),
            address=self.address.data.strip(),
            urgency=int(self.urgency.data),
            preferred_language=self.preferred_language.data,
            own_network=(self.own_network.data or "").strip(),
            can_offer=(self.can_offer.data or "").strip(),
        )

    def fill_from(self, help_request: Any) -> None:
        """Pre-fill an unsubmitted form with a stored request (for editing)."""
        for name in ("category_id", "title", "description", "date_start", "date_end",
                     "postcode", "address", "urgency", "preferred_language", "own_network",
                     "can_offer"):
            getattr(self, name).data = getattr(help_request, name)
        self.timing.data = help_request.timing.value
        self.weekday.data = help_request.weekday or ""
        self.part_of_day.data = help_request.part_of_day or "any"


class OwnRequestForm(RequestForm):
    """A resident asking for themselves: the request, and the phone number the volunteer
    may call (pre-filled from the account, saved to it when given)."""

    phone = phone_field(description=_l(
        "Niet verplicht, maar wel handig: zo kan uw vrijwilliger u bellen. Wij bewaren het "
        "nummer bij uw account."))


class CancelForm(FlaskForm):
    """Withdrawing a request, after "are you sure": why, if the person wants to say."""

    reason = TextAreaField(
        _l("Waarom trekt u de aanvraag in? (niet verplicht)"),
        validators=[Optional(), TextLimit(rules.REASON_MAX)],
        filters=[browser_newlines],
        render_kw=counted(rules.REASON_MAX, 3),
        description=_l("Bijvoorbeeld: ik heb al hulp gevonden. Een medewerker leest dit. "
                       "Maximaal %(max)s tekens.", max=rules.REASON_MAX),
    )


class ResidentFieldsMixin(FlaskForm):
    """Who the request is for, when someone else enters it (referrer or desk)."""

    resident_name = StringField(
        _l("Naam van de bewoner"),
        validators=[DataRequired(_l("Vul de naam in.")),
                    max_length(120), HasLetters(OTHER_NAME_NEEDS_LETTERS)],
        render_kw={"maxlength": 120},
    )
    resident_phone = phone_field(_l("Telefoonnummer van de bewoner"), description=None,
                                 required=True, own_number=False)
    resident_email = EmailField(
        _l("E-mailadres van de bewoner (als die er is)"),
        validators=[Optional(), Email(_l("Dit is geen geldig e-mailadres.")),
                    max_length(254)],
        render_kw={"maxlength": 254, "autocomplete": "off"},
    )

    def resident_data(self) -> ResidentData:
        return ResidentData(
            name=self.resident_name.data.strip(),
            phone=self.resident_phone.data.strip(),
            email=(self.resident_email.data or "").strip() or None,
        )


#: The questions that speak to the resident ("Wat heeft u nodig?"), asked about the resident
#: when a referrer fills the form in for them (a new referral, or changing one).
ABOUT_THE_RESIDENT = {
    "description": _l("Wat heeft de bewoner nodig?"),
    "own_network": _l("Wat kan de bewoner zelf of met mensen om zich heen?"),
    "can_offer": _l("Kan de bewoner zelf iets voor een ander doen?"),
}


def ask_about_resident(form: RequestForm) -> RequestForm:
    """Relabel ``form``'s questions for someone who fills it in for the resident."""
    for name, label in ABOUT_THE_RESIDENT.items():
        getattr(form, name).label.text = label
    return form


class ReferralForm(RequestForm, ResidentFieldsMixin):
    consent = BooleanField(
        _l("De bewoner geeft toestemming om deze gegevens met het meldpunt te delen."),
        validators=[DataRequired(_l("Zonder toestemming van de bewoner kunt u niet verwijzen."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ask_about_resident(self)


class IntakeForm(RequestForm, ResidentFieldsMixin):
    consent = BooleanField(
        _l("De bewoner geeft toestemming om deze gegevens vast te leggen."),
        validators=[DataRequired(_l("Vraag de bewoner eerst om toestemming."))],
    )
    approve_now = BooleanField(_l("Meteen goedkeuren (de aanvraag gaat direct open)"))

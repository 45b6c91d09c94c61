"""Forms of the auth feature. Every message is Dutch (``_l``); every text field has a limit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from marketplace.auth.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, RegistrationData

_EMAIL_RULES = [
    DataRequired(message=_l("Vul uw e-mailadres in.")),
    Length(max=254, message=_l("Een e-mailadres mag hoogstens 254 tekens hebben.")),
    Email(message=_l("Dit is geen geldig e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl")),
]


def strip(value: str | None) -> str | None:
    """Form filter: drop spaces around typed text (people paste addresses with a space)."""
    return value.strip() if isinstance(value, str) else value


_EMAIL_ATTRS = {"maxlength": 254, "autocomplete": "email", "spellcheck": "false"}


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Kies een wachtwoord.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l("Het wachtwoord moet minstens 10 en hoogstens 200 tekens hebben."),
            ),
        ],
        description=_l("Minstens 10 tekens. Een zin van een paar woorden is makkelijk te "
                       "onthouden."),
        render_kw={"maxlength": MAX_PASSWORD_LENGTH, "autocomplete": "new-password"},
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            DataRequired(message=_l("Vul het wachtwoord nog een keer in.")),
            EqualTo("password", message=_l("De twee wachtwoorden zijn niet hetzelfde.")),
        ],
        render_kw={"maxlength": MAX_PASSWORD_LENGTH, "autocomplete": "new-password"},
    )


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Uw naam"),
        validators=[
            DataRequired(message=_l("Vul uw naam in.")),
            Length(max=120, message=_l("Uw naam mag hoogstens 120 tekens hebben.")),
        ],
        filters=[strip],
        render_kw={"maxlength": 120, "autocomplete": "name"},
    )
    email = EmailField(_l("E-mailadres"), validators=_EMAIL_RULES, filters=[strip],
                       render_kw=_EMAIL_ATTRS)
    password = _new_password_field(_l("Kies een wachtwoord"))
    confirm = _confirm_field()
    postcode = StringField(
        _l("Postcode"),
        validators=[
            DataRequired(message=_l("Vul uw postcode in.")),
            Length(max=10, message=_l("Een postcode heeft 4 cijfers en 2 letters.")),
        ],
        description=_l("Bijvoorbeeld 1211 AB."),
        filters=[strip],
        render_kw={"maxlength": 10, "autocomplete": "postal-code"},
    )
    volunteer = BooleanField(_l("Ik wil ook helpen als vrijwilliger"))
    consent = BooleanField(
        _l("Ik heb de privacyverklaring gelezen en ga akkoord"),
        validators=[DataRequired(
            message=_l("Zonder uw akkoord met de privacyverklaring kunnen wij geen account maken.")
        )],
    )

    def to_data(self) -> RegistrationData:
        return RegistrationData(
            name=self.name.data or "",
            email=self.email.data or "",
            password=self.password.data or "",
            postcode=self.postcode.data or "",
        )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=_EMAIL_RULES, filters=[strip],
                       render_kw=_EMAIL_ATTRS)
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[
            DataRequired(message=_l("Vul uw wachtwoord in.")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("Dit wachtwoord is te lang.")),
        ],
        render_kw={"maxlength": MAX_PASSWORD_LENGTH, "autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Ingelogd blijven op deze computer"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=_EMAIL_RULES, filters=[strip],
                       render_kw=_EMAIL_ATTRS)


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("Nieuw wachtwoord"))
    confirm = _confirm_field()

"""Forms of the auth feature. Every message is Dutch (``_l``); every text field has a limit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from marketplace.auth.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, RegistrationData
from marketplace.fields import ContactSharingField, name_field, phone_field, postcode_field, strip
from marketplace.i18n import lazy_gettext as _l

_EMAIL_RULES = [
    DataRequired(message=_l("Vul uw e-mailadres in.")),
    Length(max=254, message=_l("Een e-mailadres mag hoogstens 254 tekens hebben.")),
    Email(message=_l("Dit is geen geldig e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl")),
]


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
    name = name_field()
    email = EmailField(_l("E-mailadres"), validators=_EMAIL_RULES, filters=[strip],
                       render_kw=_EMAIL_ATTRS)
    password = _new_password_field(_l("Kies een wachtwoord"))
    confirm = _confirm_field()
    phone = phone_field()
    share = ContactSharingField()
    postcode = postcode_field()
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
            phone=self.phone.data or "",
            share_phone=self.share.share_phone,
            share_email=self.share.share_email,
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

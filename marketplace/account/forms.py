"""Forms of the account feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from marketplace.account.services import AccountData


class AccountForm(FlaskForm):
    name = StringField(
        _l("Uw naam"),
        validators=[
            DataRequired(message=_l("Vul uw naam in.")),
            Length(max=120, message=_l("Uw naam mag hoogstens 120 tekens hebben.")),
        ],
        render_kw={"maxlength": 120, "autocomplete": "name"},
    )
    phone = TelField(
        _l("Telefoonnummer"),
        validators=[
            Optional(),
            Length(max=30, message=_l("Een telefoonnummer mag hoogstens 30 tekens hebben.")),
            Regexp(
                r"^\+?[0-9 ()\-]{6,30}$",
                message=_l("Vul alleen cijfers in, eventueel met spaties of een + vooraan."),
            ),
        ],
        description=_l("Alleen de vrijwilliger die uw aanvraag aanneemt, ziet uw nummer."),
        render_kw={"maxlength": 30, "autocomplete": "tel"},
    )
    postcode = StringField(
        _l("Postcode"),
        validators=[
            DataRequired(message=_l("Vul uw postcode in.")),
            Length(max=10, message=_l("Een postcode heeft 4 cijfers en 2 letters.")),
        ],
        description=_l("Bijvoorbeeld 1211 AB."),
        render_kw={"maxlength": 10, "autocomplete": "postal-code"},
    )
    address = StringField(
        _l("Straat en huisnummer"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Het adres mag hoogstens 200 tekens hebben.")),
        ],
        render_kw={"maxlength": 200, "autocomplete": "street-address"},
    )
    locale = SelectField(
        _l("Taal van de website"),
        choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")],
        validate_choice=True,
    )

    def to_data(self) -> AccountData:
        return AccountData(
            name=self.name.data or "",
            phone=self.phone.data or "",
            postcode=self.postcode.data or "",
            address=self.address.data or "",
            locale=self.locale.data or "nl",
        )

"""Forms of the account feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, Regexp

from marketplace.account.services import AccountData
from marketplace.fields import name_field, postcode_field


class AccountForm(FlaskForm):
    name = name_field()
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
    postcode = postcode_field()
    address = StringField(
        _l("Straat en huisnummer"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Het adres mag hoogstens 200 tekens hebben.")),
        ],
        render_kw={"maxlength": 200, "autocomplete": "address-line1"},
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

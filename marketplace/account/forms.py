"""Forms of the account feature."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from marketplace.account.services import AccountData
from marketplace.fields import ContactSharingField, name_field, phone_field, postcode_field
from marketplace.i18n import lazy_gettext as _l


class AccountForm(FlaskForm):
    name = name_field()
    phone = phone_field()
    share = ContactSharingField()
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
            share_phone=self.share.share_phone,
            share_email=self.share.share_email,
            postcode=self.postcode.data or "",
            address=self.address.data or "",
            locale=self.locale.data or "nl",
        )

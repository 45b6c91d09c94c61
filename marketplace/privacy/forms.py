"""Forms of the privacy feature."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from marketplace.i18n import lazy_gettext as _l


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Uw wachtwoord"),
        validators=[Optional(), Length(max=200, message=_l("Dit wachtwoord is te lang."))],
        render_kw={"autocomplete": "current-password", "maxlength": 200},
    )
    confirm = BooleanField(
        _l("Ja, verwijder mijn account en mijn gegevens"),
        validators=[DataRequired(message=_l("Vink aan dat u uw account wilt verwijderen."))],
    )

    def __init__(self, *args: Any, account: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def validate_password(self, field: PasswordField) -> None:
        """Accounts with a password must type it again (someone else may be at the screen)."""
        if self.account is None or not self.account.password_hash:
            return
        if not field.data:
            raise ValidationError(_l("Vul uw wachtwoord in."))
        if not self.account.check_password(field.data):
            raise ValidationError(_l("Dit wachtwoord klopt niet."))

"""The account's own data: name, contact details, home postcode and language.

Services flush; the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from marketplace import audit
from marketplace.errors import FieldError
from marketplace.extensions import db
from marketplace.geo import resolve_postcode, set_home
from marketplace.models import User

LOCALES = ("nl", "en")


@dataclass(frozen=True)
class AccountData:
    name: str
    phone: str
    postcode: str
    address: str
    locale: str


def update_account(user: User, data: AccountData) -> User:
    """Change the user's own details.

    Raises :class:`FieldError` for an empty or too long name, an unknown postcode or an
    unknown language.
    """
    name = data.name.strip()
    if not name or len(name) > 120:
        raise FieldError("name", str(_l("Vul uw naam in (hoogstens 120 tekens).")))
    if data.locale not in LOCALES:
        raise FieldError("locale", str(_l("Kies een taal uit de lijst.")))
    set_home(user, resolve_postcode(data.postcode))
    user.name = name
    user.phone = data.phone.strip()[:30] or None
    user.address = data.address.strip()[:200] or None
    user.locale = data.locale
    db.session.flush()
    audit.record(user, "account.updated", user)
    return user

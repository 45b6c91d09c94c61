"""The account's own data: name, contact details (and which of them the other side of a
pairing sees), home postcode and language.

Services flush; the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace import audit
from marketplace.errors import FieldError
from marketplace.extensions import db
from marketplace.geo import resolve_postcode, set_home
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import User
from marketplace.phones import checked_phone

LOCALES = ("nl", "en")


@dataclass(frozen=True)
class AccountData:
    name: str
    phone: str
    postcode: str
    address: str
    locale: str
    share_phone: bool = True
    share_email: bool = True


def update_account(user: User, data: AccountData) -> User:
    """Change the user's own details.

    Raises :class:`FieldError` for an empty or too long name, a phone number that cannot
    exist, an unknown postcode or an unknown language.
    """
    name = data.name.strip()
    if not name or len(name) > 120:
        raise FieldError("name", str(_l("Vul uw naam in (hoogstens 120 tekens).")))
    if data.locale not in LOCALES:
        raise FieldError("locale", str(_l("Kies een taal uit de lijst.")))
    phone = checked_phone(data.phone)
    set_home(user, resolve_postcode(data.postcode))
    user.name = name
    user.phone = phone
    user.share_phone = data.share_phone
    user.share_email = data.share_email
    user.address = data.address.strip()[:200] or None
    user.locale = data.locale
    db.session.flush()
    audit.record(user, "account.updated", user)
    return user

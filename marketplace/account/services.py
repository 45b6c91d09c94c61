"""The account's own data: name, contact details, home postcode and language.

Services flush; the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from marketplace import audit
from marketplace.admin.services import neighbourhood_for_pc4
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.geo import Place, PostcodeError, locate
from marketplace.models import User

LOCALES = ("nl", "en")


class FieldError(DomainError):
    """A rule refused one input field. ``field`` names the form field to show it on."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AccountData:
    name: str
    phone: str
    postcode: str
    address: str
    locale: str


def resolve_postcode(text: str, field: str = "postcode") -> Place:
    """Return the place for a Dutch postcode.

    Raises :class:`FieldError` on ``field`` when the postcode is malformed or unknown.
    """
    try:
        return locate(text)
    except PostcodeError:
        raise FieldError(field, str(_l("Deze postcode kennen wij niet."))) from None


def set_home(user: User, place: Place) -> None:
    """Store the user's postcode and the neighbourhood it belongs to (None outside the area)."""
    user.postcode = place.postcode
    user.neighbourhood = neighbourhood_for_pc4(place.pc4)


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

"""Phone numbers: checked with Google's libphonenumber (the ``phonenumbers`` package), stored
in E.164 (``+31612345678``) so one number has one spelling, and shown the way people write
them: Dutch numbers as in the Netherlands ("06 12345678", "020 123 4567"), others with ``+``
and their country code ("+32 2 555 12 12").

Forms (``fields.PhoneNumber``) and services (registration, account, request, desk, referral)
use the same :func:`normalise_phone`, so a number refused on the page is refused everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from marketplace.errors import FieldError
from marketplace.i18n import lazy_gettext as _l

if TYPE_CHECKING:
    import phonenumbers

#: Numbers without ``+`` and a country code are read as Dutch ones.
DEFAULT_REGION = "NL"
#: ``User.phone`` is ``String(30)``; typed text may hold spaces and dashes.
PHONE_MAX = 30

PHONE_DIGITS_ONLY = _l(
    "Gebruik alleen cijfers in het telefoonnummer, eventueel met spaties, streepjes of een + "
    "vooraan. Bijvoorbeeld: 06 12345678."
)
PHONE_INVALID = _l(
    "Dit telefoonnummer klopt niet. Vul een nummer in zoals 06 12345678 of 020 123 4567. "
    "Een nummer uit het buitenland begint met + en de landcode, bijvoorbeeld +32."
)

# Digits and the signs people write between them; letters are refused outright, since the
# library would quietly drop a trailing letter ("06 12345678a").
_WRITTEN_NUMBER = re.compile(r"\+?[0-9()\-./ ]+")


def _plain(text: str) -> str:
    """``text`` with digits of any script as 0-9 ("٠٦" and "０６" are "06") and any space
    (a non-breaking one, a tab) as a plain space."""
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() else " " if ch.isspace() else ch
        for ch in text
    )


class PhoneError(ValueError):
    """Typed text is no phone number; ``message`` says why in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


def normalise_phone(text: str | None) -> str | None:
    """The number in ``text`` in E.164 (``"+31612345678"``), or None when ``text`` is empty.

    Raises :class:`PhoneError` for letters or signs, for text longer than :data:`PHONE_MAX`,
    and for a number that cannot exist (too short, too long, an unknown area code).
    """
    written = _plain(text or "").strip()
    if not written:
        return None
    if not _WRITTEN_NUMBER.fullmatch(written):
        raise PhoneError(str(PHONE_DIGITS_ONLY))
    if len(written) > PHONE_MAX:
        raise PhoneError(str(PHONE_INVALID))
    # Imported in the functions that use it: phonenumbers costs every start-up about 18 ms.
    import phonenumbers

    try:
        number = phonenumbers.parse(written, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise PhoneError(str(PHONE_INVALID)) from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(str(PHONE_INVALID))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def checked_phone(text: str | None, field: str = "phone") -> str | None:
    """For services: ``text`` as a stored number (E.164), None when empty.

    Raises :class:`~marketplace.errors.FieldError` on ``field`` when it is no Dutch or
    international number.
    """
    try:
        return normalise_phone(text)
    except PhoneError as error:
        raise FieldError(field, str(error.message)) from None


def _parsed(stored: str) -> phonenumbers.PhoneNumber | None:
    import phonenumbers  # on first use, see normalise_phone

    try:
        number = phonenumbers.parse(stored, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


# Both below are kept per stored number: parsing one with libphonenumber costs more than the
# rest of its line on a page, and lists (the dashboard's calls, contact rows) repeat numbers.
@lru_cache(maxsize=4096)
def display_phone(stored: str | None) -> str:
    """A stored number as people write it: Dutch ones nationally ("06 12345678", "020 123
    4567"), others internationally ("+32 2 555 12 12"). Text that is no valid number (rows
    from before numbers were checked) is returned as stored; None gives ``""``."""
    if not stored:
        return ""
    number = _parsed(stored)
    if number is None:
        return stored
    import phonenumbers  # loaded by _parsed

    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


@lru_cache(maxsize=4096)
def tel_href(stored: str | None) -> str:
    """A ``tel:`` link for a stored number (E.164 where it parses, else its digits)."""
    if not stored:
        return ""
    number = _parsed(stored)
    if number is None:
        return "tel:" + "".join(ch for ch in stored if ch.isdigit() or ch == "+")
    import phonenumbers  # loaded by _parsed

    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

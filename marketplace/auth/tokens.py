"""Signed, expiring password-reset tokens (itsdangerous).

A token carries the user's id and ``security_stamp``. Setting a password bumps the stamp, so a
token works once; it also stops working after ``PASSWORD_RESET_MAX_AGE`` seconds.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import User

SALT = "hulppunt.password-reset"
CONFIRM_SALT = "hulppunt.confirm-email"
#: How long an e-mail confirmation link works (seconds).
CONFIRM_MAX_AGE = 7 * 24 * 3600


class InvalidResetToken(DomainError):
    """The reset link is malformed, tampered with, already used, or its account is gone."""


class ExpiredResetToken(InvalidResetToken):
    """The reset link is genuine but too old."""


def serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_reset_token(user: User) -> str:
    """Return a URL-safe token for ``user`` that encodes their current security stamp."""
    return str(serializer().dumps({"user": user.id, "stamp": user.security_stamp}))


def user_for_reset_token(token: str) -> User:
    """Return the active user the token was made for.

    Raises :class:`ExpiredResetToken` when it is older than ``PASSWORD_RESET_MAX_AGE``, and
    :class:`InvalidResetToken` when it is forged, already used or the account is inactive.
    """
    try:
        payload: Any = serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except SignatureExpired:
        raise ExpiredResetToken(str(_l("Deze link is verlopen."))) from None
    except BadSignature:
        raise InvalidResetToken(str(_l("Deze link klopt niet."))) from None
    invalid = InvalidResetToken(str(_l("Deze link is al gebruikt of werkt niet meer.")))
    if not isinstance(payload, dict):
        raise invalid
    user_id, stamp = payload.get("user"), payload.get("stamp")
    if not isinstance(user_id, int) or not isinstance(stamp, int):
        raise invalid
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.security_stamp != stamp:
        raise invalid
    return user


def _address_digest(email: str | None) -> str:
    """Stands for the address in a link (links end up in logs; the address itself should
    not); changes when the address changes."""
    return hashlib.sha256((email or "").encode()).hexdigest()[:20]


def make_confirm_token(user: User) -> str:
    """A URL-safe token that confirms ``user``'s current e-mail address."""
    data = {"user": user.id, "email": _address_digest(user.email)}
    return str(URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                      salt=CONFIRM_SALT).dumps(data))


def user_for_confirm_token(token: str) -> User:
    """The active user whose address the token confirms (same address as when it was made).

    Raises :class:`ExpiredResetToken` or :class:`InvalidResetToken` (same meanings as for a
    reset link).
    """
    signer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)
    try:
        payload: Any = signer.loads(token, max_age=CONFIRM_MAX_AGE)
    except SignatureExpired:
        raise ExpiredResetToken(str(_l("Deze link is verlopen."))) from None
    except BadSignature:
        raise InvalidResetToken(str(_l("Deze link klopt niet."))) from None
    invalid = InvalidResetToken(str(_l("Deze link is al gebruikt of werkt niet meer.")))
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        raise invalid
    user = db.session.get(User, payload["user"])
    if (user is None or not user.is_active or not user.email
            or _address_digest(user.email) != payload.get("email")):
        raise invalid
    return user

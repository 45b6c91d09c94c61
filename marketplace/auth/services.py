"""Accounts: registration, login, password reset. Services flush; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from marketplace import audit
from marketplace.auth import notifications
from marketplace.auth.tokens import user_for_confirm_token, user_for_reset_token
from marketplace.errors import DomainError, FieldError
from marketplace.extensions import db
from marketplace.geo import resolve_postcode, set_home
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Role, User, utcnow
from marketplace.params import MAX_DATABASE_ID
from marketplace.passwords import hash_password, needs_rehash, verify_password
from marketplace.phones import checked_phone

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200


@dataclass(frozen=True)
class RegistrationData:
    name: str
    email: str
    password: str
    postcode: str
    phone: str = ""
    share_phone: bool = True
    share_email: bool = True


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader for ``"<id>:<security stamp>"`` (:meth:`User.get_id`).

    None (logged out) when the user is gone or inactive, or when the stamp is old: the
    password was reset since this session or cookie was made.
    """
    user_key, _, stamp = str(user_id).partition(":")
    try:
        key, stamp_number = int(user_key), int(stamp)
    except (TypeError, ValueError):
        return None
    if not 0 < key <= MAX_DATABASE_ID:
        return None
    user = db.session.scalars(_account_with_roles(), {"user_id": key}).unique().one_or_none()
    if user is None or not user.is_active or (user.security_stamp or 0) != stamp_number:
        return None
    return user


@lru_cache(maxsize=1)
def _account_with_roles() -> sa.Select[User]:
    """Every page asks the viewer's roles (menu, access rules) and the bell's count of unread
    notifications: read them in the same statement as the account. Built once, so that the
    statement is not rebuilt and keyed again on every page. Not the neighbourhood: only the
    account overview names it (read then, by its key)."""
    return (
        sa.select(User)
        .options(sa.orm.joinedload(User.role_rows), sa.orm.undefer(User.unread_notifications),
                 sa.orm.lazyload(User.neighbourhood))
        .where(User.id == sa.bindparam("user_id"))
    )


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def check_password_rules(password: str, field: str = "password") -> None:
    """Raises :class:`FieldError` when the password is too short or absurdly long."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise FieldError(field, str(_l("Het wachtwoord moet minstens 10 tekens hebben.")))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise FieldError(field, str(_l("Het wachtwoord mag hoogstens 200 tekens hebben.")))


def create_admin_account(email: str, name: str, password: str) -> User:
    """Create an administrator, or add the admin role to an existing account.

    Raises :class:`DomainError` when the password is too short.
    """
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("Het wachtwoord moet minstens 10 tekens hebben."))
    user = find_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), name=name.strip() or email)
        db.session.add(user)
    user.set_password(password)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()  # typed by the operator
    user.add_role(Role.ADMIN)
    user.add_role(Role.COORDINATOR)
    db.session.flush()
    return user


def register_account(data: RegistrationData) -> User:
    """Create a resident account with a hashed password, queue the mail that confirms its
    address, and return it.

    Raises :class:`FieldError` for an empty or too long name, a weak password, a phone
    number that cannot exist, an unknown postcode, or an e-mail address that already has an
    account.
    """
    name = data.name.strip()
    if not name or len(name) > 120:
        raise FieldError("name", str(_l("Vul uw naam in (hoogstens 120 tekens).")))
    check_password_rules(data.password)
    phone = checked_phone(data.phone)
    place = resolve_postcode(data.postcode)
    email = normalise_email(data.email)
    taken = FieldError(
        "email",
        str(_l("Met dit e-mailadres kunt u geen nieuw account maken. Heeft u al een account? "
               "Log dan in, of vraag een nieuw wachtwoord aan.")),
    )
    if find_by_email(email) is not None:
        raise taken
    user = User(email=email, name=name, locale="nl", phone=phone,
                share_phone=data.share_phone, share_email=data.share_email)
    user.set_password(data.password)
    user.add_role(Role.RESIDENT)
    set_home(user, place)
    try:
        with db.session.begin_nested():  # two people registering the same address at once
            db.session.add(user)
            db.session.flush()
    except IntegrityError:
        raise taken from None
    audit.record(user, "account.registered", user)
    notifications.email_confirmation(user)
    return user


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("no-such-account-" + "x" * 16)


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, or None.

    Unknown addresses cost the same hashing work as wrong passwords, so timing does not
    reveal which addresses have an account. A correct password stored with an older hashing
    setting is hashed again with the current one (flushed with the login; not a password
    change, so the security stamp stays).
    """
    user = find_by_email(email)
    if user is None or not user.password_hash:
        verify_password(_dummy_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    """Remember when the user last logged in."""
    user.last_login_at = utcnow()
    db.session.flush()


def resend_confirmation(user: User) -> bool:
    """Queue the confirmation mail again; False (nothing sent) when nothing awaits it."""
    if not user.awaits_email_confirmation:
        return False
    return notifications.email_confirmation(user)


def sign_out_everywhere(user: User) -> None:
    """End every session and remember-me cookie of ``user``, on every device.

    Bumps the security stamp that :meth:`User.get_id` puts in sessions and cookies, so
    :func:`load_user` no longer accepts any made before (a reset link sent earlier stops
    working too). Audited as ``account.signed_out_everywhere``.
    """
    user.renew_security_stamp()
    audit.record(user, "account.signed_out_everywhere", user)
    db.session.flush()


def request_password_reset(email: str) -> User | None:
    """Queue a reset mail for the active account with this address; return it, or None.

    The caller shows the same message either way (no user enumeration).
    """
    user = find_by_email(email)
    if user is None or not user.is_active or not user.email:
        return None
    audit.record(user, "account.password_reset_requested", user)
    notifications.password_reset(user)
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset token; the token cannot be used again.

    Raises :class:`marketplace.auth.tokens.InvalidResetToken` (or its subclass
    ``ExpiredResetToken``) for a bad token, and :class:`FieldError` for a weak password.
    """
    user = user_for_reset_token(token)
    check_password_rules(password)
    user.set_password(password)
    db.session.flush()
    audit.record(user, "account.password_reset", user)
    return user


def confirm_email(token: str) -> User:
    """Mark the address a confirmation link was sent to as confirmed (idempotent).

    Raises :class:`marketplace.auth.tokens.InvalidResetToken` (or ``ExpiredResetToken``).
    """
    user = user_for_confirm_token(token)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record(user, "account.email_confirmed", user)
        db.session.flush()
    return user

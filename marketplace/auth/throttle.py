"""Login throttling: failed logins are limited per account and per address.

Only failures count, so a busy Monday morning of correct passwords locks nobody out. The
counters live in the rate limiter's storage (Redis when ``REDIS_URL`` is set, shared by every
process; this process's memory otherwise, or while Redis is away), keyed

* by the client's address (behind a proxy see ``TRUSTED_PROXY_COUNT``), and
* by a digest of the normalised e-mail address typed in, for addresses with and without an
  account alike: a locked form then tells a stranger no more than a failed login does.

While a limit is reached the login form answers 429 with a "wait a while" message before the
password is even checked (a correct password waits too: otherwise guessing goes on). A lock
ends by itself when its window ends, and an account's lock at once when its password is reset
(:func:`unlock_account`, called after the reset was committed).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from flask import Response, g, request
from flask_limiter import RequestLimit, RouteLimit
from flask_limiter.util import get_remote_address
from limits import parse_many

from marketplace.auth.services import normalise_email
from marketplace.extensions import limiter

log = logging.getLogger(__name__)

#: Failed logins for one e-mail address, from anywhere, before its login pauses.
FAILED_LOGINS_PER_ACCOUNT = "10 per 15 minutes"
#: Failed logins from one address, for any e-mail address, before its logins pause.
FAILED_LOGINS_PER_ADDRESS = "20 per 15 minutes"
#: Minutes a lock lasts at most (the window of both limits); shown in the message.
LOCK_MINUTES = 15

_ENDPOINT = "auth.login"
_ACCOUNT_SCOPE = "failed-account"
_ADDRESS_SCOPE = "failed-address"

OnBreach = Callable[[RequestLimit], Response | None]


def account_key(email: str) -> str:
    """The limiter key of an e-mail address: a digest, so Redis holds no addresses."""
    digest = hashlib.sha256(normalise_email(email).encode()).hexdigest()
    return "account:" + digest[:32]


def _account_of_request() -> str:
    return account_key(request.form.get("email", ""))


def note_failed_login() -> None:
    """Count this request against both limits (the view calls it when a login failed)."""
    g.login_failed = True


def _login_failed(response: Response) -> bool:
    return bool(g.get("login_failed"))


def limit_failures_per_account(on_breach: OnBreach) -> RouteLimit:
    """Decorator for the login view: the per-account limit on failed POSTs."""
    return limiter.limit(
        FAILED_LOGINS_PER_ACCOUNT, methods=["POST"], key_func=_account_of_request,
        scope=_ACCOUNT_SCOPE, deduct_when=_login_failed, on_breach=on_breach,
    )


def limit_failures_per_address(on_breach: OnBreach) -> RouteLimit:
    """Decorator for the login view: the per-address limit on failed POSTs."""
    return limiter.limit(
        FAILED_LOGINS_PER_ADDRESS, methods=["POST"], key_func=get_remote_address,
        scope=_ADDRESS_SCOPE, deduct_when=_login_failed, on_breach=on_breach,
    )


def unlock_account(email: str | None) -> None:
    """Forget the failed logins of ``email`` (its password was just reset).

    Never raises: when the limiter's storage cannot be reached the lock simply runs out.
    """
    if not email or not (limiter.enabled and limiter.initialized):
        return
    scope = f"{_ENDPOINT}:{_ACCOUNT_SCOPE}"  # how Flask-Limiter scopes a route's limit
    try:
        for item in parse_many(FAILED_LOGINS_PER_ACCOUNT):
            limiter.limiter.clear(item, account_key(email), scope)
    except Exception:  # noqa: BLE001 - any storage failure: the lock ends by itself
        log.warning("could not clear a login lock", exc_info=True)

"""Password hashing: Argon2id at OWASP's recommended setting; older hashes still verify.

OWASP's Password Storage Cheat Sheet recommends Argon2id with at least 19 MiB of memory,
2 iterations and 1 degree of parallelism (its first choice; scrypt only where Argon2id is
unavailable). Accounts used to be hashed with werkzeug's default scrypt (N=2^15, r=8, p=1),
which is a third of the work OWASP asks of scrypt at that N (p=3). Those hashes still
verify, and :func:`needs_rehash` tells the login to replace them with an Argon2id hash.

Argon2id at this setting costs about 15 ms of one core per login (werkzeug's scrypt: 60 ms,
scrypt at OWASP's setting: 150 to 250 ms), so logins no longer crowd out the other pages.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

MEMORY_KIB = 19 * 1024
ITERATIONS = 2
PARALLELISM = 1

_hasher = PasswordHasher(
    time_cost=ITERATIONS, memory_cost=MEMORY_KIB, parallelism=PARALLELISM, type=Type.ID
)


def hash_password(password: str) -> str:
    """A new Argon2id hash (random salt) of ``password``."""
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (an Argon2 hash or a werkzeug scrypt/pbkdf2
    hash). A malformed hash never matches."""
    if stored.startswith("$argon2"):
        try:
            return _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored, password)
    except ValueError:
        return False


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` is not an Argon2id hash with the current setting."""
    if not stored.startswith("$argon2id$"):
        return True
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True

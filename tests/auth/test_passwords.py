"""Password hashing: Argon2id at OWASP's setting; older werkzeug hashes verify and upgrade."""

from __future__ import annotations

from typing import Any

from argon2 import extract_parameters
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from marketplace.passwords import hash_password, needs_rehash, verify_password
from tests import factories


def test_new_hashes_are_argon2id_at_least_at_owasps_setting() -> None:
    stored = hash_password("een-lang-wachtwoord")
    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert parameters.memory_cost >= 19 * 1024  # KiB
    assert parameters.time_cost >= 2
    assert parameters.parallelism >= 1
    assert verify_password(stored, "een-lang-wachtwoord")
    assert not verify_password(stored, "een-ander-wachtwoord")
    assert not needs_rehash(stored)
    assert hash_password("een-lang-wachtwoord") != stored  # salted


def test_old_werkzeug_hashes_still_verify_and_need_a_rehash() -> None:
    for method in ("scrypt", "pbkdf2:sha256"):
        stored = generate_password_hash("een-lang-wachtwoord", method=method)
        assert verify_password(stored, "een-lang-wachtwoord")
        assert not verify_password(stored, "fout-wachtwoord")
        assert needs_rehash(stored)
    assert not verify_password("$argon2id$kapot", "een-lang-wachtwoord")
    assert not verify_password("onzin", "een-lang-wachtwoord")


def test_login_upgrades_an_old_hash_without_ending_other_sessions(
    client: FlaskClient, db: Any
) -> None:
    account = factories.user(email="bea@example.nl")
    account.password_hash = generate_password_hash(factories.PASSWORD)
    stamp = account.security_stamp
    db.session.commit()

    wrong = client.post("/auth/login", data={"email": "bea@example.nl",
                                             "password": "fout-fout-fout"})
    assert wrong.status_code == 400
    db.session.refresh(account)
    assert account.password_hash.startswith("scrypt:")  # a wrong password changes nothing

    right = client.post("/auth/login", data={"email": "bea@example.nl",
                                             "password": factories.PASSWORD})
    assert right.status_code == 302
    db.session.refresh(account)
    assert account.password_hash.startswith("$argon2id$")
    assert account.security_stamp == stamp
    assert account.check_password(factories.PASSWORD)

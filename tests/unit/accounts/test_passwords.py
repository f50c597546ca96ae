"""Argon2id hashing and the password policy (no app: hashers chosen with fast=)."""

import pytest

from shop.accounts import passwords


def test_hash_is_argon2id_and_verifies():
    hashed = passwords.hash_password("blue kettle morning", fast=True)
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "blue kettle morning", fast=True)
    assert not passwords.verify_password(hashed, "blue kettle evening", fast=True)


def test_bad_hashes_never_verify():
    for bad in (None, "", "plain text", "$argon2id$broken"):
        assert not passwords.verify_password(bad, "anything at all", fast=True)


def test_each_hash_has_its_own_salt():
    assert passwords.hash_password("same password", fast=True) != passwords.hash_password("same password", fast=True)


def test_needs_rehash_when_parameters_differ():
    fast = passwords.hash_password("blue kettle morning", fast=True)
    assert not passwords.needs_rehash(fast, fast=True)
    assert passwords.needs_rehash(fast, fast=False)
    assert passwords.needs_rehash("not a hash", fast=True)


def test_burn_time_runs_without_a_hash(monkeypatch):
    """With no stored hash (an unknown e-mail), burn_time still runs one real Argon2id verify, with the same
    hasher a login would use, so the answer takes as long as for a wrong password."""
    verified = []
    real_verify = passwords.verify_password

    def spy(password_hash, candidate, *, fast=None):
        result = real_verify(password_hash, candidate, fast=fast)
        verified.append((password_hash, candidate, fast, result))
        return result

    monkeypatch.setattr(passwords, "verify_password", spy)
    for fast in (True, False):
        for password in ("whatever", None):
            verified.clear()
            assert passwords.burn_time(password, fast=fast) is None
            [(dummy, candidate, used_fast, result)] = verified  # exactly one verify
            assert candidate == (password or "") and used_fast is fast and result is False
            assert dummy.startswith("$argon2id$")
            assert not passwords.needs_rehash(dummy, fast=fast)  # the parameters a real login verifies with
            assert passwords.needs_rehash(dummy, fast=not fast)


@pytest.mark.parametrize("password, email, reason", [
    ("", "", "at least 10"),
    ("nine char", "", "at least 10"),
    ("x" * 201, "", "at most"),
    ("abababababab", "", "same few characters"),
    ("Password123", "", "most common"),
    ("QWERTYUIOP", "", "most common"),
    ("pat.lee@example.com", "Pat.Lee@example.com", "email address"),
    ("patricklee1", "patricklee1@example.com", "email address"),
])
def test_policy_refuses(password, email, reason):
    assert reason in passwords.password_problem(password, email)


@pytest.mark.parametrize("password", ["blue kettle morning", "correcthorse", "Tr1gger-point!", "ñandú ñandú ñ"])
def test_policy_accepts_humane_passwords(password):
    assert passwords.password_problem(password, "pat@example.com") is None

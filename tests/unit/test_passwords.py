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


def test_burn_time_runs_without_a_hash():
    passwords.burn_time("whatever", fast=True)


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

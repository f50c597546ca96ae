"""Signed links: reset tokens are single-use and expire after an hour; verification tokens after 3 days."""

import time
from types import SimpleNamespace

import pytest

from shop.accounts import tokens

KEY = "unit-test-secret-key"


def _user(**changes):
    values = {"id": 7, "email": "pat@example.com", "password_hash": "$argon2id$v=19$m=8,t=1,p=1$salt$hash"}
    values.update(changes)
    return SimpleNamespace(**values)


def test_reset_token_round_trip():
    user = _user()
    payload = tokens.read_reset_token(tokens.make_reset_token(user, secret_key=KEY), secret_key=KEY)
    assert payload["id"] == 7
    assert tokens.reset_token_fits(payload, user, secret_key=KEY)
    assert user.password_hash not in str(payload)


def test_reset_token_stops_fitting_once_the_password_changes():
    token = tokens.make_reset_token(_user(), secret_key=KEY)
    payload = tokens.read_reset_token(token, secret_key=KEY)
    assert not tokens.reset_token_fits(payload, _user(password_hash="$argon2id$new"), secret_key=KEY)
    assert not tokens.reset_token_fits(payload, _user(id=8), secret_key=KEY)
    assert not tokens.reset_token_fits(payload, None, secret_key=KEY)


def test_reset_token_expires_after_an_hour(monkeypatch):
    token = tokens.make_reset_token(_user(), secret_key=KEY)
    now = time.time()
    monkeypatch.setattr(tokens, "clock", lambda: now + tokens.RESET_MAX_AGE - 60)
    tokens.read_reset_token(token, secret_key=KEY)
    monkeypatch.setattr(tokens, "clock", lambda: now + tokens.RESET_MAX_AGE + 60)
    with pytest.raises(tokens.TokenExpired):
        tokens.read_reset_token(token, secret_key=KEY)


def test_tampered_or_foreign_tokens_are_invalid():
    token = tokens.make_reset_token(_user(), secret_key=KEY)
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_reset_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), secret_key=KEY)
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_reset_token(token, secret_key="another key")
    with pytest.raises(tokens.TokenInvalid):  # a verification token is no reset token (different salt)
        tokens.read_reset_token(tokens.make_verify_token(_user(), secret_key=KEY), secret_key=KEY)


def test_verify_token_round_trip_and_expiry(monkeypatch):
    token = tokens.make_verify_token(_user(), secret_key=KEY)
    payload = tokens.read_verify_token(token, secret_key=KEY)
    assert tokens.verify_token_fits(payload, _user())
    assert not tokens.verify_token_fits(payload, _user(email="other@example.com"))
    now = time.time()
    monkeypatch.setattr(tokens, "clock", lambda: now + tokens.VERIFY_MAX_AGE + 60)
    with pytest.raises(tokens.TokenExpired):
        tokens.read_verify_token(token, secret_key=KEY)

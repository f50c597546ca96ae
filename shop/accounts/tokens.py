"""Signed, expiring links: password reset (single use) and e-mail verification.

A reset token carries the user's id and a fingerprint of the current password hash. Setting a new
password changes the hash (a new random salt every time), so a used token no longer fits: tokens
are single-use without storing them. The fingerprint is an HMAC with the secret key, so the token
(signed, not encrypted) reveals nothing about the hash.
"""

import hashlib
import hmac
import time
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

RESET_SALT = "password-reset"
VERIFY_SALT = "verify-email"
RESET_MAX_AGE = 60 * 60  # 1 hour
VERIFY_MAX_AGE = 3 * 24 * 60 * 60  # 3 days


class TokenInvalid(Exception):
    """A token that was tampered with, is for something else, or was already used."""


class TokenExpired(TokenInvalid):
    """A genuine token that is too old."""


def clock() -> float:
    """Seconds since the epoch; tests replace it to move time forward."""
    return time.time()


class _Signer(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock())


class _Serializer(URLSafeTimedSerializer):
    default_signer = _Signer


def _serializer(salt: str, secret_key: str | None = None) -> URLSafeTimedSerializer:
    return _Serializer(secret_key or current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str, max_age: int, secret_key: str | None) -> dict[str, Any]:
    try:
        payload = _serializer(salt, secret_key).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenExpired("expired") from error
    except BadSignature as error:
        raise TokenInvalid("bad signature") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        raise TokenInvalid("bad payload")
    return payload


def password_fingerprint(password_hash: str | None, secret_key: str | None = None) -> str:
    key = (secret_key or current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, (password_hash or "").encode(), hashlib.sha256).hexdigest()[:24]


def make_reset_token(user: Any, *, secret_key: str | None = None) -> str:
    payload = {"id": user.id, "fp": password_fingerprint(user.password_hash, secret_key)}
    return _serializer(RESET_SALT, secret_key).dumps(payload)


def read_reset_token(token: str, *, max_age: int = RESET_MAX_AGE, secret_key: str | None = None) -> dict[str, Any]:
    """The payload {"id", "fp"}; raises TokenExpired or TokenInvalid."""
    payload = _load(RESET_SALT, token, max_age, secret_key)
    if not isinstance(payload.get("fp"), str):
        raise TokenInvalid("bad payload")
    return payload


def reset_token_fits(payload: dict[str, Any], user: Any, *, secret_key: str | None = None) -> bool:
    """True when the token was made for this user's current password (so not used yet)."""
    if user is None or user.id != payload["id"]:
        return False
    return hmac.compare_digest(payload["fp"], password_fingerprint(user.password_hash, secret_key))


def make_verify_token(user: Any, *, secret_key: str | None = None) -> str:
    return _serializer(VERIFY_SALT, secret_key).dumps({"id": user.id, "email": user.email})


def read_verify_token(token: str, *, max_age: int = VERIFY_MAX_AGE, secret_key: str | None = None) -> dict[str, Any]:
    """The payload {"id", "email"}; raises TokenExpired or TokenInvalid."""
    payload = _load(VERIFY_SALT, token, max_age, secret_key)
    if not isinstance(payload.get("email"), str):
        raise TokenInvalid("bad payload")
    return payload


def verify_token_fits(payload: dict[str, Any], user: Any) -> bool:
    """True when the token was made for this user and the address the account still has."""
    return user is not None and user.id == payload["id"] and user.email == payload["email"]

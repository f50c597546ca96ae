"""Two-factor sign-in: a TOTP authenticator app (RFC 6238, via pyotp) and ten single-use recovery codes.

Setting up: `begin_setup` gives the account a new secret (not yet on), the page shows it as a QR code
(`qr_data_uri`, an SVG data URI: the content-security policy allows images from `data:`) and as text;
`confirm_setup` with a code from the app turns it on and returns the recovery codes, shown once (only
their SHA-256 hashes are kept: each is 60 random bits, so a hash cannot be reversed by guessing).

A code is accepted within one 30-second step either side of now, and a time step once only: the last
accepted step is kept and moved forward with a conditional UPDATE, so the same code (or an older one)
cannot be replayed, even by two requests at once.

Logging in: the password page calls `start_login`, which keeps only a "second step pending" marker in
the session (user id, session version, expiry); `finish_login` checks the code. Failures count per
account (TWO_FACTOR_PER_USER, never cleared by a right password) and against the login limits per
e-mail and per IP, so codes cannot be guessed. Admins can require it for staff (`setup_needed`).
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pyotp
import segno
from flask import session
from sqlalchemy import update

from shop.accounts import passwords, ratelimit, sessions
from shop.accounts.models import User
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.settings import get_setting
from shop.core.text import is_whole_number
from shop.core.timeutil import utcnow
from shop.extensions import db

ISSUER = "Soft Tissue Release"
PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300  # the second step must follow the password within five minutes
WINDOW = 1  # time steps accepted either side of now (a clock a little fast or slow)
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read off paper
TWO_FACTOR_PER_USER = ratelimit.Limit("2fa-user", 5, timedelta(minutes=15))  # wrong codes per account

SETUP_WRONG_CODE = "That code is not right. Enter the 6-digit code your app shows now."
WRONG_CODE = "That code is not right. Enter the 6-digit code your app shows now, or one of your recovery codes."
TOO_MANY = "Too many wrong codes or passwords. Wait 15 minutes and try again."
EXPIRED = "Your sign-in has expired. Log in again with your email and password."


class TwoFactorError(Refusal):
    status = 422


class SecondStepExpired(TwoFactorError):
    status = 400


class TooManyCodes(TwoFactorError):
    status = 429


@dataclass(frozen=True)
class PendingLogin:
    user: User
    remember: bool
    next_url: str | None


# ---- state -----------------------------------------------------------------------------------

def is_enabled(user: Any) -> bool:
    return bool(getattr(user, "totp_enabled_at", None) and getattr(user, "totp_secret", None))


def required_for(user: Any) -> bool:
    """Whether the shop's setting makes this account use two-factor sign-in (staff, marketing, admins)."""
    return bool(getattr(user, "is_staff", False)) and bool(get_setting("REQUIRE_STAFF_TWO_FACTOR"))


def setup_needed(user: Any) -> bool:
    """A staff account that must set up two-factor sign-in before it opens the back office."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_staff and not is_enabled(user) \
        and required_for(user)


def recovery_codes_left(user: User) -> int:
    return len(_hashes(user))


# ---- setting up and turning off --------------------------------------------------------------

def begin_setup(user: User) -> str:
    """A new secret for the account (not on until confirmed). Commits; returns the secret."""
    if is_enabled(user):
        raise TwoFactorError("Two-factor sign-in is already on for this account.", status=409)
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    db.session.commit()
    return user.totp_secret


def pending_secret(user: User) -> str | None:
    """The secret being set up (None when there is none, or two-factor sign-in is already on)."""
    return None if is_enabled(user) else user.totp_secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The otpauth:// URI as a QR code, an SVG data URI for an <img> (no script needed)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def confirm_setup(user: User, code: str, now: float | None = None) -> list[str]:
    """Turn two-factor sign-in on with a first code from the app. Returns the recovery codes (shown once).
    Commits; TwoFactorError if there is nothing to confirm or the code is wrong."""
    secret = pending_secret(user)
    if not secret:
        raise TwoFactorError("Start setting up two-factor sign-in again: there is nothing to confirm.", status=409)
    step = _matching_step(secret, code, now)
    if step is None:
        raise TwoFactorError(SETUP_WRONG_CODE, field="code")
    codes = _new_recovery_codes(user)
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    audit.record("two-factor on", "user", user.id, user.email, actor=user)
    db.session.commit()
    return codes


def regenerate_recovery_codes(user: User, code: str, now: float | None = None) -> list[str]:
    """Ten new recovery codes (the old ones stop working), given a code. Commits."""
    if not is_enabled(user):
        raise TwoFactorError("Two-factor sign-in is not on for this account.", status=409)
    if not verify(user, code, now):
        db.session.commit()
        raise TwoFactorError(WRONG_CODE, field="code")
    codes = _new_recovery_codes(user)
    audit.record("recovery codes renewed", "user", user.id, user.email, actor=user)
    db.session.commit()
    return codes


def disable(user: User, password: str, code: str, now: float | None = None) -> None:
    """Turn two-factor sign-in off, given the password and a code (or a recovery code). Commits."""
    if not is_enabled(user):
        raise TwoFactorError("Two-factor sign-in is not on for this account.", status=409)
    if ratelimit.exceeded(ratelimit.LOGIN_PER_EMAIL, user.email):
        raise TooManyCodes(TOO_MANY)
    if not passwords.verify_password(user.password_hash, password or ""):
        ratelimit.hit(ratelimit.LOGIN_PER_EMAIL, user.email)
        db.session.commit()
        raise TwoFactorError("That is not your current password.", field="password", status=403)
    if not verify(user, code, now):
        db.session.commit()  # a recovery code or time step used meanwhile stays used
        raise TwoFactorError(WRONG_CODE, field="code", status=403)
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = user.recovery_code_hashes = None
    audit.record("two-factor off", "user", user.id, user.email, actor=user)
    db.session.commit()


# ---- checking a code -------------------------------------------------------------------------

def verify(user: User, code: str, now: float | None = None) -> bool:
    """Whether `code` is a current TOTP code not used before, or an unused recovery code (used up now).
    Not committed."""
    if not is_enabled(user):
        return False
    text = "".join((code or "").split()).replace("-", "").lower()[:40]
    if is_whole_number(text):
        step = _matching_step(user.totp_secret, text, now)
        return step is not None and _take_step(user, step)
    return _use_recovery_code(user, text)


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    code = "".join((code or "").split())
    if len(code) != 6 or not is_whole_number(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _take_step(user: User, step: int) -> bool:
    """Move the account's last accepted step to `step` if it is later (atomically): False for a replay."""
    result = db.session.execute(
        update(User).where(User.id == user.id, (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    user.totp_last_step = step
    return True


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _hashes(user: User) -> list[str]:
    return [line for line in (user.recovery_code_hashes or "").split("\n") if line]


def _new_recovery_codes(user: User) -> list[str]:
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12)) for _ in range(RECOVERY_CODES)]
    user.recovery_code_hashes = "\n".join(_hash(code) for code in codes)
    return [f"{code[:4]}-{code[4:8]}-{code[8:]}" for code in codes]


def _use_recovery_code(user: User, text: str) -> bool:
    """Strike a recovery code off (a conditional UPDATE on the list as read: used once, even in a race)."""
    if len(text) != 12:
        return False
    digest, stored = _hash(text), user.recovery_code_hashes or ""
    hashes = _hashes(user)
    if not any(hmac.compare_digest(digest, known) for known in hashes):
        return False
    left = "\n".join(known for known in hashes if known != digest)
    result = db.session.execute(
        update(User).where(User.id == user.id, User.recovery_code_hashes == stored)
        .values(recovery_code_hashes=left).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    user.recovery_code_hashes = left
    audit.record("recovery code used", "user", user.id, f"{len(_hashes(user))} left", actor=user)
    return True


# ---- the login's second step -----------------------------------------------------------------

def start_login(user: User, *, remember: bool, next_url: str | None) -> None:
    """The password was right: a fresh session holding only the pending second step (no one logged in)."""
    sessions.fresh()
    session[PENDING_KEY] = {"user": user.id, "version": user.session_version, "remember": bool(remember),
                            "next": next_url or "", "until": int(time.time()) + PENDING_SECONDS}


def pending_login(now: float | None = None) -> PendingLogin | None:
    """The login waiting for its code, if it has not expired and the account is as it was."""
    marker = session.get(PENDING_KEY)
    if not isinstance(marker, dict):
        return None
    try:
        user_id, version, until = int(marker["user"]), int(marker["version"]), int(marker["until"])
    except (KeyError, TypeError, ValueError):
        return None
    if until < (time.time() if now is None else now):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.session_version != version or not is_enabled(user):
        return None
    return PendingLogin(user, bool(marker.get("remember")), marker.get("next") or None)


def cancel_login() -> None:
    session.pop(PENDING_KEY, None)


def finish_login(code: str, ip: str | None, now: float | None = None) -> PendingLogin:
    """Check the second step's code. Returns the pending login (the caller logs the user in), or raises
    SecondStepExpired, TooManyCodes or TwoFactorError. Commits what it counts."""
    pending = pending_login(now)
    if pending is None:
        cancel_login()
        raise SecondStepExpired(EXPIRED)
    user = pending.user
    if ratelimit.exceeded(TWO_FACTOR_PER_USER, user.id) or ratelimit.exceeded(ratelimit.LOGIN_PER_EMAIL, user.email) \
            or (ip and ratelimit.exceeded(ratelimit.LOGIN_PER_IP, ip)):
        raise TooManyCodes(TOO_MANY)
    if not verify(user, code, now):
        ratelimit.hit(TWO_FACTOR_PER_USER, user.id)
        ratelimit.hit(ratelimit.LOGIN_PER_EMAIL, user.email)
        if ip:
            ratelimit.hit(ratelimit.LOGIN_PER_IP, ip)
        audit.record("two-factor code refused", "user", user.id, user.email, actor=user)
        db.session.commit()
        raise TwoFactorError(WRONG_CODE, field="code")
    ratelimit.clear(TWO_FACTOR_PER_USER.kind, user.id)
    ratelimit.clear(ratelimit.LOGIN_PER_EMAIL.kind, user.email)
    cancel_login()
    db.session.commit()
    return pending

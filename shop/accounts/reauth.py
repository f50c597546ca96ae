"""Asking for the password again before a sensitive action (a large refund, a role change).

A password given in the last FRESH_SECONDS counts: logging in marks the session (`mark`), and so does
a password typed on the action's form (`require`). The mark names the account and its session
version, so it means nothing to another account or after the sessions were ended. Wrong passwords
count against the login limit for the account's e-mail, and every check is audited.
"""

import time
from typing import Any

from flask import session

from shop.accounts import passwords, ratelimit
from shop.core import audit
from shop.core.errors import Refusal
from shop.extensions import db

KEY = "reauth"
FRESH_SECONDS = 300
FIELD = "reauth_password"

NEEDED_MESSAGE = "Enter your password to confirm this {purpose}."
WRONG_MESSAGE = "That is not your password, so nothing was changed."
LOCKED = "Too many wrong passwords. Wait 15 minutes and try again."


class ReauthRefused(Refusal):
    """The action needs the password again and it was not given, or was wrong (403), or too often (429)."""

    status = 403


def mark(user: Any, now: float | None = None) -> None:
    """The user has just given their password (at login, or on a form)."""
    session[KEY] = {"user": user.get_id(), "at": int(time.time() if now is None else now)}


def is_fresh(user: Any, now: float | None = None) -> bool:
    """Whether this session's user gave their password within the last FRESH_SECONDS."""
    marker = session.get(KEY)
    if not isinstance(marker, dict) or user is None or not getattr(user, "is_authenticated", False):
        return False
    try:
        at = int(marker.get("at"))
    except (TypeError, ValueError):
        return False
    now = time.time() if now is None else now
    return marker.get("user") == user.get_id() and now - FRESH_SECONDS <= at <= now + 5


def require(user: Any, password: str | None, purpose: str) -> None:
    """Return if the password is fresh or `password` is right (marking the session); else ReauthRefused.

    `purpose` names the action for the message and the audit log ("refund over the staff limit").
    Commits the audit entry and the attempt counted.
    """
    if is_fresh(user):
        return
    if not password:
        raise ReauthRefused(NEEDED_MESSAGE.format(purpose=purpose), field=FIELD)
    if ratelimit.exceeded(ratelimit.LOGIN_PER_EMAIL, user.email):
        raise ReauthRefused(LOCKED, field=FIELD, status=429)
    if not passwords.verify_password(user.password_hash, password[:1000]):
        ratelimit.hit(ratelimit.LOGIN_PER_EMAIL, user.email)
        audit.record("password check failed", "user", user.id, f"For a {purpose}.", actor=user)
        db.session.commit()
        raise ReauthRefused(WRONG_MESSAGE, field=FIELD)
    mark(user)
    audit.record("password confirmed", "user", user.id, f"For a {purpose}.", actor=user)
    db.session.commit()

"""Rate limits counted in the database (AuthAttempt rows), so every worker process sees the same counts.

`too_many(kind, key, limit, window)` asks whether `limit` attempts of `kind` by `key` (an e-mail or
an IP address) fall inside the last `window`; `record(kind, key)` adds one (to the session: the
caller commits). The shop's limits are the `Limit` constants below.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from shop.accounts.models import AuthAttempt
from shop.core.timeutil import utcnow
from shop.extensions import db

KEY_MAX = 300  # the column's length


@dataclass(frozen=True)
class Limit:
    kind: str
    limit: int
    window: timedelta


LOGIN_PER_EMAIL = Limit("login-email", 5, timedelta(minutes=15))  # failed logins
LOGIN_PER_IP = Limit("login-ip", 30, timedelta(minutes=15))  # failed logins
RESET_PER_EMAIL = Limit("reset-email", 3, timedelta(hours=1))  # reset requests
RESET_PER_IP = Limit("reset-ip", 20, timedelta(hours=1))  # reset requests
REGISTER_PER_IP = Limit("register-ip", 10, timedelta(hours=1))  # accounts created
VERIFY_RESEND_PER_USER = Limit("verify-resend", 3, timedelta(hours=1))  # verification e-mails sent again


def _key(key):
    return str(key or "").strip().lower()[:KEY_MAX]


def _window(window):
    return window if isinstance(window, timedelta) else timedelta(seconds=window)


def count(kind, key, window, now=None):
    since = (now or utcnow()) - _window(window)
    statement = select(func.count(AuthAttempt.id)).where(
        AuthAttempt.kind == kind, AuthAttempt.key == _key(key), AuthAttempt.created_at > since
    )
    return db.session.scalar(statement)


def too_many(kind, key, limit, window, now=None):
    """True when `key` already made `limit` attempts of `kind` within `window` (timedelta or seconds)."""
    return count(kind, key, window, now) >= limit


def record(kind, key, now=None):
    db.session.add(AuthAttempt(kind=kind, key=_key(key), created_at=now or utcnow()))


def clear(kind, key):
    db.session.execute(delete(AuthAttempt).where(AuthAttempt.kind == kind, AuthAttempt.key == _key(key)))


def exceeded(rule, key, now=None):
    return too_many(rule.kind, key, rule.limit, rule.window, now)


def hit(rule, key, now=None):
    record(rule.kind, key, now)


def prune(older_than=timedelta(days=1), now=None):
    """Delete attempts older than every window (for a periodic CLI job). Returns how many went."""
    result = db.session.execute(delete(AuthAttempt).where(AuthAttempt.created_at < (now or utcnow()) - older_than))
    return result.rowcount

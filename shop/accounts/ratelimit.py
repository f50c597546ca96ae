"""Rate limits counted in the database (AuthAttempt rows), so every worker process sees the same counts.

`too_many(kind, key, limit, window)` asks whether `limit` attempts of `kind` by `key` (an e-mail or
an IP address) fall inside the last `window`; `record(kind, key)` adds one (to the session: the
caller commits). The shop's limits are the `Limit` constants below.
"""

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_request_context, request
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
# card payments tried at checkout or on a payment link, per hour (card testers try hundreds of stolen
# numbers): CARD_ATTEMPTS_PER_IP and CARD_ATTEMPTS_PER_VISITOR (one checkout, or one payment link)
CARD_REFUSED = ("Too many card payments were tried from here in the last hour. Please wait, or call us to "
                "pay by phone.")


def card_attempt_refused(visitor: str) -> bool:
    """Count one card payment tried by this visitor (and their address); True when over either limit."""
    per_ip = Limit("card-ip", current_app.config["CARD_ATTEMPTS_PER_IP"], timedelta(hours=1))
    per_visitor = Limit("card-visitor", current_app.config["CARD_ATTEMPTS_PER_VISITOR"], timedelta(hours=1))
    address = client_address()
    if exceeded(per_ip, address) or (visitor and exceeded(per_visitor, visitor)):
        return True
    hit(per_ip, address)
    if visitor:
        hit(per_visitor, visitor)
    db.session.commit()
    return False


def client_address(address: str | None = None) -> str:
    """Whom an address-based limit counts: the request's client (behind PROXY_FIX_HOPS proxies, the
    address they forwarded), an IPv6 client by its /64 network, since one home or phone holds a whole /64."""
    address = (address if address is not None else (request.remote_addr if has_request_context() else "")) or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:KEY_MAX]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _key(key: object) -> str:
    return str(key or "").strip().lower()[:KEY_MAX]


def _window(window: timedelta | float) -> timedelta:
    return window if isinstance(window, timedelta) else timedelta(seconds=window)


def count(kind: str, key: object, window: timedelta | float, now: datetime | None = None) -> int:
    since = (now or utcnow()) - _window(window)
    statement = select(func.count(AuthAttempt.id)).where(
        AuthAttempt.kind == kind, AuthAttempt.key == _key(key), AuthAttempt.created_at > since
    )
    return db.session.scalar(statement)


def too_many(kind: str, key: object, limit: int, window: timedelta | float, now: datetime | None = None) -> bool:
    """True when `key` already made `limit` attempts of `kind` within `window` (timedelta or seconds)."""
    return count(kind, key, window, now) >= limit


def record(kind: str, key: object, now: datetime | None = None) -> None:
    db.session.add(AuthAttempt(kind=kind, key=_key(key), created_at=now or utcnow()))


def clear(kind: str, key: object) -> None:
    db.session.execute(delete(AuthAttempt).where(AuthAttempt.kind == kind, AuthAttempt.key == _key(key)))


def exceeded(rule: Limit, key: object, now: datetime | None = None) -> bool:
    return too_many(rule.kind, key, rule.limit, rule.window, now)


def hit(rule: Limit, key: object, now: datetime | None = None) -> None:
    record(rule.kind, key, now)


def prune(older_than: timedelta = timedelta(days=1), now: datetime | None = None) -> int:
    """Delete attempts older than every window (for a periodic CLI job). Returns how many went."""
    result = db.session.execute(delete(AuthAttempt).where(AuthAttempt.created_at < (now or utcnow()) - older_than))
    return result.rowcount

"""Rate limits counted where every app server sees the same counts: the database (AuthAttempt rows), or Redis
when REDIS_URL is set.

`too_many(kind, key, limit, window)` asks whether `limit` attempts of `kind` by `key` (an e-mail or
an IP address) fall inside the last `window`; `record(kind, key)` adds one (in the database, to the session:
the caller commits; in Redis at once). The shop's limits are the `Limit` constants below.

In Redis each (kind, key) is a sorted set of attempts scored by their time, under REDIS_PREFIX, that expires
by itself a day after its last attempt. While Redis cannot be reached the limits are counted in the database
(logged), so they still hold and no request fails for it.
"""

import functools
import ipaddress
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import redis
from flask import current_app, has_request_context, request
from sqlalchemy import delete, func, select

from shop.accounts.models import AuthAttempt
from shop.core.timeutil import utcnow
from shop.extensions import db

log = logging.getLogger(__name__)

KEY_MAX = 300  # the column's length
KEPT = timedelta(days=1)  # longer than every window: older attempts are pruned (or expire in Redis)


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
    client = _redis()
    if client is not None:
        try:
            return client.zcount(_redis_key(kind, key), f"({_score(since)}", "+inf")
        except redis.RedisError as error:
            _redis_failed(error)
    statement = select(func.count(AuthAttempt.id)).where(
        AuthAttempt.kind == kind, AuthAttempt.key == _key(key), AuthAttempt.created_at > since
    )
    return db.session.scalar(statement)


def too_many(kind: str, key: object, limit: int, window: timedelta | float, now: datetime | None = None) -> bool:
    """True when `key` already made `limit` attempts of `kind` within `window` (timedelta or seconds)."""
    return count(kind, key, window, now) >= limit


def record(kind: str, key: object, now: datetime | None = None) -> None:
    at = now or utcnow()
    client = _redis()
    if client is not None:
        name, score = _redis_key(kind, key), _score(at)
        try:
            pipe = client.pipeline(transaction=False)
            pipe.zadd(name, {f"{score}:{secrets.token_hex(6)}": score})
            pipe.zremrangebyscore(name, "-inf", _score(utcnow() - KEPT))
            pipe.expire(name, int(KEPT.total_seconds()))
            pipe.execute()
            return
        except redis.RedisError as error:
            _redis_failed(error)
    db.session.add(AuthAttempt(kind=kind, key=_key(key), created_at=at))


def clear(kind: str, key: object) -> None:
    client = _redis()
    if client is not None:
        try:
            client.delete(_redis_key(kind, key))
        except redis.RedisError as error:
            _redis_failed(error)
    db.session.execute(delete(AuthAttempt).where(AuthAttempt.kind == kind, AuthAttempt.key == _key(key)))


def exceeded(rule: Limit, key: object, now: datetime | None = None) -> bool:
    return too_many(rule.kind, key, rule.limit, rule.window, now)


def hit(rule: Limit, key: object, now: datetime | None = None) -> None:
    record(rule.kind, key, now)


def prune(older_than: timedelta = KEPT, now: datetime | None = None) -> int:
    """Delete attempts older than every window (for a periodic CLI job). Returns how many went (Redis's attempts
    expire by themselves)."""
    result = db.session.execute(delete(AuthAttempt).where(AuthAttempt.created_at < (now or utcnow()) - older_than))
    return result.rowcount


def _redis() -> redis.Redis | None:
    url = current_app.config.get("REDIS_URL") or ""
    return _redis_client(url) if url else None


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    """One connection pool per process and URL; a Redis that does not answer fails a call within a second."""
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _redis_key(kind: str, key: object) -> str:
    return f"{current_app.config.get('REDIS_PREFIX', 'shop:')}attempts:{kind}:{_key(key)}"


def _score(moment: datetime) -> float:
    return moment.replace(tzinfo=UTC).timestamp()


def _redis_failed(error: Exception) -> None:
    log.error("Redis unavailable (%s): rate limits counted in the database meanwhile", error)

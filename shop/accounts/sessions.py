"""What a session keeps across a login: the keys other domains ask to keep (the guest cart), nothing else.

Logging in starts a fresh session, so nothing a visitor planted before (a fixed session, stale flags)
survives; a domain that must carry something over registers its key here (`keep_at_login`).
"""

import time

from flask import current_app, flash, session
from flask_login import current_user, logout_user

_kept: set[str] = set()
SEEN_KEY = "seen"  # when this session last made a request (staff sessions end after a while idle)


def keep_at_login(key: str) -> None:
    _kept.add(key)


def fresh() -> None:
    """Empty the session but for the kept keys (call before logging a user in)."""
    kept = {key: session[key] for key in _kept if key in session}
    session.clear()
    session.update(kept)


def expire_idle() -> None:
    """A staff session unused for STAFF_IDLE_HOURS ends now (a customer's lasts as its cookie does).
    Runs before every request's role checks (shop.accounts.access.install)."""
    if not current_user.is_authenticated:
        return
    now, seen = int(time.time()), session.get(SEEN_KEY)
    if current_user.is_staff and seen and now - seen > current_app.config["STAFF_IDLE_HOURS"] * 3600:
        logout_user()
        session.clear()
        flash("You were logged out after a long time without activity. Log in again.", "info")
        return
    if not seen or now - seen > 300:  # written at most every five minutes
        session[SEEN_KEY] = now

"""A first-time visitor's pages carry no session and no CSRF token; their first form is checked by its origin.

A storefront page served to someone with no session would otherwise need a new session, a new random token
and a signed cookie, on every first visit (every crawler request, every visitor from a search engine): most
of what a cached page costs. So the token fragment is empty for a visitor who has no session yet, and the
few forms such a page holds (`first_visit_form`: Add to cart) are accepted without a token when, and only
when, the request carries no session or remember cookie at all, and the browser says it comes from this
site: `Sec-Fetch-Site: same-origin` when it is sent, and an `Origin` (or, failing that, a `Referer`) that is
the shop's own. A browser sets those headers itself; no page of another site can forge them, and a
request without a session has no account, cart or order of anyone's to act on. Every other POST, and every
POST from a visitor who has a session, needs its token as before (shop.extensions.csrf).
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request, session

from shop.extensions import csrf

_endpoints: set[str] = set()


def first_visit_form(endpoint: str) -> Callable[[Any], Any]:
    """Mark a view (named `endpoint`) whose form a visitor without a session may post, checked by origin."""

    def mark(view: Any) -> Any:
        _endpoints.add(endpoint)
        return csrf.exempt(view)  # checked in _check_origin_or_token below instead

    return mark


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def has_session() -> bool:
    """Whether this browser already holds a session (or a remembered login)."""
    cookies = request.cookies
    return bool(session) or current_app.config["SESSION_COOKIE_NAME"] in cookies \
        or current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies


def from_this_site() -> bool:
    """The browser says the request was made by one of the shop's own pages."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    said = _origin(request.headers.get("Origin")) or _origin(request.headers.get("Referer"))
    own = {_origin(request.host_url), _origin(current_app.config.get("PUBLIC_BASE_URL"))}
    return said is not None and said in own


def init_app(app: Flask) -> None:
    @app.before_request
    def _check_origin_or_token() -> None:
        if request.method != "POST" or request.endpoint not in _endpoints:
            return
        if not has_session() and from_this_site():
            g.csrf_valid = True  # the forms' own token check stands down, as after CSRFProtect's check
            return
        csrf.protect()  # a visitor with a session, or a request from elsewhere: the token as everywhere

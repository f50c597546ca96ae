"""A per-process cache of rendered storefront pages.

Storefront pages are the same for every visitor but for a few small per-visitor fragments (the
header's account links, later the cart count and form tokens). Pages are rendered once with
markers where those fragments go, kept in memory under the request's path and arguments, and
finished per request by replacing the markers.

A cached page is dropped when the storefront stamp changes (shop.core.stamp: a product, its stock, a
category or a promotion was edited anywhere). Entries also expire after MAX_AGE seconds so that
time-dependent content (schedules) never lingers.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask, Response, current_app
from flask_login import current_user

from shop.core import stamp

MAX_ENTRIES = 2000
MAX_AGE = 60.0
MARKER = "\x00fragment:{}\x00"

_fragments = {}
_lock = threading.Lock()
_entries = OrderedDict()


def fragment(name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Register a function that renders a per-request fragment; templates output marker(name)."""

    def register(func):
        _fragments[name] = func
        return func

    return register


def marker(name: str) -> str:
    return MARKER.format(name)


def personalise(html: str) -> str:
    for name, render in _fragments.items():
        token = marker(name)
        if token in html:
            html = html.replace(token, render())
    return html


def clear() -> None:
    with _lock:
        _entries.clear()
    stamp.forget()


def cached_page(key: Hashable, render: Callable[[], str]) -> str:
    """The page for key, rendered by render() when missing or stale (fragments are filled in later).

    Only pages for anonymous visitors are shared: a logged-in customer's page can say which
    courses they own, so it is rendered for them alone.
    """
    if not current_app.config["PAGE_CACHE"] or current_user.is_authenticated:
        return render()
    current = stamp.current()
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
        if entry and entry[0] == current and now - entry[1] < MAX_AGE:
            _entries.move_to_end(key)
            return entry[2]
    html = render()
    with _lock:
        _entries[key] = (current, now, html)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return html


def init_app(app: Flask) -> None:
    """Every HTML response, cached or not, gets its per-visitor fragments filled in."""

    @app.after_request
    def _fill_fragments(response: Response) -> Response:
        if response.mimetype == "text/html" and not response.direct_passthrough:
            html = response.get_data(as_text=True)
            if "\x00fragment:" in html:
                response.set_data(personalise(html))
        return response

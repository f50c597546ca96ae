"""A per-process cache of rendered storefront pages, shared by every visitor, signed in or not.

Storefront pages are the same for every visitor but for a few small per-visitor parts: fragments (the
header's account links, the cart count, form tokens, flashed messages) and choices between two
renderings (a course's buy box says "You own this course" to its owner, and offers it to everyone
else). Pages are rendered once with markers where those parts go, kept in memory under the request's
path and arguments, and finished per request by replacing the markers.

A cached page is dropped when the storefront stamp changes (shop.core.stamp: a product, its stock, a
category or a promotion was edited anywhere). Entries also expire after MAX_AGE seconds so that
time-dependent content (schedules) never lingers.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, Response, current_app
from markupsafe import Markup

from shop.core import stamp

MAX_ENTRIES = 2000
MAX_BYTES = 64 * 1024 * 1024  # of page text kept per process, whatever the number of pages
MAX_AGE = 60.0
MARKER = "\x00fragment:{}\x00"
CHOICE, OR, END = "\x00choice:", "\x00or\x00", "\x00end\x00"  # CHOICE name:argument \x00 yes OR no END

_fragments = {}
_conditions: dict[str, Callable[[str], bool]] = {}
_lock = threading.Lock()
_entries = OrderedDict()
_bytes = 0


def fragment(name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Register a function that renders a per-request fragment; templates output marker(name)."""

    def register(func):
        _fragments[name] = func
        return func

    return register


def marker(name: str) -> str:
    return MARKER.format(name)


def condition(name: str) -> Callable[[Callable[[str], bool]], Callable[[str], bool]]:
    """Register a per-request test, condition(argument) -> bool, that a choice() marker asks."""

    def register(func):
        _conditions[name] = func
        return func

    return register


def choice(name: str, argument: Any, if_true: str, if_false: str) -> Markup:
    """Both renderings of a per-visitor part; the visitor sees if_true when condition `name`(argument) holds."""
    argument = str(argument)
    if name not in _conditions or "\x00" in argument:
        raise ValueError(f"no page-cache condition {name!r}, or a NUL byte in its argument")
    return Markup(f"{CHOICE}{name}:{argument}\x00{if_true}{OR}{if_false}{END}")  # noqa: S704


def _choose(html: str) -> str:
    """The page with each choice replaced by the rendering its condition picks for this visitor."""
    parts, position = [], 0
    while (start := html.find(CHOICE, position)) >= 0:
        head_end = html.index("\x00", start + len(CHOICE))
        name, _, argument = html[start + len(CHOICE):head_end].partition(":")
        middle = html.index(OR, head_end)
        end = html.index(END, middle)
        chosen = html[head_end + 1:middle] if _conditions[name](argument) else html[middle + len(OR):end]
        parts += (html[position:start], chosen)
        position = end + len(END)
    parts.append(html[position:])
    return "".join(parts)


def personalise(html: str) -> str:
    if CHOICE in html:
        html = _choose(html)
    for _ in range(2):  # a fragment may hold another's marker (the account links hold the form token)
        for name, render in _fragments.items():
            token = marker(name)
            if token in html:
                html = html.replace(token, render())
        if "\x00fragment:" not in html:
            break
    return html


def clear() -> None:
    global _bytes
    with _lock:
        _entries.clear()
        _bytes = 0
    stamp.forget()


def size() -> tuple[int, int]:
    """(pages, bytes of page text) this process holds."""
    with _lock:
        return len(_entries), _bytes


def cached_page(key: Hashable, render: Callable[[], str]) -> str:
    """The page for key, rendered by render() when missing or stale (fragments and choices are filled in later).

    Pages are shared by every visitor: what differs between them is a fragment or a choice, never in the
    page itself. At most MAX_ENTRIES pages and MAX_BYTES of their text are kept, the least recently used
    dropped first.
    """
    global _bytes
    if not current_app.config["PAGE_CACHE"]:
        return render()
    current = stamp.current()
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
        if entry and entry[0] == current and now - entry[1] < MAX_AGE:
            _entries.move_to_end(key)
            return entry[2]
    html = render()
    cost = len(html)  # characters: a page is nearly all ASCII, so about its bytes
    with _lock:
        old = _entries.pop(key, None)
        if old is not None:
            _bytes -= len(old[2])
        _entries[key] = (current, now, html)
        _bytes += cost
        while _entries and (len(_entries) > MAX_ENTRIES or _bytes > MAX_BYTES):
            _bytes -= len(_entries.popitem(last=False)[1][2])
    return html


def init_app(app: Flask) -> None:
    """Every HTML response, cached or not, gets its per-visitor fragments and choices filled in."""

    @app.after_request
    def _fill_fragments(response: Response) -> Response:
        if response.mimetype == "text/html" and not response.direct_passthrough:
            html = response.get_data(as_text=True)
            if "\x00fragment:" in html or CHOICE in html:
                response.set_data(personalise(html))
        return response

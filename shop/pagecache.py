"""A per-process cache of rendered storefront pages.

Storefront pages are the same for every visitor but for a few small per-visitor fragments (the
header's account links, later the cart count and form tokens). Pages are rendered once with
markers where those fragments go, kept in memory under the request's path and arguments, and
finished per request by replacing the markers.

A cached page is dropped when the catalogue's stamp changes (a product, its stock or a category
was edited anywhere). A process reads the stamp at most every PAGE_CACHE_CHECK_SECONDS, and at
once after it committed a catalogue change itself. Entries also expire after MAX_AGE seconds so
that time-dependent content (schedules) never lingers.
"""

import threading
import time
from collections import OrderedDict

from flask import current_app
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from shop.extensions import db

MAX_ENTRIES = 2000
MAX_AGE = 60.0
MARKER = "\x00fragment:{}\x00"

_fragments = {}
_lock = threading.Lock()
_entries = OrderedDict()
_stamp = {"value": None, "checked": 0.0}


def fragment(name):
    """Register a function that renders a per-request fragment; templates output marker(name)."""

    def register(func):
        _fragments[name] = func
        return func

    return register


def marker(name):
    return MARKER.format(name)


def personalise(html):
    for name, render in _fragments.items():
        token = marker(name)
        if token in html:
            html = html.replace(token, render())
    return html


def catalogue_stamp():
    from shop.catalogue.models import catalogue_stamp_query

    now = time.monotonic()
    interval = current_app.config["PAGE_CACHE_CHECK_SECONDS"]
    if _stamp["value"] is None or now - _stamp["checked"] >= interval:
        _stamp["value"] = tuple(db.session.execute(catalogue_stamp_query()).one())
        _stamp["checked"] = now
    return _stamp["value"]


def forget_stamp():
    _stamp["checked"] = 0.0
    _stamp["value"] = None


def clear():
    with _lock:
        _entries.clear()
    forget_stamp()


def cached_page(key, render):
    """The page for key, rendered by render() when missing or stale (fragments are filled in later).

    Only pages for anonymous visitors are shared: a logged-in customer's page can say which
    courses they own, so it is rendered for them alone.
    """
    if not current_app.config["PAGE_CACHE"] or current_user.is_authenticated:
        return render()
    stamp = catalogue_stamp()
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
        if entry and entry[0] == stamp and now - entry[1] < MAX_AGE:
            _entries.move_to_end(key)
            return entry[2]
    html = render()
    with _lock:
        _entries[key] = (stamp, now, html)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return html


def init_app(app):
    """Every HTML response, cached or not, gets its per-visitor fragments filled in."""

    @app.after_request
    def _fill_fragments(response):
        if response.mimetype == "text/html" and not response.direct_passthrough:
            html = response.get_data(as_text=True)
            if "\x00fragment:" in html:
                response.set_data(personalise(html))
        return response


CATALOGUE_TABLES = {"products", "categories", "product_images", "combo_components", "product_categories"}


@event.listens_for(Session, "after_flush")
def _note_catalogue_change(session, flush_context):
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tablename__", None) in CATALOGUE_TABLES:
            session.info["catalogue_changed"] = True
            return


@event.listens_for(Session, "after_commit")
def _drop_stamp_after_catalogue_commit(session):
    if session.info.pop("catalogue_changed", False):
        forget_stamp()

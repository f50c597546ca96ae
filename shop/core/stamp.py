"""The storefront stamp: one cheap query whose answer changes whenever what the storefront shows changes.

Domains register what their part of the stamp is (`register`: a few aggregate columns, and the tables
whose rows they watch): the catalogue its products and categories, promotions theirs. Caches keyed on
the stamp (rendered pages, the search vocabulary, converted promotions) are dropped everywhere when it
changes. A process reads the stamp at most every PAGE_CACHE_CHECK_SECONDS, and at once after it
committed a change to a watched table itself (`mark_changed` says so for changes made with a bare
UPDATE statement, which the session does not see).
"""

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from shop.extensions import db

_parts: dict[str, Callable[[], Iterable[Any]]] = {}  # name: columns(), in the order they were registered
_tables: set[str] = set()
_lock = threading.Lock()
_stamp: dict[str, Any] = {"value": None, "parts": {}, "checked": 0.0}
CHANGED_KEY = "storefront_changed"


def register(name: str, columns: Callable[[], Iterable[Any]], tables: Iterable[str]) -> None:
    """Add a part called `name` to the stamp: `columns()` returns SQL expressions (aggregates or scalar
    subqueries) that change whenever a row of `tables` does."""
    with _lock:
        _parts.setdefault(name, columns)
        _tables.update(tables)


def _columns() -> dict[str, list[Any]]:
    return {name: list(part()) for name, part in _parts.items()}


def query() -> Any:
    """The stamp's SELECT (one row)."""
    return db.select(*[column for columns in _columns().values() for column in columns])


def current(*names: str) -> tuple[Any, ...]:
    """The stamp's value, read again when older than PAGE_CACHE_CHECK_SECONDS: the whole of it, or only the
    parts named (a cache of promotions need not drop when a book's stock changes)."""
    now = time.monotonic()
    interval = current_app.config["PAGE_CACHE_CHECK_SECONDS"]
    if _stamp["value"] is None or now - _stamp["checked"] >= interval:
        columns = _columns()
        row = tuple(db.session.execute(db.select(*[c for cs in columns.values() for c in cs])).one())
        parts, start = {}, 0
        for name, cs in columns.items():
            parts[name] = row[start:start + len(cs)]
            start += len(cs)
        _stamp["value"], _stamp["parts"], _stamp["checked"] = row, parts, now
    if names:
        return tuple(_stamp["parts"].get(name) for name in names)
    return _stamp["value"]  # type: ignore[no-any-return]


def forget() -> None:
    """Read the stamp again on next use (after this process changed the storefront)."""
    _stamp["checked"] = 0.0
    _stamp["value"] = None
    _stamp["parts"] = {}


def mark_changed(session: Session | None = None) -> None:
    """The session changed the storefront with a statement the ORM does not track: forget the stamp on commit."""
    (session or db.session).info[CHANGED_KEY] = True


@event.listens_for(Session, "after_flush")
def _note_change(session: Session, flush_context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tablename__", None) in _tables:
            session.info[CHANGED_KEY] = True
            return


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    if session.info.pop(CHANGED_KEY, False):
        forget()


@event.listens_for(Session, "after_rollback")
def _drop_flag_after_rollback(session: Session) -> None:
    session.info.pop(CHANGED_KEY, None)


class StampedCache:
    """A small per-process cache of values read from the database, all dropped when the stamp changes.

    For values every process may hold a copy of (a category list, a listing's total): at most
    `max_entries`, the oldest dropped first; `get(key, load)` calls load() on a miss. `parts` names the
    parts of the stamp the values depend on (by default all of it).
    """

    def __init__(self, max_entries: int, parts: tuple[str, ...] = ()) -> None:
        self.max_entries = max_entries
        self.parts = parts  # the parts of the stamp the values depend on (all when empty)
        self._stamp: tuple[Any, ...] | None = None
        self._values: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, load: Callable[[], Any]) -> Any:
        now = current(*self.parts)
        with self._lock:
            if self._stamp != now:
                self._stamp, self._values = now, {}
            if key in self._values:
                return self._values[key]
        value = load()
        with self._lock:
            if self._stamp == now:
                while len(self._values) >= self.max_entries:
                    del self._values[next(iter(self._values))]
                self._values[key] = value
        return value

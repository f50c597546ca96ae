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

_parts: list[Callable[[], Iterable[Any]]] = []
_tables: set[str] = set()
_lock = threading.Lock()
_stamp: dict[str, Any] = {"value": None, "checked": 0.0}
CHANGED_KEY = "storefront_changed"


def register(columns: Callable[[], Iterable[Any]], tables: Iterable[str]) -> None:
    """Add a part to the stamp: `columns()` returns SQL expressions (aggregates or scalar subqueries)."""
    with _lock:
        if columns not in _parts:
            _parts.append(columns)
        _tables.update(tables)


def query() -> Any:
    """The stamp's SELECT (one row)."""
    columns = [column for part in _parts for column in part()]
    return db.select(*columns)


def current() -> tuple[Any, ...]:
    """The stamp's value, read again when older than PAGE_CACHE_CHECK_SECONDS."""
    now = time.monotonic()
    interval = current_app.config["PAGE_CACHE_CHECK_SECONDS"]
    if _stamp["value"] is None or now - _stamp["checked"] >= interval:
        _stamp["value"] = tuple(db.session.execute(query()).one())
        _stamp["checked"] = now
    return _stamp["value"]  # type: ignore[no-any-return]


def forget() -> None:
    """Read the stamp again on next use (after this process changed the storefront)."""
    _stamp["checked"] = 0.0
    _stamp["value"] = None


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

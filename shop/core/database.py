"""Database engine settings that depend on the backend."""

from typing import Any

from flask import Flask
from sqlalchemy import event

from shop.extensions import db


def engine_options(uri: str, options: dict[str, Any]) -> dict[str, Any]:
    """SQLite files need no connection liveness check (a round trip on every checkout from the pool)."""
    if uri.startswith("sqlite"):
        return {key: value for key, value in options.items() if key != "pool_pre_ping"}
    return options


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def configure(app: Flask) -> None:
    """SQLite: foreign keys on, write-ahead log, and a wait instead of an error when another writer holds it."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)

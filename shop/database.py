"""Database engine settings that depend on the backend."""

from sqlalchemy import event


def engine_options(uri, options):
    """SQLite files need no connection liveness check (a round trip on every checkout from the pool)."""
    if uri.startswith("sqlite"):
        return {key: value for key, value in options.items() if key != "pool_pre_ping"}
    return options


def configure(app):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        with app.app_context():
            from shop.extensions import db

            @event.listens_for(db.engine, "connect")
            def _sqlite_pragmas(dbapi_connection, connection_record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.close()

"""Test databases: a SQLite file and a PostgreSQL database of the suite's own, both built by migrations."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

PG_SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def backends():
    return [b.strip() for b in os.environ.get("TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]


def _server_engine():
    return create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


def postgres_available():
    try:
        with _server_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False


def require_postgres():
    """Skip a PostgreSQL test when the server is missing; under CI, fail instead."""
    if postgres_available():
        return
    message = f"PostgreSQL is not reachable at {PG_SERVER_URL}"
    if IN_CI:
        pytest.fail(message + " (CI=true: PostgreSQL is required)", pytrace=False)
    pytest.skip(message)


def create_postgres_database(prefix="shop_test"):
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    engine = _server_engine()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    base, _, _ = PG_SERVER_URL.rpartition("/")
    return name, f"{base}/{name}"


def drop_postgres_database(name):
    engine = _server_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()

"""Fixtures: an app per database backend (built by migrations), a client, query counting, factories."""

import contextlib

import pytest
from flask_migrate import upgrade
from sqlalchemy import event

from shop import create_app
from shop.extensions import db
from shop.web import pagecache
from tests.support import databases, leaks
from tests.support.clients import FreshContextClient
from tests.support.redis_server import redis_limits  # noqa: F401 (fixture)
from tests.support.s3_server import s3_server, s3_storage  # noqa: F401 (fixtures)
from tests.support.stripe_server import localstripe, payments_on  # noqa: F401 (fixtures)


def _make_app(database_url, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, "MEDIA_ROOT": str(media)})
    app.test_client_class = FreshContextClient
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session", params=databases.backends())
def app(request, tmp_path_factory):
    """The app on each backend in turn; tables are emptied after every test."""
    backend = request.param
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "shop.db"
        yield _make_app(f"sqlite:///{path}", tmp_path_factory)
        return
    databases.require_postgres()
    name, url = databases.create_postgres_database()
    application = _make_app(url, tmp_path_factory)
    yield application
    with application.app_context():
        db.engine.dispose()
    databases.drop_postgres_database(name)


@pytest.fixture
def pg_app(tmp_path_factory):
    """A PostgreSQL-backed app for tests about concurrency; fails under CI when PostgreSQL is missing."""
    databases.require_postgres()
    name, url = databases.create_postgres_database("shop_conc")
    application = _make_app(url, tmp_path_factory)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    databases.drop_postgres_database(name)


def _empty_tables(tables=None):
    """Delete every row of `tables` (default: every table), dependents first."""
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables if tables is None else tables):
            conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _app_context(request):
    """Every test that uses `app` runs inside its app context and leaves the tables empty."""
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    settings = dict(application.config)  # a test may change settings; the next one starts from these
    with application.app_context():
        pagecache.clear()
        leaks.listen()
        yield
        db.session.rollback()
        filled = None
        try:
            filled = leaks.tables_with_rows()
            found = leaks.findings(filled)  # no card number kept, no password but as Argon2id: read before emptying
        finally:
            db.session.remove()
            _empty_tables(filled)
        pagecache.clear()
    application.config.clear()
    application.config.update(settings)
    assert not found, "\n".join(found[:20])


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def backend(app):
    return db.engine.dialect.name


class QueryCounter:
    def __init__(self):
        self.statements = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    @contextlib.contextmanager
    def counting():
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    return counting

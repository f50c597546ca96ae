"""The schema comes from Alembic: an empty database goes up to head and back down to base."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from shop import create_app
from tests.support import databases


def _round_trip(url, tmp_path):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "MEDIA_ROOT": str(tmp_path)})
    with app.app_context():
        upgrade()
        tables = set(inspect(create_engine(url)).get_table_names())
        assert {"products", "categories", "product_images", "combo_components", "alembic_version"} <= tables
        downgrade(revision="base")
        assert set(inspect(create_engine(url)).get_table_names()) <= {"alembic_version"}
        upgrade()


def test_sqlite_upgrades_to_head_and_downgrades_to_base(tmp_path):
    _round_trip(f"sqlite:///{tmp_path}/m.db", tmp_path)


def test_postgresql_upgrades_to_head_and_downgrades_to_base(tmp_path):
    databases.require_postgres()
    name, url = databases.create_postgres_database("shop_migrations")
    try:
        _round_trip(url, tmp_path)
    finally:
        databases.drop_postgres_database(name)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_models_and_migrations_agree(tmp_path, backend):
    """No model change is left without a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from shop.extensions import db

    url = f"sqlite:///{tmp_path}/m.db"
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "MEDIA_ROOT": str(tmp_path)})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []

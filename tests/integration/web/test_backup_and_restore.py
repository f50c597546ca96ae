"""The backups the README prescribes, restored for real on a PostgreSQL cluster of the test's own: the nightly
`pg_dump -Fc` restored with `pg_restore` into an empty database, and a base backup plus archived WAL replayed to
the last committed order (what a restore after losing the server looks like)."""

import subprocess
import time

from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

from shop import create_app
from shop.extensions import db
from shop.orders.models import Order
from tests.support.desk_helpers import quick_order
from tests.support.own_postgres import OwnPostgres


def _shop_with_orders(cluster, tmp_path, count):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": cluster.url, "MEDIA_ROOT": str(tmp_path / "media")})
    with app.app_context():
        upgrade()
        numbers = [quick_order().number for _ in range(count)]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return app, numbers


def _numbers(url):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(conn.scalars(select(Order.number)))
    finally:
        engine.dispose()


def _wait_until_archived(segment, timeout=30.0):
    """Archiving runs in the background: what is lost with the server is what had not reached the archive."""
    deadline = time.monotonic() + timeout
    while db.session.scalar(text("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")) < segment:
        assert time.monotonic() < deadline, f"{segment} never reached the archive"
        db.session.rollback()
        time.sleep(0.1)


def test_the_nightly_dump_restores_into_an_empty_database(tmp_path):
    cluster = OwnPostgres()
    try:
        cluster.start()
        cluster.create_database()
        _, numbers = _shop_with_orders(cluster, tmp_path, 5)
        dump = cluster.root / "shop.dump"
        cluster.run("pg_dump", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-Fc", "-f", str(dump),
                    "shop")
        cluster.run("psql", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-c",
                    "CREATE DATABASE restored")
        cluster.run("pg_restore", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "--no-owner",
                    "-d", "restored", str(dump))
        restored = cluster.url.rsplit("/", 1)[0] + "/restored"
        assert _numbers(restored) == sorted(numbers)
        engine = create_engine(restored)
        with engine.connect() as conn:  # the schema came along whole: migrations are at their head
            assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
        engine.dispose()
    finally:
        cluster.remove()


def test_a_base_backup_and_the_archived_wal_bring_back_every_committed_order(tmp_path):
    cluster = OwnPostgres(archive=True)
    replica = None
    try:
        cluster.start()
        cluster.create_database()
        app, before = _shop_with_orders(cluster, tmp_path, 3)
        base = cluster.root / "base"
        cluster.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-D", str(base),
                    "-X", "none", "-c", "fast")
        with app.app_context():  # orders taken after the nightly base backup
            after = [quick_order().number for _ in range(4)]
            db.session.commit()
            last = db.session.scalar(text("SELECT pg_walfile_name(pg_switch_wal())"))  # the segment goes to the archive
            db.session.commit()
            _wait_until_archived(last)
            total = db.session.scalar(select(func.count(Order.id)))
            db.session.remove()
            db.engine.dispose()
        cluster.stop()  # the server is lost

        replica = OwnPostgres.restore_from(base, archive=cluster.archive)
        replica.start()
        assert _numbers(replica.url) == sorted(before + after) and total == 7
    except subprocess.CalledProcessError as error:
        raise AssertionError(error.stderr.decode()[-2000:]) from error
    finally:
        cluster.remove()
        if replica is not None:
            replica.remove()

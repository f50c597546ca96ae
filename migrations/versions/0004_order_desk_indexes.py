"""order desk: trigram indexes for order search, an index on paid_at for the sales report (PostgreSQL only)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:00:00

The order list searches `lower(email) LIKE '%fragment%'` and the same on `customer_name`. Without
an index PostgreSQL reads all 100,000 orders for a rare fragment (about 150 ms); a GIN index with
pg_trgm's operator class answers it from the index (a few ms). The extension is trusted, so the
database owner may create it; where it is missing or cannot be created, the indexes are skipped
with a warning and search still works, only slower.

The sales dashboard reads the orders paid in the last 30 or 90 days: ix_orders_paid_at (partial:
paid orders only) turns its scan of every order into a range scan (30 ms -> 3 ms with 100,000).

SQLite gets nothing here: it has no trigram indexes, and a small shop's SQLite database is read
whole in a few milliseconds. These indexes are therefore not declared on the model (they exist on
one dialect only); the models-and-migrations check runs on SQLite, where they do not exist.
Filters and the list's order use the existing ix_orders_placed / ix_orders_status_placed /
ix_orders_channel_placed / ix_orders_staff_id indexes.
"""
import logging

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
TRIGRAM_INDEXES = {
    "ix_orders_email_trgm": "lower(email)",
    "ix_orders_customer_name_trgm": "lower(customer_name)",
}


def _trigram_ready(bind):
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        return True
    if not bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first():
        log.warning("pg_trgm is not available on this server: order search by e-mail or name will not be indexed")
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        log.warning("Could not create the pg_trgm extension (%s): order search will not be indexed. "
                    "A superuser can run CREATE EXTENSION pg_trgm, then re-create these indexes.", error.orig)
        return False
    return True


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_orders_paid_at ON orders (paid_at) WHERE paid_at IS NOT NULL")
    if not _trigram_ready(bind):
        return
    for name, expression in TRIGRAM_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON orders USING gin ({expression} gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in (*TRIGRAM_INDEXES, "ix_orders_paid_at"):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    # the pg_trgm extension stays: other databases objects may use it, and it holds no data

"""catalogue search: a full-text GIN index on the products' search text (PostgreSQL only)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-09 10:00:00

Search matched every query word with `search_text LIKE '% word%'`, which reads every product: with
10,000 products the listing's count and page queries took about 12 ms each. The GIN index on the
search text's tsvector answers shop/catalogue/search.py's `@@ to_tsquery(...)` in 1-2 ms. Its
expression must stay the one search.py writes, or the planner cannot use it.
'simple' rather than 'english': the search text is already folded words (shop.catalogue.text), and
search matches word starts as typed; stemming and stop words would change what a word finds.

No pg_trgm here: typo tolerance suggests spellings from an in-memory vocabulary (search.py).
SQLite gets nothing (it reads the search text), so the index is not declared on the model, like
0004's; the models-and-migrations check runs on SQLite.
"""
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

INDEX = 'ix_products_search_fts'


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON products "
               "USING gin (to_tsvector('simple'::regconfig, coalesce(search_text, '')))")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f'DROP INDEX IF EXISTS {INDEX}')

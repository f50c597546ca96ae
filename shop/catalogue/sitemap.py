"""What the sitemap needs of the catalogue: the products on sale, the categories, and when each last changed.

Each function is one query reading only the columns a sitemap entry needs, however large the catalogue.
"""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select, true

from shop.catalogue.models import Category, Product, product_categories
from shop.extensions import db


def products_on_sale(limit: int) -> Iterator[tuple[str, datetime | None]]:
    """(slug, updated at) of the products on sale, the oldest first, at most `limit`."""
    statement = (select(Product.slug, Product.updated_at).where(Product.is_active == true())
                 .order_by(Product.id).limit(limit))
    for row in db.session.execute(statement):
        yield row.slug, row.updated_at


def categories(limit: int) -> list[tuple[str, datetime | None]]:
    """(slug, last change) of every category: its own edit or the latest edit of a product on sale in it."""
    latest = (select(product_categories.c.category_id, func.max(Product.updated_at).label("latest"))
              .join(Product, Product.id == product_categories.c.product_id)
              .where(Product.is_active == true())
              .group_by(product_categories.c.category_id)
              .subquery())
    statement = (select(Category.slug, Category.updated_at, latest.c.latest)
                 .outerjoin(latest, latest.c.category_id == Category.id)
                 .order_by(Category.position, Category.name, Category.id)
                 .limit(limit))
    return [(slug, max((t for t in (own, products) if t is not None), default=None))
            for slug, own, products in db.session.execute(statement)]


def latest_change_by_kind() -> dict[str, datetime]:
    """{kind: the latest edit of a product of that kind} (a retirement is an edit: it changes the listings)."""
    statement = select(Product.kind, func.max(Product.updated_at)).group_by(Product.kind)
    return {kind: latest for kind, latest in db.session.execute(statement) if latest is not None}


def latest_category_change() -> datetime | None:
    return db.session.scalar(select(func.max(Category.updated_at)))

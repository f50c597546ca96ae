"""Stock of books, changed only by conditional updates so that it can never go below zero.

`take` is one statement: UPDATE ... SET stock = stock - n WHERE id = :id AND stock >= n. Two buyers
racing for the last copy both run it; the database lets exactly one of them change the row. This
holds on SQLite (which ignores SELECT ... FOR UPDATE) and on PostgreSQL alike.
"""

from sqlalchemy import update

from shop.catalogue.models import Product
from shop.extensions import db
from shop.timeutil import utcnow


def _mark_changed():
    db.session.info["catalogue_changed"] = True  # cached pages drop this stamp after the commit


def take(product_id, quantity):
    """Take `quantity` copies; True if they were there, False (and nothing changed) if not."""
    result = db.session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        _mark_changed()
        return True
    return False


def give_back(product_id, quantity):
    db.session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(stock=Product.stock + quantity, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    _mark_changed()


def available(product_id):
    return db.session.execute(db.select(Product.stock).where(Product.id == product_id)).scalar_one()

"""Stock of books, changed only by conditional updates so that it can never go below zero.

`take` is one statement: UPDATE ... SET stock = stock - n WHERE id = :id AND stock >= n. Two buyers
racing for the last copy both run it; the database lets exactly one of them change the row. This
holds on SQLite (which ignores SELECT ... FOR UPDATE) and on PostgreSQL alike.
"""

from sqlalchemy import update

from shop.catalogue.models import MOVEMENT_RELEASED, MOVEMENT_RESERVED, Product, StockMovement
from shop.extensions import db
from shop.timeutil import utcnow


def _mark_changed():
    db.session.info["catalogue_changed"] = True  # cached pages drop this stamp after the commit


def change(product_id, delta, reason, *, order_id=None, actor_id=None, note=""):
    """Add `delta` (negative to take) to the stock and record the movement; False if stock would go below 0."""
    result = db.session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock + delta >= 0)
        .values(stock=Product.stock + delta, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.add(StockMovement(product_id=product_id, change=delta, reason=reason, order_id=order_id,
                                 actor_id=actor_id, note=note[:500]))
    _mark_changed()
    return True


def take(product_id, quantity, order_id=None):
    """Take `quantity` copies for an order; True if they were there, False (and nothing changed) if not."""
    return change(product_id, -quantity, MOVEMENT_RESERVED, order_id=order_id)


def give_back(product_id, quantity, order_id=None):
    change(product_id, quantity, MOVEMENT_RELEASED, order_id=order_id)


def available(product_id):
    return db.session.execute(db.select(Product.stock).where(Product.id == product_id)).scalar_one()

"""Stock of books, changed only by conditional updates so that it can never go below zero.

`take` is one statement: UPDATE ... SET stock = stock - n WHERE id = :id AND stock >= n. Two buyers
racing for the last copy both run it; the database lets exactly one of them change the row. This
holds on SQLite (which ignores SELECT ... FOR UPDATE) and on PostgreSQL alike.
"""

from sqlalchemy import update

from shop.catalogue.models import MOVEMENT_RELEASED, MOVEMENT_RESERVED, Product, StockMovement
from shop.core import stamp
from shop.extensions import db


def change(product_id: int, delta: int, reason: str, *, order_id: int | None = None, actor_id: int | None = None,
           note: str = "") -> bool:
    """Add `delta` (negative to take) to the stock and record the movement; False if stock would go below 0."""
    result = db.session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock + delta >= 0)
        .values(stock=Product.stock + delta, updated_at=Product.updated_at)  # a sale is not an edit of the product
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.add(StockMovement(product_id=product_id, change=delta, reason=reason, order_id=order_id,
                                 actor_id=actor_id, note=note[:500]))
    stamp.mark_changed()  # a bare UPDATE: cached pages (which show the stock) drop the stamp after the commit
    return True


def take(product_id: int, quantity: int, order_id: int | None = None) -> bool:
    """Take `quantity` copies for an order; True if they were there, False (and nothing changed) if not."""
    return change(product_id, -quantity, MOVEMENT_RESERVED, order_id=order_id)


def give_back(product_id: int, quantity: int, order_id: int | None = None) -> None:
    change(product_id, quantity, MOVEMENT_RELEASED, order_id=order_id)


def available(product_id: int) -> int:
    return db.session.execute(db.select(Product.stock).where(Product.id == product_id)).scalar_one()

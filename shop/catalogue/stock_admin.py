"""Stock of books in the back office: adjustments with a reason, the movement history, what to reorder.

Every change goes through shop.catalogue.stock.change (a conditional update plus a movement row), so
a book's stock is always the sum of its movements and never goes below zero.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from shop.accounts.models import User
from shop.catalogue import stock
from shop.catalogue.models import (
    KIND_BOOK,
    MOVEMENT_CORRECTION,
    MOVEMENT_DAMAGED,
    MOVEMENT_RECEIVED,
    Product,
    StockMovement,
)
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.settings import get_setting
from shop.extensions import db

RECENT_PER_BOOK = 3
REASON_LABELS = {
    "initial": "Opening stock", MOVEMENT_RECEIVED: "Received", MOVEMENT_DAMAGED: "Damaged or lost",
    MOVEMENT_CORRECTION: "Correction", "reserved": "Sold or held for an order",
    "released": "Released (order not paid or cancelled)", "returned": "Returned",
}


class StockError(Refusal):
    """A stock movement the shop refuses (nothing changes then)."""


def signed_change(reason: str, quantity: int | None) -> int:
    """Received adds, damaged removes, a correction is taken as typed (+ or −). StockError if it makes no sense."""
    if reason not in (MOVEMENT_RECEIVED, MOVEMENT_DAMAGED, MOVEMENT_CORRECTION):
        raise StockError("Choose a reason: received, damaged or correction.", "reason")
    if quantity is None or quantity == 0:
        raise StockError("Enter a number of copies other than 0.", "quantity")
    if reason == MOVEMENT_CORRECTION:
        return quantity
    if quantity < 0:
        raise StockError("Enter how many copies as a positive number; the reason says whether they are added "
                         "or removed.", "quantity")
    return quantity if reason == MOVEMENT_RECEIVED else -quantity


def adjust(product: Product, reason: str, quantity: int | None, note: str = "", actor: Any = None) -> int:
    """Record a movement for a book. Commits; StockError when refused (nothing changes then)."""
    if product.kind != KIND_BOOK:
        raise StockError("Only books have stock.", status=400)
    delta = signed_change(reason, quantity)
    actor_id = getattr(actor, "id", None)
    if not stock.change(product.id, delta, reason, actor_id=actor_id, note=note or ""):
        db.session.rollback()
        have = stock.available(product.id)
        raise StockError(f"That would take the stock of “{product.title}” below 0: there are {have} "
                         f"and the change is {delta:+d}.", "quantity")
    audit.record("stock adjusted", "product", product.id,
                 f"{REASON_LABELS[reason].lower()} {delta:+d}" + (f" ({note})" if note else ""), actor=actor)
    db.session.commit()
    db.session.refresh(product)
    return delta


def threshold_for(product: Product, default: int | None = None) -> int:
    if product.low_stock_threshold is not None:
        return product.low_stock_threshold
    return get_setting("LOW_STOCK_THRESHOLD") if default is None else default


@dataclass(frozen=True)
class BookStock:
    product: Product
    threshold: int
    recent: list[StockMovement]

    @property
    def reorder(self) -> bool:
        return self.product.stock <= self.threshold


def books(q: str = "") -> list["BookStock"]:
    """Every book (retired ones last) with its threshold and latest movements: three queries in all."""
    statement = select(Product).where(Product.kind == KIND_BOOK)
    if q:
        like = f"%{q.strip().lower()[:100]}%"
        statement = statement.where(func.lower(Product.title).like(like) | func.lower(Product.sku).like(like))
    items = db.session.scalars(statement.order_by(Product.is_active.desc(), Product.title)).all()
    if not items:
        return []
    default = get_setting("LOW_STOCK_THRESHOLD")
    rank = func.row_number().over(partition_by=StockMovement.product_id,
                                  order_by=(StockMovement.created_at.desc(), StockMovement.id.desc())).label("rank")
    ranked = (select(StockMovement.id, rank)
              .where(StockMovement.product_id.in_([p.id for p in items])).subquery())
    recent = {}
    for movement in db.session.scalars(
        select(StockMovement).join(ranked, ranked.c.id == StockMovement.id)
        .where(ranked.c.rank <= RECENT_PER_BOOK).order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
    ):
        recent.setdefault(movement.product_id, []).append(movement)
    return [BookStock(p, threshold_for(p, default), recent.get(p.id, [])) for p in items]


def low_stock_books() -> list[Product]:
    """Active books at or below their threshold (their own, else the shop's default)."""
    default = get_setting("LOW_STOCK_THRESHOLD")
    threshold = func.coalesce(Product.low_stock_threshold, default)
    return db.session.scalars(
        select(Product).where(Product.kind == KIND_BOOK, Product.is_active.is_(True), Product.stock <= threshold)
        .order_by(Product.stock, Product.title)
    ).all()


def movements(product: Product, limit: int = 500) -> list[Any]:
    """(movement, who: e-mail or None), newest first; a movement for an order names it by order_id."""
    return list(db.session.execute(
        select(StockMovement, User.email)
        .outerjoin(User, User.id == StockMovement.actor_id)
        .where(StockMovement.product_id == product.id)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc()).limit(limit)
    ).all())


def movement_sum(product_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(StockMovement.change), 0)).where(StockMovement.product_id == product_id)
    )

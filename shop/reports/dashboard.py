"""What the back-office dashboard counts: today's orders, orders awaiting payment, orders to ship."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from shop.core.timeutil import local_midnight, local_today
from shop.extensions import db
from shop.orders.models import (
    FULFILMENT_PARTIAL,
    FULFILMENT_UNFULFILLED,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    Order,
)


@dataclass(frozen=True)
class Counts:
    today: int
    awaiting_payment: int
    to_ship: int


def counts(tz_name: str, now: datetime | None = None) -> Counts:
    """Three counts in one query. Today's orders: placed since midnight, paid or awaiting payment."""
    since = local_midnight(local_today(tz_name, now), tz_name)
    placed = Order.status.in_((STATUS_PAID, STATUS_PENDING_PAYMENT))
    row = db.session.execute(select(
        func.count(Order.id).filter(placed, Order.placed_at >= since),
        func.count(Order.id).filter(Order.status == STATUS_PENDING_PAYMENT),
        func.count(Order.id).filter(Order.status == STATUS_PAID, Order.requires_shipping.is_(True),
                                    Order.fulfilment_status.in_((FULFILMENT_UNFULFILLED, FULFILMENT_PARTIAL))),
    )).one()
    return Counts(today=row[0], awaiting_payment=row[1], to_ship=row[2])

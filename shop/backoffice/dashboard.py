"""What the back-office dashboard counts: today's orders, orders awaiting payment, orders to ship."""

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from shop.extensions import db
from shop.orders.models import (
    FULFILMENT_PARTIAL,
    FULFILMENT_UNFULFILLED,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    Order,
)
from shop.timeutil import utcnow


@dataclass(frozen=True)
class Counts:
    today: int
    awaiting_payment: int
    to_ship: int


def local_today(tz_name, now=None):
    """Today's date in the shop's time zone."""
    return (now or utcnow()).replace(tzinfo=UTC).astimezone(ZoneInfo(tz_name)).date()


def start_of_today(tz_name, now=None):
    """Midnight in the shop's time zone, as naive UTC (the form the database stores)."""
    zone = ZoneInfo(tz_name)
    midnight = datetime.combine(local_today(tz_name, now), time(0), tzinfo=zone)
    return midnight.astimezone(UTC).replace(tzinfo=None)


def counts(tz_name, now=None):
    """Three counts in one query. Today's orders: placed since midnight, paid or awaiting payment."""
    since = start_of_today(tz_name, now)
    placed = Order.status.in_((STATUS_PAID, STATUS_PENDING_PAYMENT))
    row = db.session.execute(select(
        func.count(Order.id).filter(placed, Order.placed_at >= since),
        func.count(Order.id).filter(Order.status == STATUS_PENDING_PAYMENT),
        func.count(Order.id).filter(Order.status == STATUS_PAID, Order.requires_shipping.is_(True),
                                    Order.fulfilment_status.in_((FULFILMENT_UNFULFILLED, FULFILMENT_PARTIAL))),
    )).one()
    return Counts(today=row[0], awaiting_payment=row[1], to_ship=row[2])

"""Orders for the accountant: the desk's filtered list as CSV, and each day's money in and out.

- `orders_csv`: every order matching the desk's filters (not only the page shown), newest first, one row
  per order or one row per line. Amounts are plain decimals ("1234.50"), never formatted.
- `day_book`: one day (in the shop's time zone) of payments received and refunds made, with Stripe's
  PaymentIntent and refund ids, to tick off against Stripe's payouts report. Stripe's fee is not known
  to the shop (it is on Stripe's balance transactions), so its column is left empty rather than guessed.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.core.spreadsheet import csv_text
from shop.core.timeutil import local_midnight, to_shop_time
from shop.extensions import db
from shop.money import decimal_text
from shop.orders.models import PAYMENT_SUCCEEDED, STATUS_LABELS, Order, Payment, Refund
from shop.orders.queries import CHANNELS, FULFILMENT_LABELS, OrderFilters, conditions, staff_members
from shop.orders.refunds import REFUND_SUCCEEDED

ROWS_PER_ORDER = "order"
ROWS_PER_LINE = "line"
ROW_KINDS = {ROWS_PER_ORDER: "One row per order", ROWS_PER_LINE: "One row per line"}
BATCH = 500
ORDER_HEADER = ["order", "placed", "paid", "status", "channel", "taken_by", "customer", "email", "payment_method",
                "tax_destination", "subtotal", "discount", "shipping", "tax", "total", "refunded", "net",
                "shipping_state", "currency"]
LINE_HEADER = ["order", "placed", "status", "channel", "sku", "title", "kind", "quantity", "unit_price",
               "subtotal", "discount", "line_total", "tax", "currency"]
DAY_HEADER = ["type", "order", "when", "method", "payment_intent", "stripe_refund", "reference", "reason", "amount",
              "tax", "stripe_fee", "currency"]


def _when(moment: datetime | None, tz_name: str) -> str:
    return to_shop_time(moment, tz_name).strftime("%Y-%m-%d %H:%M") if moment else ""


def _matching(filters: OrderFilters, tz_name: str, with_lines: bool) -> Iterator[Order]:
    statement = (select(Order).where(Order.number.is_not(None), *conditions(filters, tz_name))
                 .order_by(Order.placed_at.desc(), Order.id.desc()))
    if with_lines:
        statement = statement.options(selectinload(Order.lines))
    offset = 0
    while True:  # batches keep memory flat; selectinload loads each batch's lines in one statement
        batch = db.session.scalars(statement.limit(BATCH).offset(offset)).all()
        yield from batch
        if len(batch) < BATCH:
            return
        offset += BATCH


def _order_row(order: Order, tz_name: str, staff: dict[int, str]) -> list[Any]:
    destination = "-".join(p for p in (order.tax_country, order.tax_region) if p)
    return [order.number, _when(order.placed_at, tz_name), _when(order.paid_at, tz_name),
            STATUS_LABELS.get(order.status, order.status), CHANNELS.get(order.channel, order.channel),
            staff.get(order.staff_id, "") if order.staff_id else "", order.customer_name, order.email,
            order.payment_method, destination,
            decimal_text(order.subtotal_cents), decimal_text(order.discount_cents),
            decimal_text(order.shipping_cents), decimal_text(order.tax_cents), decimal_text(order.total_cents),
            decimal_text(order.refunded_cents), decimal_text(order.paid_cents - order.refunded_cents),
            FULFILMENT_LABELS.get(order.fulfilment_status, order.fulfilment_status) if order.requires_shipping
            else FULFILMENT_LABELS["not_needed"], order.currency]


def _line_rows(order: Order, tz_name: str) -> Iterator[list[Any]]:
    placed = _when(order.placed_at, tz_name)
    status = STATUS_LABELS.get(order.status, order.status)
    channel = CHANNELS.get(order.channel, order.channel)
    for line in order.lines:
        yield [order.number, placed, status, channel, line.sku, line.title, line.kind, line.quantity,
               decimal_text(line.unit_price_cents), decimal_text(line.subtotal_cents),
               decimal_text(line.discount_cents), decimal_text(line.total_cents), decimal_text(line.tax_cents),
               order.currency]


def orders_csv(filters: OrderFilters, tz_name: str, rows: str = ROWS_PER_ORDER) -> str:
    """The CSV of every order matching `filters`: one row per order, or (rows="line") per order line."""
    if rows == ROWS_PER_LINE:
        return csv_text(LINE_HEADER, (row for order in _matching(filters, tz_name, True)
                                      for row in _line_rows(order, tz_name)))
    staff = dict(staff_members())
    return csv_text(ORDER_HEADER, (_order_row(order, tz_name, staff) for order in _matching(filters, tz_name, False)))


def orders_of(numbers: list[str]) -> list[Order]:
    """The orders with these numbers (unknown ones left out), newest first."""
    wanted = sorted({n for n in numbers if n and len(n) <= 20})
    if not wanted:
        return []
    return list(db.session.scalars(select(Order).where(Order.number.in_(wanted))
                                   .order_by(Order.placed_at.desc(), Order.id.desc())).all())


def selected_csv(orders: list[Order], tz_name: str) -> str:
    staff = dict(staff_members())
    return csv_text(ORDER_HEADER, (_order_row(order, tz_name, staff) for order in orders))


# ---- the day book --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MoneyMovement:
    kind: str  # "payment" or "refund"
    order_number: str
    at: datetime
    method: str  # "stripe" or "check"; a refund: "stripe" or "manual"
    payment_intent: str
    stripe_refund: str
    reference: str  # a check's number
    reason: str  # a refund's
    amount_cents: int  # a refund's is negative
    tax_cents: int
    currency: str


@dataclass(frozen=True)
class DayBook:
    day: date
    movements: list[MoneyMovement]

    def total(self, kind: str | None = None, method: str | None = None) -> int:
        return sum(m.amount_cents for m in self.movements
                   if (kind is None or m.kind == kind) and (method is None or m.method == method))

    @property
    def stripe_net_cents(self) -> int:
        """Card payments less card refunds: what Stripe's payouts for the day should add up to, before fees."""
        return self.total(method="stripe")


def day_book(day: date, tz_name: str) -> DayBook:
    """Payments that succeeded and refunds made on `day` (the shop's time zone), in time order."""
    start, end = local_midnight(day, tz_name), local_midnight(day + timedelta(days=1), tz_name)
    payments = db.session.execute(
        select(Payment, Order.number, Order.tax_cents, Order.total_cents, Order.paid_at)
        .join(Order, Order.id == Payment.order_id)
        .where(Payment.status == PAYMENT_SUCCEEDED, Order.paid_at >= start, Order.paid_at < end)
    ).all()
    refunds = db.session.execute(
        select(Refund, Order.number, Order.currency, Payment.intent_id)
        .join(Order, Order.id == Refund.order_id)
        .outerjoin(Payment, (Payment.order_id == Order.id) & (Payment.status == PAYMENT_SUCCEEDED))
        .where(Refund.status == REFUND_SUCCEEDED, Refund.created_at >= start, Refund.created_at < end)
    ).all()
    moves = [MoneyMovement("payment", number, paid_at, payment.provider, payment.intent_id or "", "",
                           payment.reference, "", payment.amount_cents,
                           order_tax if payment.amount_cents == order_total else 0, payment.currency)
             for payment, number, order_tax, order_total, paid_at in payments]
    moves += [MoneyMovement("refund", number, refund.created_at, refund.method, intent or "",
                            refund.provider_refund_id or "", "", refund.reason, -refund.amount_cents, -refund.tax_cents,
                            currency)
              for refund, number, currency, intent in refunds]
    moves.sort(key=lambda m: (m.at, m.kind, m.order_number))
    return DayBook(day, moves)


def day_book_csv(book: DayBook, tz_name: str) -> str:
    return csv_text(DAY_HEADER, ([m.kind, m.order_number, _when(m.at, tz_name), m.method, m.payment_intent,
                                  m.stripe_refund, m.reference, m.reason, decimal_text(m.amount_cents),
                                  decimal_text(m.tax_cents), "", m.currency] for m in book.movements))

"""Order life: placing (number, lines, reserved stock), paid, payment failed, expired, abandoned.

Status changes go through shop.orders.status (one conditional UPDATE each): when two deliveries of the
same news race, exactly one changes the row and does the work that goes with it (course access, the
confirmation e-mail), so nothing happens twice and a paid order never goes back to pending.
"""

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from shop.cart import services as cart_services
from shop.core.timeutil import utcnow
from shop.courses import access as course_access
from shop.extensions import db
from shop.orders import emails, lines, reservations, status
from shop.orders.models import (
    ORDER_NUMBER_PREFIX,
    PAYMENT_FAILED,
    PAYMENT_SUCCEEDED,
    STATUS_EXPIRED,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    Order,
    OrderEvent,
    Payment,
)
from shop.orders.reservations import OutOfStock
from shop.payments.gateway import Intent, processor
from shop.pricing.types import Breakdown
from shop.promotions import redemptions

log = logging.getLogger(__name__)
NUMBER_OFFSET = 100000
ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


def record(order: Order, kind: str, message: str = "", actor_id: int | None = None) -> None:
    """Add an entry to the order's timeline (not committed), without reading the entries already there."""
    db.session.add(OrderEvent(order=order, kind=kind, message=message[:1000], actor_id=actor_id))


def order_number(order_id: int) -> str:
    """Human-friendly, unique and never reused (order ids never are: see the table's autoincrement)."""
    return f"{ORDER_NUMBER_PREFIX}-{NUMBER_OFFSET + order_id}"


def create_order(*, breakdown: Breakdown, products: Mapping[int, Any], customer: Mapping[str, str],
                 shipping_address: Mapping[str, str], checkout_token: str | None, cart_id: int | None,
                 user_id: int | None, channel: str, reservation_minutes: int, now: datetime | None = None) -> Order:
    """Add a pending order with a snapshot of every line and price, and take its books from stock.

    `products` maps product id -> Product for the breakdown's lines. Raises OutOfStock (after
    rolling back) if a book ran out. The caller commits.
    """
    now = now or utcnow()
    order = Order(
        email=customer["email"], customer_name=customer.get("name", ""), phone=customer.get("phone", ""),
        user_id=user_id, channel=channel, status=STATUS_PENDING_PAYMENT, checkout_token=checkout_token,
        cart_id=cart_id, placed_at=now, reservation_expires_at=now + timedelta(minutes=reservation_minutes),
    )
    lines.write(order, breakdown)
    if breakdown.requires_shipping:
        for field in ADDRESS_FIELDS:
            setattr(order, f"ship_{field}", shipping_address.get(field, ""))
    db.session.add(order)
    db.session.flush()
    order.number = order_number(order.id)
    wanted = reservations.books_wanted({products[p.line.product_id]: p.line.quantity for p in breakdown.lines})
    try:
        reservations.take(order, wanted)
    except OutOfStock:
        db.session.rollback()
        raise
    record(order, "placed", f"Order placed on the {channel} channel for {breakdown.total_cents} cents.")
    return order


def mark_paid(order_id: int, intent: Intent | None, source: str) -> bool:
    """The processor says this intent succeeded. Marks the order paid once; checks amount and currency."""
    order = db.session.get(Order, order_id)
    if order is None:
        return False
    payment = db.session.execute(db.select(Payment).filter_by(intent_id=intent.id)).scalar_one_or_none() \
        if intent else None
    if intent is not None and (intent.amount_cents != order.total_cents or intent.currency != order.currency):
        record(order, "payment_mismatch", f"{source}: intent {intent.id} is for {intent.amount_cents} "
               f"{intent.currency}, the order is {order.total_cents} {order.currency}; not marked paid.")
        db.session.commit()
        log.error("Payment %s does not match order %s", intent.id, order.number)
        return False
    if payment is not None:
        payment.status = PAYMENT_SUCCEEDED
        if intent is not None and not payment.card_last4:
            payment.card_brand, payment.card_last4 = _card(intent)
    if not status.transition(order.id, STATUS_PAID, paid_at=utcnow(), paid_cents=Order.total_cents):
        db.session.commit()  # keeps the payment row's status; the order was already paid (or cancelled)
        db.session.refresh(order)
        if order.status != STATUS_PAID:
            record(order, "paid_after_close", f"{source}: payment {intent.id if intent else ''} succeeded "
                   f"for a {order.status} order: refund it.")
            db.session.commit()
        return False
    db.session.refresh(order)
    _fulfil_payment(order, intent, source)
    db.session.commit()
    return True


def _card(intent: Intent) -> tuple[str, str]:
    """The card's brand and last four for the receipt (never more of the card); ("", "") when unknown."""
    card_of = getattr(processor(), "card_of", None)
    return card_of(intent.payment_method) if card_of and intent.payment_method else ("", "")


def _fulfil_payment(order: Order, intent: Intent | None, source: str) -> None:
    """What being paid gives: the copies, the promotions' uses, the courses, the cart emptied, the receipt."""
    for reservation in reservations.secure(order):
        record(order, "stock_short", f"Paid after expiry, but product {reservation.product_id} has too "
               f"few copies for {reservation.quantity}: ship when restocked or refund.")
    for promotion_id in redemptions.confirm_for_order(order):
        record(order, "promotion_over_limit",
               f"Paid after expiry: promotion {promotion_id} is counted again, past its limit.")
    course_access.grant_for_order(order)
    cart_services.clear_lines(order.cart_id, {line.product_id: line.quantity for line in order.lines})
    record(order, "paid", f"Paid ({source}){': ' + intent.id if intent else ''}.")
    emails.order_confirmation(order)
    record(order, "email_queued", f"Order confirmation e-mail to {order.email} queued.")


def record_payment_failure(intent: Intent, source: str) -> bool:
    payment = db.session.execute(db.select(Payment).filter_by(intent_id=intent.id)).scalar_one_or_none()
    if payment is None or payment.status == PAYMENT_SUCCEEDED:
        return False  # a late "failed" never undoes a success
    payment.status = PAYMENT_FAILED
    payment.failure_message = (intent.failure_message or "Payment failed.")[:500]
    record(payment.order, "payment_failed", f"{source}: {payment.failure_message}")
    db.session.commit()
    return True


def _close_unpaid(order: Order, kind: str, message: str) -> None:
    reservations.release(order)
    redemptions.release_for_order(order)
    record(order, kind, message)


def expire_unpaid(now: datetime | None = None) -> list[Order]:
    """Unpaid orders past their reservation time: stock goes back, the order is marked expired."""
    now = now or utcnow()
    due = db.session.execute(
        db.select(Order.id).where(Order.status == STATUS_PENDING_PAYMENT, Order.reservation_expires_at < now)
    ).scalars().all()
    expired = []
    for order_id in due:
        if not status.transition(order_id, STATUS_EXPIRED, closed_at=now, checkout_token=None):
            db.session.rollback()
            continue
        order = db.session.get(Order, order_id)
        db.session.refresh(order)
        _close_unpaid(order, "expired", "Not paid in time: reserved stock released.")
        db.session.commit()
        expired.append(order)
    return expired


def abandon(order: Order, reason: str) -> bool:
    """The customer changed the cart after a failed attempt: this unpaid order gives its stock back."""
    if not status.transition(order.id, STATUS_EXPIRED, closed_at=utcnow(), checkout_token=None):
        db.session.rollback()
        return False
    db.session.refresh(order)
    _close_unpaid(order, "abandoned", reason)
    db.session.commit()
    return True

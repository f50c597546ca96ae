"""Payments that reach the shop outside the card processor: a check or money order, recorded by staff.

The rules: only an unpaid order (waiting, or expired while waiting: its copies are taken again if still
there), for exactly the order's total in its currency (a check for another amount is sent back, not
recorded), with the check or money-order number as the reference. One check pays an order once: the
Payment row's idempotency key is per order, so a double-submitted form records nothing twice. The order is
then marked paid through the same path as a card (orders.mark_paid: stock, course access, the same
confirmation e-mail as a web order).
"""

from typing import Any

from sqlalchemy.exc import IntegrityError

from shop.core.errors import Refusal
from shop.extensions import db
from shop.money import MoneyError, format_cents, parse_money
from shop.orders import emails
from shop.orders import services as orders
from shop.orders.models import (
    PAYMENT_CANCELLED,
    PAYMENT_SUCCEEDED,
    STATUS_EXPIRED,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    Order,
    Payment,
)

PROVIDER_CHECK = "check"
MAX_REFERENCE = 120


class ManualPaymentError(Refusal):
    """A check or money order that cannot be recorded for this order."""


def record_check(order: Order, amount_text: str, reference: str, staff: Any,
                 currency: str | None = None) -> Payment:
    """Record a check or money order received for `order` and mark it paid. Returns the Payment."""
    if order.status == STATUS_PAID:
        raise ManualPaymentError(f"Order {order.number} is already paid.", status=409)
    if order.status not in (STATUS_PENDING_PAYMENT, STATUS_EXPIRED):
        raise ManualPaymentError(f"Order {order.number} is {order.status_label.lower()}: it cannot be paid.",
                                 status=409)
    try:
        amount_cents = parse_money(amount_text)
    except MoneyError:
        raise ManualPaymentError("Enter the amount on the check, like 54.90.", "amount") from None
    if amount_cents != order.total_cents:
        raise ManualPaymentError(
            f"The check is for {format_cents(amount_cents)} but the order's total is "
            f"{format_cents(order.total_cents)}: only a payment of exactly the total can be recorded.", "amount")
    if (currency or order.currency).upper() != order.currency:
        raise ManualPaymentError(f"Only payments in {order.currency} can be recorded for this order.", "amount")
    reference = " ".join((reference or "").split())
    if not reference:
        raise ManualPaymentError("Enter the check or money order number.", "reference")
    if len(reference) > MAX_REFERENCE:
        raise ManualPaymentError(f"The reference is at most {MAX_REFERENCE} characters.", "reference")
    payment = Payment(order_id=order.id, provider=PROVIDER_CHECK, idempotency_key=f"check:{order.id}",
                      amount_cents=amount_cents, currency=order.currency, status=PAYMENT_SUCCEEDED,
                      reference=reference, recorded_by_id=staff.id)
    db.session.add(payment)
    orders.record(order, "payment_recorded", f"Check or money order {reference} for {format_cents(amount_cents)} "
                  f"recorded by {staff.email}.", actor_id=staff.id)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ManualPaymentError(f"A payment for order {order.number} has already been recorded.", status=409) \
            from None
    if not orders.mark_paid(order.id, None, PROVIDER_CHECK):  # commits
        payment.status = PAYMENT_CANCELLED
        payment.failure_message = "Recorded, but the order was paid or closed meanwhile: return the check."
        db.session.commit()
        raise ManualPaymentError(f"Order {order.number} was paid or closed meanwhile: return the check.",
                                 status=409)
    db.session.refresh(order)
    if emails.payment_received(order, payment) is not None:
        orders.record(order, "email_queued", f"Payment received e-mail to {order.email} queued.")
    db.session.commit()
    return payment

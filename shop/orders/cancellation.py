"""Cancelling an order, with a reason: unpaid ones, and paid ones of which nothing has shipped.

- An unpaid order (awaiting payment): its held copies go back to stock (released), its promotion uses
  are given back, and an open card payment is cancelled at Stripe (best effort).
- A paid order with nothing shipped: the copies sold go back to stock as a `returned` movement, the
  course access it granted is withdrawn, its promotion uses are given back (confirmed ones too), and
  what was paid is refunded in full as part of cancelling, so staff never cancel and forget to refund.
  The cancellation is committed first (the order can no longer be shipped), then the refund is made;
  if Stripe fails, the order stays cancelled and the outcome says so: retry the refund from the order page.
  A paid order is refunded within the staff refund limit, so staff need an admin above it, as for a
  refund. An order of which something has shipped is refunded instead (in part or in full).
"""

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from shop.core import audit
from shop.core.timeutil import utcnow
from shop.courses import access as course_access
from shop.extensions import db
from shop.orders import emails, refunds, reservations, services, status
from shop.orders.editing import ActionRefused, OrderChanged
from shop.orders.models import (
    PAYMENT_CANCELLED,
    PAYMENT_PENDING,
    PAYMENT_REQUIRES_ACTION,
    STATUS_CANCELLED,
    STATUS_PAID,
    Order,
    Payment,
    Refund,
    Shipment,
)
from shop.payments.gateway import processor
from shop.promotions.redemptions import release_for_order

REASON_MAX = 500


@dataclass(frozen=True)
class Cancelled:
    """What cancelling did: the refund made (None when nothing was paid), or why the refund failed."""

    refund: Refund | None = None
    refund_error: str = ""


def can_cancel(order: Order) -> tuple[bool, str]:
    """(True, "") or (False, why not) for showing the button."""
    if not status.can_move(order, STATUS_CANCELLED):
        return False, f"The order is {order.status_label.lower()}."
    if order.status != STATUS_PAID:
        return True, ""
    if db.session.scalar(select(Shipment.id).where(Shipment.order_id == order.id).limit(1)) is not None:
        return False, "Part of it has shipped: refund instead."
    return True, ""


def cancel(order: Order, seen_version: int, reason: str | None, actor: Any) -> Cancelled:
    """Cancel the order; ActionRefused if it cannot be. A refund that fails at the processor leaves the
    order cancelled and is reported in the outcome (`refund_error`).
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ActionRefused("Give a reason for cancelling.", field="reason")
    if len(reason) > REASON_MAX:
        raise ActionRefused(f"The reason is at most {REASON_MAX} characters.", field="reason")
    if order.version_id != seen_version:  # checked again by the transition, atomically
        raise OrderChanged()
    allowed, why = can_cancel(order)
    if not allowed:
        raise ActionRefused(f"Order {order.number} cannot be cancelled. {why}", status=409)
    was_paid = order.status == STATUS_PAID
    to_refund = refunds.refundable_cents(order) if was_paid else 0
    if to_refund:  # everything that could stop the refund is checked before the order is cancelled
        refunds.check_allowed(order, to_refund, actor)
        refunds.refund_method(order)
    if not status.transition(order.id, STATUS_CANCELLED, from_statuses=(order.status,), version=seen_version,
                             closed_at=utcnow(), checkout_token=None):
        db.session.rollback()
        raise OrderChanged()
    db.session.refresh(order)
    if was_paid and db.session.scalar(select(Shipment.id).where(Shipment.order_id == order.id).limit(1)):
        db.session.rollback()  # a shipment was recorded between the check and the claim
        raise ActionRefused(f"Order {order.number} has just been shipped: refund it instead.", status=409)
    reservations.return_sold(order, actor.id)
    open_intents = []
    if was_paid:
        course_access.withdraw_for_order(order.id)
    else:
        for payment in db.session.scalars(select(Payment).where(
                Payment.order_id == order.id, Payment.status.in_((PAYMENT_PENDING, PAYMENT_REQUIRES_ACTION)))):
            payment.status = PAYMENT_CANCELLED
            if payment.intent_id:
                open_intents.append(payment.intent_id)
    released = release_for_order(order, include_confirmed=was_paid)
    details = "stock returned" + (f", {released} promotion use{'s' if released != 1 else ''} given back"
                                  if released else "") + (", course access withdrawn" if was_paid else "")
    summary = f"Cancelled by {actor.email}: {reason} ({details})."
    services.record(order, "cancelled", summary, actor_id=actor.id)
    audit.record("cancelled", "order", order.id, f"{reason} ({details})", actor=actor)
    db.session.commit()
    for intent_id in open_intents:
        processor().cancel(intent_id)
    outcome = Cancelled()
    if to_refund:
        try:
            outcome = Cancelled(refunds.refund(order, actor=actor, reason=f"Order cancelled: {reason}",
                                               idempotency_key=f"cancel-{secrets.token_hex(8)}",
                                               amount_cents=to_refund, notify=False))
        except ActionRefused as error:
            outcome = Cancelled(refund_error=error.message)
    _tell_customer(order, outcome)
    return outcome


def _tell_customer(order: Order, outcome: Cancelled) -> None:
    """One e-mail for the cancellation and its refund (once per order)."""
    db.session.refresh(order)
    if emails.order_cancelled(order, outcome.refund, outcome.refund_error) is not None:
        services.record(order, "email_queued", f"Cancellation e-mail to {order.email} queued.")
    db.session.commit()

"""Placing a phone order and taking payment one of three ways:

- card: keyed by staff into the Payment Element (card data never reaches us); the server charges the
  order's total as a mail/telephone order (shop.orders.payment.pay_with_card, MOTO where the processor
  allows);
- check or money order: the order waits, holding its copies PHONE_CHECK_HOLD_DAYS, until staff record it
  (shop.orders.checks);
- payment link: e-mailed to the caller (shop.orders.payment_links); the copies are held as long as the link
  lives.
Once placed, the draft's cart is deleted and the call is logged with a link to the order.
"""

from datetime import timedelta
from typing import Any

from shop.cart import services as cart_services
from shop.core import audit
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.orders import checks, payment_links
from shop.orders import payment as payments
from shop.orders.models import CHANNEL_PHONE, PAY_CARD, PAY_CHECK, PAY_LINK, STATUS_PENDING_PAYMENT, Order, Payment
from shop.orders.reservations import OutOfStock
from shop.phone.drafts import (
    AWAITING,
    METHOD_LABELS,
    Draft,
    PhoneOrderError,
    Placed,
    close,
    out_of_stock,
    reprice,
    setting,
)
from shop.promotions import redemptions
from shop.promotions.models import REDEMPTION_HELD, REDEMPTION_RELEASED, PromotionRedemption
from shop.quote import Quote


def _check_ready(draft: Draft, priced: Quote) -> None:
    order = draft.order
    if not draft.cart.items:
        raise PhoneOrderError("Add at least one item.", "item")
    if not order.email or not order.customer_name:
        raise PhoneOrderError("Find the caller or create them as a new customer first.", "q")
    problems = cart_services.problems(draft.cart, draft.owned, draft.held)
    if problems:
        raise PhoneOrderError(" ".join(problems), "item", status=409)
    address = {k: getattr(order, f"ship_{k}") for k in ("line1", "line2", "city", "region", "postal_code", "country")}
    missing = priced.missing_details(address, order.shipping_method_code)
    if missing:
        field, message = next(iter(missing.items()))
        raise PhoneOrderError(message, field)


def place(draft: Draft, staff: Any, method: str, payment_method_id: str = "") -> Placed:
    """Re-price, check, and take payment the chosen way. Raises PhoneOrderError; returns Placed."""
    if method not in METHOD_LABELS:
        raise PhoneOrderError("Choose how the caller pays.", "payment")
    now = utcnow()
    order = draft.order
    hold_until = {PAY_CHECK: now + timedelta(days=setting("PHONE_CHECK_HOLD_DAYS")),
                  PAY_LINK: now + timedelta(hours=setting("PAYMENT_LINK_HOURS"))}.get(method)
    try:
        priced = reprice(draft, until=hold_until, now=now)
        _check_ready(draft, priced)
        if method == PAY_CARD and order.total_cents > 0 and not payment_method_id:
            raise PhoneOrderError("Key in the card details.", "payment")
        _count_promotions(order, priced)
    except redemptions.LimitReached as error:
        db.session.rollback()
        raise PhoneOrderError(error.message, "code", status=409) from error
    except OutOfStock as error:
        db.session.rollback()
        raise out_of_stock(error) from error
    except PhoneOrderError:
        db.session.rollback()
        raise
    order.payment_method = method
    order.staff_id = staff.id
    order.placed_at = now
    db.session.commit()
    if order.total_cents == 0:
        outcome = payments.pay_free_order(order)
        return close(draft, staff, Placed(outcome.status, order))
    if method == PAY_CARD:
        moto = bool(setting("PHONE_CARD_MOTO"))
        return card_outcome(draft, staff, payments.pay_with_card(order, payment_method_id, moto=moto))
    if method == PAY_LINK:
        payment_links.send(order, staff)
    return close(draft, staff, Placed(AWAITING, order))


def _count_promotions(order: Order, priced: Quote) -> None:
    """Count the order's uses of its promotions and codes against their limits, once: an earlier attempt's
    count (a declined card, then a changed order) is given back first."""
    wanted: dict[int, int] = {}
    for adjustment in priced.breakdown.adjustments:
        if adjustment.promotion_id is not None:
            wanted[adjustment.promotion_id] = wanted.get(adjustment.promotion_id, 0) + adjustment.amount_cents
    held = dict(db.session.execute(
        db.select(PromotionRedemption.promotion_id, PromotionRedemption.discount_cents)
        .where(PromotionRedemption.order_id == order.id, PromotionRedemption.status == REDEMPTION_HELD)).all())
    if held == wanted:
        return
    redemptions.release_for_order(order)
    db.session.execute(db.delete(PromotionRedemption).where(PromotionRedemption.order_id == order.id,
                                                            PromotionRedemption.status == REDEMPTION_RELEASED))
    redemptions.hold(order, priced.breakdown, priced.context.code_ids if priced.context else {})


def card_outcome(draft: Draft, staff: Any, outcome: payments.PaymentOutcome) -> Placed:
    """After a card attempt (or its 3-D Secure follow-up): close the draft once it is paid."""
    placed = Placed(outcome.status, outcome.order, outcome.message, outcome.client_secret)
    if outcome.status == payments.RESULT_PAID:
        return close(draft, staff, placed)
    return placed


def awaiting_payment(limit: int = 20) -> list[Order]:
    """Phone orders placed to be paid by check or link and not paid yet, oldest first."""
    return list(db.session.execute(
        db.select(Order).where(Order.channel == CHANNEL_PHONE, Order.status == STATUS_PENDING_PAYMENT,
                               Order.cart_id.is_(None), Order.payment_method.in_((PAY_CHECK, PAY_LINK)))
        .order_by(Order.placed_at, Order.id).limit(limit)
    ).scalars().all())


# ---- after placing: a check arrives, or the caller needs a new link ---------------------------------

def record_check(order: Order, amount_text: str, reference: str, staff: Any) -> Payment:
    """Staff record the check or money order received (shop.orders.checks): the order is paid."""
    audit.record("check_recorded", "order", order.id, f"Check or money order {' '.join(reference.split())[:120]}.",
                 actor=staff)
    return checks.record_check(order, amount_text, reference, staff)


def resend_link(order: Order, staff: Any, now: Any = None) -> Any:
    """E-mail a new payment link (the older ones stop working); the copies stay held as long as it lives."""
    if order.status != STATUS_PENDING_PAYMENT or order.cart_id is not None:
        raise PhoneOrderError(f"Order {order.number} is {order.status_label.lower()}: no payment link can be "
                              "sent for it.", status=409)
    link = payment_links.send(order, staff, now)
    order.payment_method = PAY_LINK
    audit.record("payment_link_sent", "order", order.id, f"Payment link e-mailed to {order.email}.", actor=staff)
    db.session.commit()
    return link

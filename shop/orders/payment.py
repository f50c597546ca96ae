"""Paying an order with a card, and what the processor tells us afterwards (webhooks, retrieves).

Over 300 lines: every way a card charge's outcome reaches the order (our call's answer, a retrieve, a
webhook, the events read back after no answer) is decided here, in one place.

An order is marked paid only on the processor's word: the synchronous answer to our own
server-side create-and-confirm, a server-side retrieve, or a signed webhook; never the browser's.
Each attempt is a Payment row whose unique idempotency key (order number + payment method) stops a
double-clicked "Place order" from charging twice, even where the processor keeps no memory of keys.

A customer's order (checkout, or a phone order's payment link) takes CARD_DECLINES_PER_ORDER declined cards:
at that many failed Payment rows it is closed at once, its copies and promotion uses released exactly as an
unpaid order that expires (shop.orders.services.abandon), and every later attempt is refused with
RESULT_TOO_MANY_DECLINES. Cards that staff key in at the phone desk count towards an order's declines but
are not themselves capped.

A charge the processor did not answer (gateway.GatewayUnreachable: refused, dropped, timed out) may have been
made all the same, and Stripe-compatible servers need not honour idempotency keys. Its Payment row stays
pending with no intent and failure_message UNANSWERED, and the order keeps it. Before any new charge of that
order (another click, another card, a changed cart) the processor's own events are read back
(settle_unanswered): an intent made for the attempt (its metadata carries the attempt's key) is adopted and
synced, so a charge that went through pays the order and no second one is made; an attempt the processor
never received is closed as cancelled (not counted as a decline). While the processor still cannot be
reached, nothing new is charged. `flask reconcile-payments` does the same for orders nobody retried.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shop.core.text import is_whole_number
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.membership import events as membership_events
from shop.orders import services as orders
from shop.orders import stripe_events
from shop.orders.models import (
    CHANNEL_WEB,
    PAYMENT_CANCELLED,
    PAYMENT_FAILED,
    PAYMENT_PENDING,
    PAYMENT_REQUIRES_ACTION,
    PAYMENT_SUCCEEDED,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    Order,
    Payment,
)
from shop.payments import gateway
from shop.payments.gateway import Event, Intent, processor
from shop.payments.models import ProcessedEvent

log = logging.getLogger(__name__)

RESULT_PAID = "paid"
RESULT_REQUIRES_ACTION = "requires_action"
RESULT_DECLINED = "declined"
RESULT_PENDING = "pending"
RESULT_TOO_MANY_DECLINES = "too_many_declines"  # the order was closed after too many declined cards
RESULT_UNANSWERED = "unanswered"  # the processor did not answer: nothing new is charged until it does
UNANSWERED = "No answer from the card processor: looked up before any new charge."
NEVER_RECEIVED = "The card processor never received this payment."
INTENT_EVENTS = ("payment_intent.succeeded", "payment_intent.payment_failed")


@dataclass(frozen=True)
class PaymentOutcome:
    status: str
    order: Order
    message: str = ""
    client_secret: str | None = None


_INTENT_TO_PAYMENT = {
    gateway.INTENT_SUCCEEDED: PAYMENT_SUCCEEDED,
    gateway.INTENT_REQUIRES_ACTION: PAYMENT_REQUIRES_ACTION,
    gateway.INTENT_REQUIRES_PAYMENT_METHOD: PAYMENT_FAILED,
    gateway.INTENT_CANCELED: PAYMENT_CANCELLED,
}


def _sync(payment: Payment, intent: Intent, source: str) -> "PaymentOutcome":
    """Bring our records in line with the processor's view of this intent; return the outcome."""
    order = payment.order
    if intent.status == gateway.INTENT_SUCCEEDED:
        orders.mark_paid(order.id, intent, source)
        db.session.refresh(order)
        if order.status == STATUS_PAID:
            return PaymentOutcome(RESULT_PAID, order)
        return PaymentOutcome(RESULT_DECLINED, order, "We could not match this payment to your order. "
                              "Your card may have been charged: please call us.")
    if intent.status == gateway.INTENT_REQUIRES_ACTION:
        payment.status = PAYMENT_REQUIRES_ACTION
        db.session.commit()
        return PaymentOutcome(RESULT_REQUIRES_ACTION, order, client_secret=intent.client_secret)
    if intent.status == gateway.INTENT_REQUIRES_PAYMENT_METHOD:
        orders.record_payment_failure(intent, source)
        return PaymentOutcome(RESULT_DECLINED, order, intent.failure_message or "Your card was declined.")
    payment.status = _INTENT_TO_PAYMENT.get(intent.status, PAYMENT_PENDING)
    db.session.commit()
    return PaymentOutcome(RESULT_PENDING, order, "Your payment is being processed.")


def declines(order: Order) -> int:
    """How many card payments for this order were declined (its failed Payment rows)."""
    return db.session.scalar(
        select(func.count(Payment.id)).where(Payment.order_id == order.id, Payment.status == PAYMENT_FAILED))


def decline_cap() -> int:
    """CARD_DECLINES_PER_ORDER (config.py): the declined cards an order takes before it is closed."""
    return max(1, int(current_app.config["CARD_DECLINES_PER_ORDER"]))


def too_many_declines(order: Order) -> bool:
    return declines(order) >= decline_cap()


def too_many_declines_message() -> str:
    return (f"This order has had {decline_cap()} declined card payments, so we have closed it and put its items "
            f"back. Call us on {current_app.config['ORDER_PHONE']} to pay by phone, or check out again.")


def _close_for_declines(order: Order, declined: str = "") -> "PaymentOutcome":
    """The order took its last declined card: closed, and its holds released, as an expired order's are."""
    if order.status == STATUS_PENDING_PAYMENT:
        orders.abandon(order, f"{declines(order)} declined card payments: closed, copies and promotion uses "
                              "released.")
    message = too_many_declines_message()
    return PaymentOutcome(RESULT_TOO_MANY_DECLINES, order, f"{declined} {message}" if declined else message)


def _capped(order: Order, cap_declines: bool | None) -> bool:
    """Whether the decline cap guards this attempt: asked for (a payment link), else a web order's."""
    return cap_declines if cap_declines is not None else order.channel == CHANNEL_WEB


def _after_attempt(outcome: "PaymentOutcome", capped: bool) -> "PaymentOutcome":
    if capped and outcome.status == RESULT_DECLINED and outcome.order.status == STATUS_PENDING_PAYMENT \
            and too_many_declines(outcome.order):
        return _close_for_declines(outcome.order, outcome.message)
    return outcome


def pay_with_card(order: Order, payment_method_id: str, *, moto: bool = False,
                  cap_declines: bool | None = None) -> "PaymentOutcome":
    """Charge the order's total to this payment method, once, whatever the number of clicks.

    `moto`: staff keyed the card in for a phone order (see stripe_gateway.create_and_confirm).
    `cap_declines`: refuse (and close the order) past CARD_DECLINES_PER_ORDER declines; by default for a web
    order only (a phone order's payment link asks for it)."""
    if order.status == STATUS_PAID:
        return PaymentOutcome(RESULT_PAID, order)
    capped = _capped(order, cap_declines)
    if capped and too_many_declines(order):
        return _close_for_declines(order)
    if order.status != STATUS_PENDING_PAYMENT:
        return PaymentOutcome(RESULT_DECLINED, order, "This order can no longer be paid. Please check out again.")
    settled = settle_unanswered(order)
    if settled is not None:
        return settled
    return _after_attempt(_charge(order, payment_method_id, moto), capped)


def _charge(order: Order, payment_method_id: str, moto: bool) -> "PaymentOutcome":
    key = f"{order.number}:{payment_method_id}"
    payment = Payment(order_id=order.id, idempotency_key=key, amount_cents=order.total_cents,
                      currency=order.currency, status=PAYMENT_PENDING)
    db.session.add(payment)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _existing_attempt(key)
    try:
        intent = processor().create_and_confirm(
            amount_cents=order.total_cents, currency=order.currency, payment_method=payment_method_id,
            idempotency_key=key, metadata={"order_id": str(order.id), "order_number": order.number, "attempt": key},
            moto=moto,
        )
    except gateway.GatewayUnreachable as error:
        payment.failure_message = UNANSWERED  # still pending: the processor may have charged the card
        orders.record(order, "payment_unanswered", "The card processor did not answer a card payment; it is "
                                                   "looked up before any new charge.")
        db.session.commit()
        return PaymentOutcome(RESULT_UNANSWERED, order, error.message)
    except gateway.PaymentError as error:
        payment.status = PAYMENT_FAILED
        payment.failure_message = error.message[:500]
        orders.record(order, "payment_failed", f"Card payment failed: {error.message}")
        db.session.commit()
        return PaymentOutcome(RESULT_DECLINED, order, error.message)
    payment.intent_id = intent.id
    db.session.commit()
    return _sync(payment, intent, "checkout")


def _existing_attempt(key: str) -> "PaymentOutcome":
    """A second click with the same card while (or after) the first was being charged."""
    payment = db.session.execute(db.select(Payment).filter_by(idempotency_key=key)).scalar_one()
    order = payment.order
    if order.status == STATUS_PAID:
        return PaymentOutcome(RESULT_PAID, order)
    if payment.intent_id and payment.status in (PAYMENT_REQUIRES_ACTION, PAYMENT_PENDING):
        return refresh_from_processor(order, payment.intent_id)
    if payment.status == PAYMENT_FAILED:
        return PaymentOutcome(RESULT_DECLINED, order, payment.failure_message or "Your card was declined.")
    return PaymentOutcome(RESULT_PENDING, order, "Your payment is being processed.")


def unanswered(order: Order) -> list[Payment]:
    """The order's charges the processor never answered, not yet settled."""
    return list(db.session.scalars(select(Payment).where(
        Payment.order_id == order.id, Payment.status == PAYMENT_PENDING, Payment.intent_id.is_(None),
        Payment.failure_message == UNANSWERED).order_by(Payment.id)))


def _grace() -> timedelta:
    """How long an unanswered charge may still be running at the processor (twice the client's timeout)."""
    return timedelta(seconds=2 * int(current_app.config["STRIPE_TIMEOUT_SECONDS"]) + 5)


def settle_unanswered(order: Order) -> "PaymentOutcome | None":
    """How the order's unanswered charges ended, read from the processor's events. Returns an outcome when it
    decides what the customer is told (paid; or RESULT_UNANSWERED: still no answer, charge nothing new), None
    when no unanswered charge took the money (each is closed, and a new charge may be made)."""
    attempts = unanswered(order)
    if not attempts:
        return None
    since = min(payment.created_at for payment in attempts).replace(tzinfo=UTC).timestamp() - 60
    try:
        events = list(processor().events_since(int(since), INTENT_EVENTS))
    except gateway.GatewayError:
        return PaymentOutcome(RESULT_UNANSWERED, order, gateway.GatewayUnreachable.message)
    made = {event.intent.metadata.get("attempt"): event.intent for event in events if event.intent is not None}
    outcome = None
    for payment in attempts:
        intent = made.get(payment.idempotency_key)
        if intent is not None:
            payment.intent_id = intent.id
            db.session.commit()
            synced = _sync(payment, intent, "looked up")
            outcome = synced if synced.status == RESULT_PAID else outcome
        elif utcnow() - payment.created_at < _grace():
            outcome = outcome or PaymentOutcome(RESULT_UNANSWERED, order, gateway.GatewayUnreachable.message)
        else:
            payment.status, payment.failure_message = PAYMENT_CANCELLED, NEVER_RECEIVED
            db.session.commit()
    return outcome


def refresh_from_processor(order: Order, intent_id: str, *, cap_declines: bool | None = None) -> "PaymentOutcome":
    """After 3-D Secure in the browser: ask the processor (never the browser) how the intent ended.
    `cap_declines` as for pay_with_card: a decline that reaches the cap closes the order."""
    payment = db.session.execute(
        db.select(Payment).filter_by(intent_id=intent_id, order_id=order.id)
    ).scalar_one_or_none()
    if payment is None:
        return PaymentOutcome(RESULT_DECLINED, order, "That payment does not belong to this order.")
    try:
        intent = processor().retrieve(intent_id)
    except gateway.GatewayError as error:
        return PaymentOutcome(RESULT_PENDING, order, error.message)
    return _after_attempt(_sync(payment, intent, "retrieve"), _capped(order, cap_declines))


def pay_free_order(order: Order) -> "PaymentOutcome":
    """An order whose total is zero needs no card."""
    if order.total_cents != 0:
        raise ValueError("only an order totalling zero can be paid without a card")
    orders.mark_paid(order.id, None, "free order")
    db.session.refresh(order)
    return PaymentOutcome(RESULT_PAID, order)


def handle_event(event: Event) -> str:
    """A verified webhook event. Duplicates and late or out-of-order deliveries change nothing twice."""
    if db.session.get(ProcessedEvent, event.id) is not None:
        return "duplicate"
    intent = event.intent
    outcome = "ignored"
    if event.type in membership_events.TYPES:
        outcome = membership_events.handle(event)
    elif event.type in stripe_events.TYPES:
        outcome = stripe_events.handle(event)
    elif intent is not None and event.type in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        payment = db.session.execute(db.select(Payment).filter_by(intent_id=intent.id)).scalar_one_or_none() \
            or _unanswered_attempt(intent)
        order_id = payment.order_id if payment else _order_id_from_metadata(intent)
        if order_id is None:
            log.warning("Webhook %s for unknown intent %s", event.id, intent.id)
            outcome = "unknown intent"
        elif event.type == "payment_intent.succeeded":
            if payment is None:  # the create call's answer was lost: adopt the intent from its metadata
                payment = _adopt(order_id, intent)
            orders.mark_paid(order_id, intent, "webhook")
            outcome = "paid"
        else:
            orders.record_payment_failure(intent, "webhook")
            outcome = "failed"
    db.session.add(ProcessedEvent(event_id=event.id, event_type=event.type))
    try:
        db.session.commit()
    except IntegrityError:  # the same event, delivered twice at once: the other delivery recorded it
        db.session.rollback()
        return "duplicate"
    return outcome


def _order_id_from_metadata(intent: Intent) -> int | None:
    value = intent.metadata.get("order_id", "")
    return int(value) if is_whole_number(value) and db.session.get(Order, int(value)) else None


def _unanswered_attempt(intent: Intent) -> Payment | None:
    """The unanswered charge this intent was made for (its metadata names the attempt), now given the intent."""
    key = intent.metadata.get("attempt", "")
    payment = db.session.scalar(select(Payment).where(Payment.idempotency_key == key, Payment.intent_id.is_(None))) \
        if key else None
    if payment is not None:
        payment.intent_id = intent.id
        db.session.flush()
    return payment


def _adopt(order_id: int, intent: Intent) -> Payment:
    payment = Payment(order_id=order_id, idempotency_key=f"adopted:{intent.id}", intent_id=intent.id,
                      amount_cents=intent.amount_cents, currency=intent.currency, status=PAYMENT_PENDING)
    db.session.add(payment)
    db.session.flush()
    return payment

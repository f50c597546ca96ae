"""Joining: a Stripe customer for the account, its card, and a subscription to the plan, once.

`subscribe` is safe to call twice for one click: the Membership row (unique per live account and per
idempotency key) is written before Stripe is called, and Stripe gets the same idempotency key. The first
invoice is charged at once; 3-D Secure is answered in the browser and `confirm` then asks Stripe (never
the browser) how it ended. A declined first payment ends the attempt, so the member can try another card.

Over 300 lines: joining, confirming and settling a start left half-way share the private steps of one
conversation with Stripe; split apart, the modules would reach into each other's internals.
"""

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.accounts.models import User
from shop.core import audit
from shop.core.errors import Refusal
from shop.extensions import db
from shop.membership import plan, queries, sync
from shop.membership.models import CHANNEL_PHONE, CHANNEL_WEB, ENDED, PENDING, BillingCustomer, Membership
from shop.payments import gateway
from shop.payments.gateway import processor

log = logging.getLogger(__name__)

JOINED = "active"
REQUIRES_ACTION = "requires_action"
DECLINED = "declined"
WAITING = "pending"


class AlreadyMember(Refusal):
    status = 409


class CardRefused(Refusal):
    """The card reference from the browser is not one Stripe.js makes."""


PAYMENT_METHOD_ID = re.compile(r"(pm|card|src|tok)_[A-Za-z0-9]{4,100}\Z")


@dataclass(frozen=True)
class FirstMonthCredit:
    """Money off the first invoice only (an offer for new members), said in the invoice's words."""

    amount_cents: int
    description: str


@dataclass(frozen=True)
class Outcome:
    status: str
    membership: Membership
    message: str = ""
    client_secret: str | None = None


def now_seconds() -> int:
    return int(datetime.now(UTC).timestamp())


def customer_id_for(user: User) -> str:
    """The account's Stripe customer, created the first time (a race keeps the first one written)."""
    row = db.session.get(BillingCustomer, user.id)
    if row is not None:
        return row.stripe_customer_id
    customer = processor().create_customer(email=user.email, name=user.full_name or "",
                                           metadata={"user_id": str(user.id)},
                                           idempotency_key=f"customer:{user.id}")
    db.session.add(BillingCustomer(user_id=user.id, stripe_customer_id=customer))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return db.session.get(BillingCustomer, user.id).stripe_customer_id
    return customer


def begin(user: User, payment_method: str, *, staff: Any = None) -> "Membership | Outcome":
    """Write this attempt's row before anything is asked of Stripe (one per click: unique per live account
    and per idempotency key). Returns the new Membership, or the Outcome of the attempt already made."""
    if not PAYMENT_METHOD_ID.fullmatch(payment_method or ""):
        raise CardRefused("Enter your card details again.", "payment", status=400)
    product = plan.plan_product()
    key = f"membership:{user.id}:{payment_method}"[:200]
    existing = queries.live_membership(user.id)
    if existing is not None and existing.idempotency_key == key:  # the same click again
        return _resume(user.id)
    if existing is not None and existing.state != PENDING:
        raise AlreadyMember(f"{user.email} is already a member. Manage the membership from the account page.")
    membership = Membership(user_id=user.id, live_user_id=user.id, product_id=product.id, idempotency_key=key,
                            price_cents=product.price_cents, currency=product.currency,
                            channel=CHANNEL_PHONE if staff is not None else CHANNEL_WEB,
                            created_by_id=getattr(staff, "id", None))
    db.session.add(membership)
    try:
        db.session.commit()
    except IntegrityError:  # a second click, or another attempt under way
        db.session.rollback()
        return _resume(user.id)
    return membership


def record_offer(membership: Membership, promotion_id: int, code_id: int | None, discount_cents: int) -> None:
    """Note the first-month offer counted for this attempt (given back if its first payment never succeeds)."""
    membership.offer_promotion_id, membership.offer_code_id = promotion_id, code_id
    membership.offer_discount_cents = discount_cents
    db.session.commit()


def charge(membership: Membership, payment_method: str, *, credit: FirstMonthCredit | None = None,
           trial_end: int | None = None) -> Outcome:
    """Save the card on the member's Stripe customer, put any first-month credit on their next invoice, and
    subscribe them to the plan: the first invoice is charged at once."""
    user = membership.user
    actor = db.session.get(User, membership.created_by_id) if membership.created_by_id else user
    product = plan.plan_product()
    credit_id = None
    try:
        plan_id = plan.ensure_plan(product)
        customer = customer_id_for(user)
        processor().set_default_card(customer, payment_method)
        if credit is not None and credit.amount_cents > 0:
            credit_id = processor().add_invoice_credit(
                customer_id=customer, amount_cents=credit.amount_cents, currency=product.currency,
                description=credit.description, idempotency_key=f"credit:{membership.idempotency_key}"[:200])
    except gateway.PaymentError as error:  # nothing is subscribed yet
        _remove_credit(credit_id)
        abandon(membership, error.message)
        return Outcome(DECLINED, membership, error.message)
    try:
        subscription = processor().create_subscription(
            customer_id=customer, plan_id=plan_id, idempotency_key=membership.idempotency_key, trial_end=trial_end,
            metadata={"membership_id": str(membership.id), "user_id": str(user.id)})
    except gateway.PaymentDeclined as error:
        _remove_credit(credit_id)
        abandon(membership, error.message)
        return Outcome(DECLINED, membership, error.message)
    except gateway.GatewayError:  # Stripe may or may not have made it: look before saying anything
        found = _made_for(membership, customer)
        if found is None:
            return _unknown(membership, credit_id)
        subscription = found
    membership.stripe_subscription_id = subscription.id
    audit.record("membership started", "user", user.id, f"{membership.channel}: subscription {subscription.id}",
                 actor=actor)
    db.session.commit()
    return _settle(membership, subscription)


def subscribe(user: User, payment_method: str, *, staff: Any = None, trial_end: int | None = None,
              credit: FirstMonthCredit | None = None) -> Outcome:
    """Start the account's membership with this card: staff keying a caller's card make it a phone one.
    `credit` takes an offer's discount off the first invoice (Stripe adds the pending credit to it)."""
    started = begin(user, payment_method, staff=staff)
    if isinstance(started, Outcome):
        return started
    return charge(started, payment_method, credit=credit, trial_end=trial_end)


def _made_for(membership: Membership, customer: str) -> gateway.Subscription | None:
    """The subscription Stripe made for this attempt, by the membership id it carries, if any."""
    try:
        return next((sub for sub in processor().subscriptions_of(customer)
                     if sub.metadata.get("membership_id") == str(membership.id)), None)
    except gateway.GatewayError:
        return None


def _unknown(membership: Membership, credit_id: str | None) -> Outcome:
    """Stripe did not answer and shows no subscription for this attempt: nothing was charged. The attempt
    ends (a subscription Stripe makes for it later is cancelled when its webhook arrives)."""
    _remove_credit(credit_id)
    message = gateway.GatewayError.message
    abandon(membership, message)
    return Outcome(DECLINED, membership, message)


def _remove_credit(credit_id: str | None) -> None:
    if credit_id:
        try:
            processor().remove_invoice_credit(credit_id)
        except gateway.GatewayError:
            log.error("A first-month credit %s is left on a Stripe customer: remove it in Stripe", credit_id)


def _resume(user_id: int) -> Outcome:
    membership = queries.live_membership(user_id)
    if membership is None:
        raise AlreadyMember("That card was just declined. Please try another card.")
    if membership.state != PENDING:
        return Outcome(JOINED, membership)
    if membership.stripe_subscription_id is None:
        customer = db.session.get(BillingCustomer, user_id)
        found = _made_for(membership, customer.stripe_customer_id) if customer else None
        if found is None:
            return Outcome(WAITING, membership, "Your membership is being set up. Please wait a moment.")
        membership.stripe_subscription_id = found.id
        db.session.commit()
    return confirm(membership)


def confirm(membership: Membership) -> Outcome:
    """After 3-D Secure, or a second click: Stripe's own view of the subscription and its first invoice."""
    try:
        subscription = processor().retrieve_subscription(membership.stripe_subscription_id or "")
    except gateway.GatewayError as error:
        return Outcome(WAITING, membership, error.message)
    return _settle(membership, subscription)


def _settle(membership: Membership, subscription: gateway.Subscription) -> Outcome:
    sync.apply_subscription(membership, subscription, now_seconds())
    invoice = _first_invoice(subscription)
    if invoice is not None:
        sync.apply_invoice(membership, invoice)
    db.session.commit()
    if membership.is_open:
        return Outcome(JOINED, membership)
    if membership.state == ENDED:
        return Outcome(DECLINED, membership, "This membership attempt has ended. Please try again.")
    intent = _intent(invoice)
    if intent is not None and intent.status == gateway.INTENT_REQUIRES_ACTION:
        membership.pending_intent_id = intent.id
        db.session.commit()
        return Outcome(REQUIRES_ACTION, membership, client_secret=intent.client_secret)
    if intent is not None and intent.status in (gateway.INTENT_REQUIRES_PAYMENT_METHOD, gateway.INTENT_CANCELED):
        message = intent.failure_message or "Your card was declined."
        _cancel_quietly(membership)
        abandon(membership, message)
        return Outcome(DECLINED, membership, message)
    return Outcome(WAITING, membership, "Your payment is being processed.")


def _first_invoice(subscription: gateway.Subscription) -> gateway.BillingInvoice | None:
    if not subscription.latest_invoice_id:
        return None
    try:
        return processor().retrieve_invoice(subscription.latest_invoice_id)
    except gateway.GatewayError:
        return None


def _intent(invoice: gateway.BillingInvoice | None) -> gateway.Intent | None:
    if invoice is None or not invoice.intent_id:
        return None
    try:
        return processor().retrieve(invoice.intent_id)
    except gateway.GatewayError:
        return None


def _cancel_quietly(membership: Membership) -> None:
    if membership.stripe_subscription_id:
        try:
            processor().cancel_subscription(membership.stripe_subscription_id)
        except gateway.GatewayError:
            log.warning("Could not cancel the unpaid subscription %s", membership.stripe_subscription_id)


def abandon(membership: Membership, message: str) -> None:
    """The first payment failed: the attempt ends (no e-mail: the member is on the page, reading why), and
    any offer counted for it is given back (signals.start_abandoned), once, whoever else ends it too."""
    if sync.end(membership):  # not when ended already, or meanwhile by the other one, which recorded why
        audit.record("membership declined", "user", membership.user_id, message[:300])
    db.session.commit()


def has_been_member(user_id: int) -> bool:
    """Whether this account ever had a membership that started (offers for new members are not for it)."""
    return db.session.scalar(select(Membership.id).where(Membership.user_id == user_id,
                                                         Membership.started_at.is_not(None)).limit(1)) is not None


def own_membership(user_id: int, membership_id: int) -> Membership | None:
    """The account's own membership by id (for the 3-D Secure return), or None."""
    return db.session.scalar(select(Membership).where(Membership.id == membership_id,
                                                      Membership.user_id == user_id))


def expire_stale_starts(now: datetime | None = None, *, unanswered: timedelta = timedelta(minutes=30),
                        unconfirmed: timedelta = timedelta(days=1)) -> int:
    """Settle starts left half-way (run with `flask expire-orders`): one whose Stripe answer never came is
    looked up by its membership id and joins or ends; one waiting for 3-D Secure for a day is asked of
    Stripe once more, and ends (its subscription cancelled) if still unpaid. Returns how many changed."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    stale = list(db.session.scalars(select(Membership).where(
        Membership.state == PENDING,
        ((Membership.stripe_subscription_id.is_(None)) & (Membership.created_at < now - unanswered))
        | (Membership.stripe_subscription_id.is_not(None) & (Membership.created_at < now - unconfirmed)))))
    for membership in stale:
        try:
            outcome = _resume(membership.user_id) if membership.stripe_subscription_id is None else confirm(membership)
        except AlreadyMember:  # ended meanwhile by the same job on another server
            continue
        if outcome.status in (WAITING, REQUIRES_ACTION) and membership.state == PENDING:
            _cancel_quietly(membership)
            abandon(membership, "the start was never completed")
    return len(stale)

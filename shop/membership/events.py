"""Stripe's Billing webhooks for the membership, applied through `sync` (idempotent, any order).

A subscription event is a cue, not the truth: the subscription is read back from Stripe and its current
state applied, so events arriving late, twice or out of order all end in Stripe's present state (the
event's own copy is used only when Stripe cannot be reached). The membership row is locked while it is
changed, so two deliveries at once cannot overwrite each other. The caller
(shop.orders.payment.handle_event) records each event so that a duplicate delivery changes nothing.
"""

import logging

from sqlalchemy import select

from shop.core.text import is_whole_number
from shop.extensions import db
from shop.membership import sync
from shop.membership.models import ENDED, Membership
from shop.membership.signup import now_seconds
from shop.payments.gateway import Event, GatewayError, Subscription, processor

log = logging.getLogger(__name__)

SUBSCRIPTION_EVENTS = ("customer.subscription.created", "customer.subscription.updated",
                       "customer.subscription.deleted")
INVOICE_PAID_EVENTS = ("invoice.paid", "invoice.payment_succeeded")
INVOICE_FAILED_EVENTS = ("invoice.payment_failed",)
LIVE_STATUSES = ("active", "trialing", "past_due", "unpaid")
TYPES = SUBSCRIPTION_EVENTS + INVOICE_PAID_EVENTS + INVOICE_FAILED_EVENTS


def handle(event: Event) -> str:
    """Apply one membership event (not committed: the caller commits it with the event's record)."""
    if event.subscription is not None:
        membership = _membership(event.subscription.id, event.subscription.metadata)
        if membership is None:
            return "unknown subscription"
        subscription, seen_at = _current(event)
        was_ended = membership.state == ENDED
        sync.apply_subscription(membership, subscription, seen_at)
        if subscription.status == "canceled":
            sync.end(membership, subscription.ended_at or seen_at)
        elif was_ended and subscription.status in LIVE_STATUSES:
            _stop_orphan(subscription.id)
        return f"membership {membership.state}"
    if event.invoice is not None:
        membership = _membership(event.invoice.subscription_id, {})
        if membership is None:
            return "not a membership invoice"
        sync.apply_invoice(membership, event.invoice, failed=event.type in INVOICE_FAILED_EVENTS)
        return f"invoice {event.invoice.status}"
    return "ignored"


def _current(event: Event) -> tuple[Subscription, int]:
    """Stripe's subscription as it is now, or the event's copy (as of the event) when Stripe is out of reach."""
    assert event.subscription is not None
    try:
        return processor().retrieve_subscription(event.subscription.id), now_seconds()
    except GatewayError:
        return event.subscription, event.created


def _stop_orphan(subscription_id: str) -> None:
    """A subscription still billing for a membership the shop has ended (its start was abandoned when Stripe
    did not answer in time): cancel it, so nobody pays for nothing."""
    try:
        processor().cancel_subscription(subscription_id)
        log.warning("Cancelled subscription %s: its membership had ended", subscription_id)
    except GatewayError:
        log.error("Subscription %s is live for an ended membership and could not be cancelled", subscription_id)


def _membership(subscription_id: str | None, metadata: dict[str, str]) -> Membership | None:
    """By subscription id; or, when our own call's answer was lost, by the membership id we sent along.
    Locked for the rest of the transaction (PostgreSQL; SQLite has a single writer anyway)."""
    membership = sync.by_subscription(subscription_id, for_update=True)
    if membership is None and is_whole_number(metadata.get("membership_id", "")) \
            and int(metadata["membership_id"]) < 2**31:
        membership = db.session.scalar(select(Membership).where(Membership.id == int(metadata["membership_id"]))
                                       .with_for_update(of=Membership))
        if membership is not None and membership.stripe_subscription_id not in (None, subscription_id):
            return None
    if membership is None:
        log.warning("Stripe event for an unknown subscription %s", subscription_id)
    return membership

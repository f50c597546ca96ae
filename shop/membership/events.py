"""Stripe's Billing webhooks for the membership, applied through `sync` (idempotent, any order).

The caller (shop.orders.payment.handle_event) has already made sure each event is acted on once.
"""

import logging

from shop.extensions import db
from shop.membership import sync
from shop.membership.models import Membership
from shop.payments.gateway import Event

log = logging.getLogger(__name__)

SUBSCRIPTION_EVENTS = ("customer.subscription.created", "customer.subscription.updated",
                       "customer.subscription.deleted")
INVOICE_PAID_EVENTS = ("invoice.paid", "invoice.payment_succeeded")
INVOICE_FAILED_EVENTS = ("invoice.payment_failed",)
TYPES = SUBSCRIPTION_EVENTS + INVOICE_PAID_EVENTS + INVOICE_FAILED_EVENTS


def handle(event: Event) -> str:
    """Apply one membership event (not committed: the caller commits it with the event's record)."""
    if event.subscription is not None:
        membership = _membership(event.subscription.id, event.subscription.metadata)
        if membership is None:
            return "unknown subscription"
        sync.apply_subscription(membership, event.subscription, event.created)
        if event.type == "customer.subscription.deleted":
            sync.end(membership, event.subscription.ended_at or event.created)
        return f"membership {membership.state}"
    if event.invoice is not None:
        membership = _membership(event.invoice.subscription_id, {})
        if membership is None:
            return "not a membership invoice"
        sync.apply_invoice(membership, event.invoice, failed=event.type in INVOICE_FAILED_EVENTS)
        return f"invoice {event.invoice.status}"
    return "ignored"


def _membership(subscription_id: str | None, metadata: dict[str, str]) -> Membership | None:
    """By subscription id; or, when our own call's answer was lost, by the membership id we sent along."""
    membership = sync.by_subscription(subscription_id)
    if membership is None and metadata.get("membership_id", "").isdigit():
        membership = db.session.get(Membership, int(metadata["membership_id"]))
        if membership is not None and membership.stripe_subscription_id not in (None, subscription_id):
            return None
    if membership is None:
        log.warning("Stripe event for an unknown subscription %s", subscription_id)
    return membership

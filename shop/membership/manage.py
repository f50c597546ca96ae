"""Changing a membership: a new card, cancel at period end, undo that, or (staff) end it at once.

Each asks Stripe first and records Stripe's answer through `sync`, so the webhook that follows changes
nothing more. Every change is audited with who made it.
"""

from datetime import UTC
from typing import Any

from shop.core import audit
from shop.core.errors import Refusal
from shop.extensions import db
from shop.membership import sync
from shop.membership.models import (
    ENDED,
    INVOICE_FAILED,
    INVOICE_OPEN,
    INVOICE_PAID,
    OPEN_STATES,
    PAST_DUE,
    PENDING,
    UNPAID,
    Membership,
    MembershipInvoice,
)
from shop.membership.signup import customer_id_for, now_seconds
from shop.payments import gateway
from shop.payments.gateway import processor
from shop.pricing.membership import prorated_refund_cents


class MembershipRefused(Refusal):
    status = 409


def _must_be_open(membership: Membership) -> None:
    if membership.state not in (*OPEN_STATES, UNPAID) or not membership.stripe_subscription_id:
        raise MembershipRefused("This membership has ended; there is nothing to change.")


def update_card(membership: Membership, payment_method: str, *, actor: Any) -> str:
    """Charge future invoices to this card; a payment that failed is tried again on it at once."""
    _must_be_open(membership)
    processor().set_default_card(customer_id_for(membership.user), payment_method)
    audit.record("membership card updated", "user", membership.user_id, "new card for the membership", actor=actor)
    db.session.commit()
    unpaid = [row for row in membership.invoices if row.status in (INVOICE_FAILED, INVOICE_OPEN)]
    if membership.state not in (PAST_DUE, UNPAID) or not unpaid:
        return "Your card is updated. Future payments will be charged to it."
    invoice = processor().pay_invoice(unpaid[0].stripe_invoice_id)
    sync.apply_invoice(membership, invoice)
    subscription = processor().retrieve_subscription(membership.stripe_subscription_id or "")
    sync.apply_subscription(membership, subscription, now_seconds())
    db.session.commit()
    if invoice.status == "paid":
        return "Your card is updated and the payment went through. Thank you."
    raise gateway.PaymentDeclined("Your card is saved, but the payment was declined again. Please try another card.")


def cancel_at_period_end(membership: Membership, *, actor: Any) -> None:
    _must_be_open(membership)
    _set_cancelling(membership, True, actor, "membership cancelling", "ends at the end of the paid period")


def resume(membership: Membership, *, actor: Any) -> None:
    _must_be_open(membership)
    if not membership.cancel_at_period_end:
        raise MembershipRefused("This membership is not set to end; it renews as usual.")
    _set_cancelling(membership, False, actor, "membership resumed", "the cancellation was undone: renews as usual")


def _set_cancelling(membership: Membership, cancel: bool, actor: Any, action: str, summary: str) -> None:
    subscription = processor().set_cancel_at_period_end(membership.stripe_subscription_id or "", cancel)
    sync.apply_subscription(membership, subscription, now_seconds())
    audit.record(action, "user", membership.user_id, summary, actor=actor)
    db.session.commit()


def refund_due_cents(membership: Membership, now: int | None = None) -> int:
    """What ending now gives back: the unused part of the last paid period (after earlier refunds)."""
    paid = _last_paid(membership)
    if paid is None or paid.period_start is None or paid.period_end is None:
        return 0
    due = prorated_refund_cents(paid.amount_cents, int(_seconds(paid.period_start)), int(_seconds(paid.period_end)),
                                now if now is not None else now_seconds())
    return max(due - paid.refunded_cents, 0)


def _seconds(value: Any) -> float:
    return value.replace(tzinfo=UTC).timestamp()


def _last_paid(membership: Membership) -> MembershipInvoice | None:
    paid = [row for row in membership.invoices if row.status == INVOICE_PAID and row.intent_id]
    return max(paid, key=lambda row: (row.period_end or row.created_at, row.id)) if paid else None


def cancel_now(membership: Membership, *, actor: Any, refund: bool) -> int:
    """Staff end the membership at once, with a prorated refund of the unused days when they choose.
    Returns the cents refunded.

    The refund comes first and is recorded before the subscription is cancelled: if Stripe fails between
    the two, ending it again refunds nothing more (the refunded amount is subtracted) and only cancels. A
    membership still starting with no subscription at Stripe (its answer never came) simply ends."""
    if membership.state == ENDED:
        raise MembershipRefused("This membership has already ended.")
    if membership.stripe_subscription_id is None:
        if membership.state != PENDING:
            raise MembershipRefused("This membership has no Stripe subscription to end.")
        sync.end(membership)
        audit.record("membership ended", "user", membership.user_id, "an unfinished start ended", actor=actor)
        db.session.commit()
        return 0
    amount = refund_due_cents(membership) if refund else 0
    if amount:
        paid = _last_paid(membership)
        processor().refund(paid.intent_id or "", amount, f"membership-refund:{paid.stripe_invoice_id}:{amount}",
                           "membership ended early: unused days")
        paid.refunded_cents += amount
        audit.record("membership refunded", "user", membership.user_id,
                     f"refunded {amount} cents for the unused days", actor=actor)
        db.session.commit()
    subscription = processor().cancel_subscription(membership.stripe_subscription_id)
    sync.apply_subscription(membership, subscription, now_seconds())
    sync.end(membership, subscription.ended_at or now_seconds())
    audit.record("membership ended", "user", membership.user_id,
                 "ended at once" + (f", refunded {amount} cents for the unused days" if amount else ", no refund"),
                 actor=actor)
    db.session.commit()
    return amount

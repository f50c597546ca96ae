"""What staff do in Stripe's own dashboard, heard through its webhooks: refunds made there, and disputes.

- charge.refunded: each refund of the charge the shop does not know yet (Refund.provider_refund_id is
  unique) is counted like a refund made in the shop (shop.orders.refunds.record_processor_refund). When
  the event carries no list of refunds (newer API versions), what Stripe refunded beyond what the shop
  recorded is counted as one refund. A membership invoice's charge updates that invoice's refunded total.
- charge.dispute.created / updated / closed: one Dispute row per Stripe dispute (unique id), the order's
  timeline, and an e-mail to staff (CONTACT_EMAIL) with what to answer by when. Any order of arrival ends
  right: a "closed" seen first creates the row, and a later "created" or "updated" changes nothing.

The caller (shop.orders.payment.handle_event) makes each event act once and commits; nothing here commits.
"""

import logging
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shop.core import audit
from shop.core.timeutil import to_shop_time, utcnow
from shop.extensions import db
from shop.mail import messages
from shop.membership.models import Membership, MembershipInvoice
from shop.money import format_cents
from shop.orders import refunds, services
from shop.orders.models import REFUND_STRIPE, Dispute, Order, Payment, Refund
from shop.payments.gateway import Event

log = logging.getLogger(__name__)

CHARGE_REFUNDED = "charge.refunded"
DISPUTE_CREATED = "charge.dispute.created"
DISPUTE_UPDATED = "charge.dispute.updated"
DISPUTE_CLOSED = "charge.dispute.closed"
TYPES = (CHARGE_REFUNDED, DISPUTE_CREATED, DISPUTE_UPDATED, DISPUTE_CLOSED)
DASHBOARD_REASON = "Refunded in Stripe's dashboard"
SKIPPED_REFUNDS = ("failed", "canceled")
OUTCOMES = {
    "won": "won: the payment stays with the shop",
    "lost": "lost: the customer's bank took the payment back",
    "warning_closed": "closed without a chargeback (it was an inquiry)",
    "prevented": "prevented",
}


def handle(event: Event) -> str:
    """Apply one dashboard event (not committed); returns an outcome word for the log."""
    data = event.data or {}
    if event.type == CHARGE_REFUNDED:
        return _charge_refunded(data)
    return _dispute(event.type, data, event.created)


# ---- refunds ---------------------------------------------------------------------------------------------

def _cents(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def _order_paid_by(intent_id: Any) -> Order | None:
    if not isinstance(intent_id, str) or not intent_id:
        return None
    payment = db.session.scalar(select(Payment).where(Payment.intent_id == intent_id))
    return payment.order if payment is not None else None


def _recorded_cents(order: Order) -> int:
    """What the shop counts as refunded through Stripe on this order (pending ones too: Stripe may have made them)."""
    return int(db.session.scalar(select(func.coalesce(func.sum(Refund.amount_cents), 0)).where(
        Refund.order_id == order.id, Refund.method == REFUND_STRIPE, Refund.status != refunds.REFUND_FAILED)))


def _charge_refunded(charge: dict) -> str:
    intent_id = charge.get("payment_intent")
    refunded = _cents(charge.get("amount_refunded"))
    invoice = db.session.scalar(select(MembershipInvoice).where(MembershipInvoice.intent_id == intent_id)) \
        if isinstance(intent_id, str) and intent_id else None
    if invoice is not None:
        invoice.refunded_cents = max(invoice.refunded_cents or 0, refunded)  # never lowered by a late event
        return "membership invoice refunded"
    order = _order_paid_by(intent_id)
    if order is None:
        log.warning("charge.refunded for an unknown charge %s (intent %s)", charge.get("id"), intent_id)
        return "unknown charge"
    listed = charge.get("refunds")
    listed = listed.get("data") if isinstance(listed, dict) else None
    counted = 0
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict) or not item.get("id") or item.get("status") in SKIPPED_REFUNDS:
            continue
        metadata = item.get("metadata") if isinstance(item.get("metadata"), dict) else {}
        if refunds.record_processor_refund(order, str(item["id"]), _cents(item.get("amount")), DASHBOARD_REASON,
                                           shop_reason=metadata.get("reason"),
                                           room_cents=refunded - _recorded_cents(order)):
            counted += 1
    missing = refunded - _recorded_cents(order)  # refunds Stripe did not list (or no list at all)
    if missing > 0 and refunds.record_processor_refund(order, f"{charge.get('id')}:{refunded}", missing,
                                                       DASHBOARD_REASON):
        counted += 1
    return f"{counted} refund{'s' if counted != 1 else ''} recorded" if counted else "refunds known"


# ---- disputes --------------------------------------------------------------------------------------------

def _when(value: Any) -> datetime | None:
    """A Unix time from Stripe as naive UTC, or None."""
    seconds = _cents(value)
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None) if seconds else None


def _dispute(kind: str, data: dict, created: int) -> str:
    dispute_id = data.get("id")
    if not isinstance(dispute_id, str) or not dispute_id:
        return "ignored"
    row = db.session.scalar(select(Dispute).where(Dispute.stripe_dispute_id == dispute_id))
    if row is None:
        order = _order_paid_by(data.get("payment_intent"))  # Payment rows keep intent ids, not charge ids
        membership = None if order is not None else _membership_paid_by(data.get("payment_intent"))
        if order is None and membership is None:
            log.warning("Dispute %s for an unknown payment (charge %s, intent %s)", dispute_id, data.get("charge"),
                        data.get("payment_intent"))
            return "unknown dispute"
        row = _open(order, membership, dispute_id, data, closing=kind == DISPUTE_CLOSED)
        if row is None:
            return "duplicate dispute"
    elif kind != DISPUTE_CLOSED:
        if row.closed_at is None and isinstance(data.get("status"), str):
            row.status = data["status"][:30]
        return f"dispute {row.status}"
    if kind == DISPUTE_CLOSED and row.closed_at is None:
        _close(row, data, created)
    return f"dispute {row.status}"


def _membership_paid_by(intent_id: Any) -> Membership | None:
    if not isinstance(intent_id, str) or not intent_id:
        return None
    invoice = db.session.scalar(select(MembershipInvoice).where(MembershipInvoice.intent_id == intent_id))
    return invoice.membership if invoice is not None else None


def _note(row: Dispute, kind: str, message: str) -> None:
    """On the order's timeline, or in the member's history."""
    if row.order_id is not None:
        services.record(row.order, kind, message)
    else:
        membership = db.session.get(Membership, row.membership_id)
        audit.record(kind.replace("_", " "), "user", membership.user_id, message)


def _open(order: Order | None, membership: Membership | None, dispute_id: str, data: dict,
          closing: bool) -> Dispute | None:
    """The Dispute row, its timeline entry and the staff e-mail; None if another delivery made it meanwhile."""
    reason = str(data.get("reason") or "general")[:60]
    row = Dispute(order_id=order.id if order else None, membership_id=membership.id if membership else None,
                  stripe_dispute_id=dispute_id, charge_id=str(data.get("charge") or "")[:80],
                  amount_cents=_cents(data.get("amount")), reason=reason,
                  status=str(data.get("status") or "needs_response")[:30],
                  opened_at=_when(data.get("created")) or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    evidence = data.get("evidence_details") if isinstance(data.get("evidence_details"), dict) else {}
    due_by = _when(evidence.get("due_by"))
    message = f"Dispute opened: {reason.replace('_', ' ')}, {format_cents(row.amount_cents)}"
    if due_by is not None:
        local = to_shop_time(due_by, current_app.config["SHOP_TIMEZONE"])
        message += f". Respond in Stripe by {local:%b %-d, %Y %H:%M %Z}"
    _note(row, "dispute_opened", f"{message} ({dispute_id}).")
    closed = OUTCOMES.get(row.status, row.status.replace("_", " ")) if closing else None  # "closed" heard first
    if order is not None:
        what, who = f"order {order.number}", order.customer_name or order.email
        record_url, record_label = messages.absolute_url("desk.order", number=order.number), "Open the order"
    else:
        what, who = "a membership invoice", membership.user.email
        record_url = messages.absolute_url("members.member", membership_id=membership.id)
        record_label = "Open the member"
    messages.send("dispute_opened", current_app.config["CONTACT_EMAIL"],
                  f"Dispute on {what}: {format_cents(row.amount_cents)}, "
                  + ("already closed" if closed else "respond in Stripe"),
                  {"what": what, "who": who, "dispute": row, "reason": reason.replace("_", " "), "due_by": due_by,
                   "outcome": closed, "record_url": record_url, "record_label": record_label},
                  dedupe_key=f"dispute:{dispute_id}", order_id=order.id if order else None)
    return row


def _close(row: Dispute, data: dict, created: int) -> None:
    status = str(data.get("status") or "closed")[:30]
    row.status = status
    row.closed_at = _when(created) or utcnow()
    outcome = OUTCOMES.get(status, status.replace("_", " "))
    _note(row, "dispute_closed", f"Dispute {outcome} ({row.stripe_dispute_id}).")


def disputes_of(order: Order) -> list[Dispute]:
    """The order's disputes as Stripe reported them, oldest first (for the order desk)."""
    return list(db.session.scalars(select(Dispute).where(Dispute.order_id == order.id)
                                   .order_by(Dispute.opened_at, Dispute.id)))


def disputes_of_membership(membership: Membership) -> list[Dispute]:
    """A membership's disputes (on any of its invoices), oldest first (for the members room)."""
    return list(db.session.scalars(select(Dispute).where(Dispute.membership_id == membership.id)
                                   .order_by(Dispute.opened_at, Dispute.id)))

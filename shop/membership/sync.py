"""The shop's record of a membership brought in line with Stripe's: from our own calls and from webhooks.

Every change is idempotent and safe in any order:
- Stripe's current period only moves forward (an old invoice or subscription never shortens it);
- a status applies only if Stripe's time for it is not older than the status already applied;
- an ended membership stays ended: a late "active" never reopens it (a returning member starts anew);
- each e-mail goes once (the outbox's dedupe key names the membership and the invoice or period).
"""

from datetime import UTC, datetime

from sqlalchemy import select, update

from shop.extensions import db
from shop.membership import emails
from shop.membership.models import (
    ACTIVE,
    ENDED,
    INVOICE_FAILED,
    INVOICE_OPEN,
    INVOICE_PAID,
    INVOICE_VOID,
    PAST_DUE,
    PENDING,
    UNPAID,
    Membership,
    MembershipInvoice,
)
from shop.membership.signals import start_abandoned
from shop.payments.gateway import BillingInvoice, Subscription

STATES = {  # Stripe's subscription status -> the shop's state
    "active": ACTIVE, "trialing": ACTIVE,
    "past_due": PAST_DUE, "unpaid": UNPAID,
    "canceled": ENDED, "incomplete_expired": ENDED,
    "incomplete": PENDING,
}
INVOICE_STATES = {"paid": INVOICE_PAID, "void": INVOICE_VOID, "uncollectible": INVOICE_FAILED}


def moment(seconds: int | None) -> datetime | None:
    """Stripe's Unix seconds as the naive UTC datetime the database keeps."""
    if not seconds:
        return None
    return datetime.fromtimestamp(int(seconds), UTC).replace(tzinfo=None)


def by_subscription(subscription_id: str | None, *, for_update: bool = False) -> Membership | None:
    if not subscription_id:
        return None
    query = select(Membership).where(Membership.stripe_subscription_id == subscription_id)
    return db.session.scalar(query.with_for_update(of=Membership) if for_update else query)


def extend(membership: Membership, period_end: int | None) -> None:
    end = moment(period_end)
    if end is not None and (membership.current_period_end is None or end > membership.current_period_end):
        membership.current_period_end = end


def apply_subscription(membership: Membership, subscription: Subscription, seen_at: int) -> None:
    """Stripe's subscription, as of Stripe's time `seen_at` (an event's `created`, or now for a call)."""
    if membership.state == ENDED:
        return
    if membership.stripe_subscription_id is None:
        membership.stripe_subscription_id = subscription.id
    extend(membership, subscription.current_period_end)
    state = STATES.get(subscription.status)
    if state == ENDED:
        end(membership, subscription.ended_at)
        return
    if seen_at < (membership.status_seen_at or 0) or state is None:
        return
    membership.status_seen_at = seen_at
    membership.stripe_status = subscription.status
    if state == ACTIVE or (state == PAST_DUE and membership.state != PENDING):
        _set_open(membership, state)
    elif state == UNPAID and membership.state != PENDING:
        membership.state = UNPAID  # Stripe stopped retrying: courses close until the invoice is paid
    was_cancelling = membership.cancel_at_period_end
    membership.cancel_at_period_end = subscription.cancel_at_period_end
    if subscription.cancel_at_period_end and not was_cancelling:
        membership.cancel_requested_at = moment(seen_at)
        emails.cancellation_confirmed(membership)


def _set_open(membership: Membership, state: str) -> None:
    first = membership.started_at is None
    membership.state = state
    if first:
        membership.started_at = membership.created_at or moment(membership.status_seen_at)
        emails.welcome(membership)


def _claim_end(membership: Membership) -> bool:
    """End the row with one conditional update: of two servers ending one membership at once (the scheduled
    job on each), one wins and the other sends no second e-mail and gives no offer back twice."""
    if membership.id is None:
        return True
    won = db.session.execute(update(Membership).where(Membership.id == membership.id, Membership.state != ENDED)
                             .values(state=ENDED).execution_options(synchronize_session=False)).rowcount == 1
    if not won:
        db.session.refresh(membership)  # the other one's end, as it was written
    return won


def end(membership: Membership, ended_at: int | None = None) -> bool:
    """The membership is over: courses opened only by it close; certificates and bought courses stay. One
    that never started (its first payment failed) gives back any offer counted for it. False when it had
    ended already (here, or meanwhile elsewhere)."""
    if membership.state == ENDED or not _claim_end(membership):
        return False
    was_member = membership.started_at is not None
    membership.state = ENDED
    membership.live_user_id = None
    membership.cancel_at_period_end = False
    membership.ended_at = moment(ended_at) or datetime.now(UTC).replace(tzinfo=None)
    if was_member:
        emails.ended(membership)
    elif membership.offer_discount_cents:
        start_abandoned.send(membership)
    return True


def apply_invoice(membership: Membership, invoice: BillingInvoice, *, failed: bool = False) -> MembershipInvoice:
    """An invoice of this membership: recorded once, paid never turning back to failed."""
    row = db.session.scalar(select(MembershipInvoice).where(MembershipInvoice.stripe_invoice_id == invoice.id))
    if row is None:
        row = MembershipInvoice(membership=membership, stripe_invoice_id=invoice.id, status=INVOICE_OPEN,
                                amount_cents=invoice.amount_due_cents, currency=invoice.currency,
                                created_at=moment(invoice.created) or datetime.now(UTC).replace(tzinfo=None))
        db.session.add(row)
    row.intent_id = invoice.intent_id or row.intent_id
    row.period_start = moment(invoice.period_start) or row.period_start
    row.period_end = moment(invoice.period_end) or row.period_end
    if row.status == INVOICE_PAID:
        return row
    status = INVOICE_STATES.get(invoice.status)
    if status == INVOICE_PAID:
        _paid(membership, row, invoice)
    elif failed or status == INVOICE_FAILED:
        _failed(membership, row)
    elif status == INVOICE_VOID:
        row.status = INVOICE_VOID
    return row


def _latest(membership: Membership, row: MembershipInvoice) -> bool:
    """Whether this invoice pays for the newest period we know (an older one says nothing about today)."""
    return row.period_end is None or membership.current_period_end is None \
        or row.period_end >= membership.current_period_end


def _paid(membership: Membership, row: MembershipInvoice, invoice: BillingInvoice) -> None:
    row.status = INVOICE_PAID
    row.paid_at = datetime.now(UTC).replace(tzinfo=None)
    if membership.state == ENDED:
        return
    latest = _latest(membership, row)
    extend(membership, invoice.period_end)
    if latest and membership.state in (PENDING, PAST_DUE, UNPAID):
        _set_open(membership, ACTIVE)
    membership.pending_intent_id = None
    emails.receipt(membership, row)


def _failed(membership: Membership, row: MembershipInvoice) -> None:
    row.status = INVOICE_FAILED
    row.failed_at = row.failed_at or datetime.now(UTC).replace(tzinfo=None)
    if membership.state == ACTIVE and _latest(membership, row):
        membership.state = PAST_DUE
    if membership.started_at is not None and membership.state != ENDED:
        emails.payment_failed(membership, row)

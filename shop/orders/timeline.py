"""One order's timeline for the order desk: its events and its e-mails (with whether they went), oldest first."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from shop.accounts.models import User
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.models import Order, OrderEvent

EVENT_LABELS = {
    "placed": "Placed", "paid": "Paid", "payment_recorded": "Payment recorded", "payment_failed": "Payment failed",
    "payment_mismatch": "Payment did not match", "paid_after_close": "Paid after closing", "email_queued":
    "E-mail queued", "note": "Note", "edited": "Edited", "shipped": "Shipped", "refunded": "Refunded",
    "refund_failed": "Refund failed", "cancelled": "Cancelled", "expired": "Expired", "abandoned": "Abandoned",
    "stock_short": "Stock short", "promotion_over_limit": "Promotion over its limit",
}
MAIL_LABELS = {"sent": "E-mail sent", "failed": "E-mail failed", "pending": "E-mail waiting",
               "sending": "E-mail sending"}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    label: str
    message: str
    actor: str = ""


def timeline(order: Order) -> list["TimelineEntry"]:
    """The order's events and its e-mails (from the outbox, with whether they went), oldest first."""
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                .order_by(OrderEvent.created_at, OrderEvent.id)).all()
    mails = db.session.execute(
        select(OutboxMessage.subject, OutboxMessage.to_address, OutboxMessage.status, OutboxMessage.created_at,
               OutboxMessage.sent_at, OutboxMessage.attempts, OutboxMessage.last_error)
        .where(OutboxMessage.order_id == order.id).order_by(OutboxMessage.id)).all()
    actor_ids = {event.actor_id for event in events if event.actor_id}
    actors = dict(db.session.execute(select(User.id, User.email).where(User.id.in_(actor_ids))).all()) \
        if actor_ids else {}
    entries = [TimelineEntry(event.created_at, event.kind, EVENT_LABELS.get(event.kind, event.kind.replace("_", " ")
                                                                            .capitalize()),
                             event.message, actors.get(event.actor_id, "")) for event in events]
    for mail in mails:
        message = f"“{mail.subject}” to {mail.to_address}"
        if mail.status == "failed":
            message += f" (gave up after {mail.attempts} attempts: {mail.last_error})"
        elif mail.status != "sent" and mail.attempts:
            message += f" ({mail.attempts} failed attempt{'s' if mail.attempts != 1 else ''} so far)"
        entries.append(TimelineEntry(mail.sent_at or mail.created_at, f"mail-{mail.status}",
                                     MAIL_LABELS.get(mail.status, "E-mail"), message))
    entries.sort(key=lambda entry: entry.at)
    return entries

"""The call log: every call to the order line, with or without an order, searchable later.

Calls that made an order are logged when the phone order is placed (shop.phone.drafts.close); staff
log the others here: a question, a callback requested (with when it is due), a complaint, or other.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func

from shop.accounts.models import User
from shop.core.errors import Refusal
from shop.core.timeutil import to_utc, utcnow
from shop.extensions import db
from shop.orders.models import Order
from shop.phone.lookup import clean_query, matching
from shop.phone.models import (
    CALL_CALLBACK,
    CALL_COMPLAINT,
    CALL_ORDER,
    CALL_OTHER,
    CALL_QUESTION,
    CallLogEntry,
)

OUTCOME_LABELS = {
    CALL_QUESTION: "Question",
    CALL_CALLBACK: "Callback requested",
    CALL_COMPLAINT: "Complaint",
    CALL_OTHER: "Other",
    CALL_ORDER: "Order",
}
LOGGABLE = (CALL_QUESTION, CALL_CALLBACK, CALL_COMPLAINT, CALL_OTHER)  # an order's call is logged with the order
PER_PAGE = 25
MAX_PAGE = 10000


class CallLogError(Refusal):
    """A call that cannot be logged as typed."""


def parse_due(text: str | None) -> datetime | None:
    """'2026-12-01T14:30' in the shop's time zone (a datetime-local input) -> naive UTC; None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        local = datetime.fromisoformat(text[:16])
    except ValueError:
        raise CallLogError("Enter the callback time as a date and time.", "callback_due") from None
    if local.tzinfo is not None:
        raise CallLogError("Enter the callback time as a date and time.", "callback_due")
    return to_utc(local, current_app.config["SHOP_TIMEZONE"])


def log_call(staff: Any, *, outcome: str, caller_name: str = "", caller_phone: str = "", caller_email: str = "",
             notes: str = "", callback_due: str = "", order_number: str = "") -> CallLogEntry:
    """Add a call to the log (committed); CallLogError for what staff must fix."""
    if outcome not in LOGGABLE:
        raise CallLogError("Choose what the call was about.", "outcome")
    caller_name, caller_phone = clean_query(caller_name)[:200], clean_query(caller_phone)[:40]
    caller_email, notes = clean_query(caller_email).lower()[:254], (notes or "").strip()[:4000]
    if not (caller_name or caller_phone or caller_email):
        raise CallLogError("Enter the caller's name, phone number or e-mail.", "caller_name")
    if not notes:
        raise CallLogError("Write a note about the call.", "notes")
    due = parse_due(callback_due)
    if outcome == CALL_CALLBACK and due is None:
        raise CallLogError("Enter when the caller wants to be called back.", "callback_due")
    order = None
    if order_number.strip():
        order = db.session.execute(db.select(Order).filter_by(number=order_number.strip().upper()[:20])
                                   ).scalar_one_or_none()
        if order is None:
            raise CallLogError(f"There is no order {order_number.strip()[:20]}.", "order_number", status=404)
    customer = db.session.execute(db.select(User).filter_by(email=caller_email)).scalar_one_or_none() \
        if caller_email else None
    entry = CallLogEntry(staff_id=staff.id, customer_id=customer.id if customer else None, caller_name=caller_name,
                         caller_phone=caller_phone, caller_email=caller_email, outcome=outcome, notes=notes,
                         order_id=order.id if order else None, created_at=utcnow(),
                         callback_due_at=due if outcome == CALL_CALLBACK else None)
    db.session.add(entry)
    db.session.commit()
    return entry


@dataclass(frozen=True)
class CallPage:
    entries: list[CallLogEntry]
    orders: dict[int, str]  # order id -> number, for the calls that made or concern an order
    total: int
    page: int
    pages: int
    query: str
    outcome: str


def search(query: str = "", outcome: str = "", page: int = 1, per_page: int = PER_PAGE) -> "CallPage":
    """Calls matching the words (name, phone, e-mail or notes), newest first, a page at a time."""
    query = clean_query(query)
    conditions = []
    if query:
        conditions.append(matching((CallLogEntry.caller_name, CallLogEntry.caller_email, CallLogEntry.notes),
                                    (CallLogEntry.caller_phone,), query))
    if outcome in OUTCOME_LABELS:
        conditions.append(CallLogEntry.outcome == outcome)
    else:
        outcome = ""
    total = db.session.execute(db.select(func.count(CallLogEntry.id)).where(*conditions)).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages, MAX_PAGE)
    entries = db.session.execute(
        db.select(CallLogEntry).where(*conditions)
        .order_by(CallLogEntry.created_at.desc(), CallLogEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).scalars().all()
    order_ids = {e.order_id for e in entries if e.order_id}
    numbers = dict(db.session.execute(db.select(Order.id, Order.number).where(Order.id.in_(order_ids))).all()) \
        if order_ids else {}
    return CallPage(entries, numbers, total, page, pages, query, outcome)


def callbacks_due(now: datetime | None = None, limit: int = 10) -> list[CallLogEntry]:
    """Callbacks requested for today or later, soonest first."""
    now = now or utcnow()
    return db.session.execute(
        db.select(CallLogEntry).where(CallLogEntry.outcome == CALL_CALLBACK, CallLogEntry.callback_due_at.is_not(None),
                                      CallLogEntry.callback_due_at >= now.replace(hour=0, minute=0))
        .order_by(CallLogEntry.callback_due_at).limit(limit)
    ).scalars().all()

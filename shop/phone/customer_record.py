"""A customer's whole history on one page, for staff answering the phone: found by name, e-mail, phone or
order number, then their contact details and addresses, every order (web and phone), courses and progress,
certificates, membership, calls logged, staff notes, marketing consent, total spent and merges.

Loaded in a fixed number of queries whatever the history's length (each part one statement).
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from shop.accounts import consent
from shop.accounts.models import ROLE_CUSTOMER, CustomerMerge, CustomerNote, User
from shop.core.errors import Refusal
from shop.core.text import like_pattern, one_line
from shop.courses.library import Entry, my_courses
from shop.extensions import db
from shop.membership import queries as membership_queries
from shop.orders.models import STATUS_PAID, Order
from shop.orders.queries import search_condition
from shop.phone.models import CallLogEntry

NOTE_MAX = 2000
PER_PAGE = 25
SEARCH_MIN = 2


class NoteError(Refusal):
    """A note that cannot be saved as written."""


@dataclass(frozen=True)
class CustomerRecord:
    user: User
    orders: list[Order]
    courses: list[Entry]
    membership: Any
    membership_label: str
    calls: list[CallLogEntry]
    notes: list[CustomerNote]
    merges: list[CustomerMerge]
    consent: Any
    merged_into: User | None

    @property
    def spent_cents(self) -> int:
        """Paid orders' totals less what was refunded on them (cancelled ones count only what they kept)."""
        return sum(o.paid_cents - o.refunded_cents for o in self.orders if o.paid_at is not None)

    @property
    def certificates(self) -> list[Any]:
        return [c for entry in self.courses for c in entry.certificates]


def record_of(user: User) -> CustomerRecord:
    email = user.email.lower()
    orders = list(db.session.scalars(
        select(Order).where(Order.number.is_not(None), or_(Order.user_id == user.id, func.lower(Order.email) == email))
        .order_by(Order.placed_at.desc(), Order.id.desc())))
    calls = list(db.session.scalars(
        select(CallLogEntry).where(or_(CallLogEntry.customer_id == user.id,
                                       func.lower(CallLogEntry.caller_email) == email))
        .order_by(CallLogEntry.created_at.desc()).limit(200)))
    notes = list(db.session.scalars(select(CustomerNote).where(CustomerNote.user_id == user.id)
                                    .order_by(CustomerNote.created_at.desc(), CustomerNote.id.desc())))
    merges = list(db.session.scalars(select(CustomerMerge).where(
        or_(CustomerMerge.source_id == user.id, CustomerMerge.target_id == user.id)).order_by(CustomerMerge.merged_at)))
    membership = membership_queries.latest_membership(user.id)
    return CustomerRecord(
        user=user, orders=orders, courses=my_courses(user), membership=membership,
        membership_label=membership_queries.label(membership) if membership else "Not a member",
        calls=calls, notes=notes, merges=merges, consent=consent.for_email(user.email),
        merged_into=db.session.get(User, user.merged_into_id) if user.merged_into_id else None)


def customer_or_none(user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.role == ROLE_CUSTOMER else None


@dataclass(frozen=True)
class CustomerPage:
    customers: list[User]
    guest_orders: list[Order]  # orders of guests (no account) that match
    total: int
    page: int
    pages: int
    query: str


def search(text: str | None, page: int = 1) -> CustomerPage:
    """Customers by a fragment of the name, e-mail or phone, or the number of one of their orders; with the
    matching guest orders (an address with no account yet). No query: the newest customers."""
    query = one_line(text or "", 100)
    condition = User.role == ROLE_CUSTOMER
    guest_orders: list[Order] = []
    if query:
        pattern = like_pattern(query)
        digits = "".join(ch for ch in query if ch.isdigit())
        matches = [func.lower(User.full_name).like(pattern, escape="\\"),
                   func.lower(User.email).like(pattern, escape="\\")]
        if len(digits) >= 4:
            matches.append(func.replace(func.replace(func.replace(func.replace(
                User.phone, " ", ""), "-", ""), "(", ""), ")", "").like(f"%{digits}%"))
        by_order = select(Order.user_id).where(search_condition(query), Order.user_id.is_not(None))
        matches.append(User.id.in_(by_order))
        condition = condition & or_(*matches)
        guest_orders = list(db.session.scalars(select(Order).where(
            Order.user_id.is_(None), Order.number.is_not(None), search_condition(query)
        ).order_by(Order.placed_at.desc()).limit(10))) if len(query) >= 3 or digits else []
    total = db.session.scalar(select(func.count(User.id)).where(condition)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    customers = list(db.session.scalars(select(User).where(condition).order_by(User.created_at.desc(), User.id.desc())
                                        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return CustomerPage(customers, guest_orders, total, page, pages, query)


def add_note(user: User, body: str | None, author: Any) -> CustomerNote:
    """A dated note by `author` on the customer's page (committed)."""
    text = (body or "").strip()
    if not text:
        raise NoteError("Write the note first.", "body")
    if len(text) > NOTE_MAX:
        raise NoteError(f"A note is at most {NOTE_MAX} characters.", "body")
    note = CustomerNote(user_id=user.id, author_id=getattr(author, "id", None), body=text)
    db.session.add(note)
    db.session.commit()
    return note


def paid_orders_count(record: CustomerRecord) -> int:
    return sum(1 for o in record.orders if o.status == STATUS_PAID)

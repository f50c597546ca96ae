"""Two customer records that are one person, merged by staff: the source's history moves to the target.

What moves: orders, course access, lesson progress, exam attempts and allowances, certificates and course
evaluations (where the target has none of its own for that course or approval: never two, never lost),
calls, staff notes, addresses, licences (per state, the target's kept), marketing consent, a membership
(refused when both have a live one) and a directory listing (if the target has none). The source can no
longer sign in, points at the target, and the merge is recorded (CustomerMerge) and audited on both.
One transaction: all of it moves, or nothing does.
"""

from typing import Any

from sqlalchemy import func, select, update

from shop.accounts.consent import MarketingConsent
from shop.accounts.models import ROLE_CUSTOMER, Address, CustomerMerge, CustomerNote, Licence, User
from shop.content.models import Listing
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.timeutil import utcnow
from shop.courses.models import (
    Certificate,
    CourseAccess,
    CourseEvaluation,
    ExamAllowance,
    ExamAttempt,
    LessonProgress,
)
from shop.extensions import db
from shop.membership.models import BillingCustomer, Membership
from shop.orders.models import Order
from shop.phone.models import CallLogEntry


class MergeRefused(Refusal):
    status = 409


def check(source: User | None, target: User | None) -> tuple[User, User]:
    """The pair, if they may be merged; MergeRefused (with why) otherwise."""
    if source is None or target is None:
        raise MergeRefused("There is no customer with that e-mail address.", "target", status=404)
    if source.id == target.id:
        raise MergeRefused("A record cannot be merged into itself.", "target", status=422)
    if source.role != ROLE_CUSTOMER or target.role != ROLE_CUSTOMER:
        raise MergeRefused("Only customer records are merged; staff accounts are managed under Users.", "target")
    if source.merged_into_id or target.merged_into_id:
        raise MergeRefused("One of these records was merged already: merge into the record it went into.", "target")
    live = db.session.scalars(select(Membership.user_id).where(Membership.user_id.in_((source.id, target.id)),
                                                               Membership.live_user_id.is_not(None))).all()
    if len(set(live)) == 2:
        raise MergeRefused("Both have a live membership: cancel one of them first.", "target")
    return source, target


def _move_where_free(model: Any, key: str, source: User, target: User) -> tuple[int, int]:
    """Move the source's rows of `model` to the target unless the target has one with the same `key`
    (course, lesson, approval...); (moved, left) counts."""
    column = getattr(model, key)
    taken = set(db.session.scalars(select(column).where(model.user_id == target.id)))
    rows = db.session.scalars(select(model).where(model.user_id == source.id)).all()
    moved = 0
    for row in rows:
        if getattr(row, key) not in taken:
            row.user_id = target.id
            moved += 1
    return moved, len(rows) - moved


def what_would_move(source: User) -> dict[str, int]:
    """What a merge of `source` would move, for the confirm step."""
    def count(model: Any, column: Any) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(column == source.id)) or 0
    return {"orders": count(Order, Order.user_id), "courses": count(CourseAccess, CourseAccess.user_id),
            "calls": count(CallLogEntry, CallLogEntry.customer_id), "notes": count(CustomerNote, CustomerNote.user_id),
            "addresses": count(Address, Address.user_id), "certificates": count(Certificate, Certificate.user_id)}


def merge(source: User | None, target: User | None, actor: Any) -> CustomerMerge:
    source, target = check(source, target)
    moved: dict[str, int] = {}
    moved["orders"] = db.session.execute(update(Order).where(Order.user_id == source.id).values(
        user_id=target.id).execution_options(synchronize_session=False)).rowcount
    owned = set(db.session.scalars(select(CourseAccess.product_id).where(
        (CourseAccess.user_id == target.id) | (CourseAccess.email == target.email.lower()))))
    courses = 0
    for row in db.session.scalars(select(CourseAccess).where(CourseAccess.user_id == source.id)).all():
        if row.product_id in owned:
            db.session.delete(row)  # the target opens it already; the source's progress moves below
        else:
            row.user_id, row.email = target.id, target.email.lower()
            courses += 1
    moved["courses"] = courses
    for name, model, key in (("lessons done", LessonProgress, "lesson_id"), ("exam allowances", ExamAllowance,
                                                                           "product_id"),
                             ("evaluations", CourseEvaluation, "product_id"),
                             ("certificates", Certificate, "approval_id")):
        moved[name], left = _move_where_free(model, key, source, target)
        if left and name == "certificates":
            moved["certificates left on the old record"] = left
    attempted = set(db.session.scalars(select(ExamAttempt.product_id).where(ExamAttempt.user_id == target.id)))
    moved["exam attempts"] = 0
    for row in db.session.scalars(select(ExamAttempt).where(ExamAttempt.user_id == source.id)).all():
        if row.product_id not in attempted:
            row.user_id = target.id
            moved["exam attempts"] += 1
    moved["calls"] = db.session.execute(update(CallLogEntry).where(CallLogEntry.customer_id == source.id).values(
        customer_id=target.id).execution_options(synchronize_session=False)).rowcount
    moved["notes"] = db.session.execute(update(CustomerNote).where(CustomerNote.user_id == source.id).values(
        user_id=target.id).execution_options(synchronize_session=False)).rowcount
    moved["addresses"] = db.session.execute(update(Address).where(Address.user_id == source.id).values(
        user_id=target.id, is_default=False).execution_options(synchronize_session=False)).rowcount
    moved["licences"], _ = _move_where_free(Licence, "state", source, target)
    db.session.execute(update(MarketingConsent).where(MarketingConsent.user_id == source.id).values(
        user_id=target.id).execution_options(synchronize_session=False))
    moved["memberships"] = _move_membership(source, target)
    moved["directory listing"] = _move_listing(source, target)
    summary = ", ".join(f"{count} {name}" for name, count in moved.items() if count) or "nothing to move"
    now = utcnow()
    source.merged_into_id, source.merged_at, source.is_active_account = target.id, now, False
    source.end_sessions()
    row = CustomerMerge(source_id=source.id, target_id=target.id, source_email=source.email,
                        target_email=target.email, staff_id=getattr(actor, "id", None), summary=summary[:1000],
                        merged_at=now)
    db.session.add(row)
    audit.record("customer_merged", "user", source.id, f"Merged into {target.email}: {summary}"[:500], actor=actor)
    audit.record("customer_merged", "user", target.id, f"{source.email} merged in: {summary}"[:500], actor=actor)
    db.session.commit()
    return row


def _move_membership(source: User, target: User) -> int:
    if db.session.scalar(select(Membership.id).where(Membership.user_id == target.id).limit(1)) is not None and \
            db.session.scalar(select(Membership.id).where(Membership.user_id == source.id,
                                                          Membership.live_user_id.is_not(None))) is None:
        return 0  # the target's membership history stays theirs; the source's ended ones stay with it
    count = 0
    for membership in db.session.scalars(select(Membership).where(Membership.user_id == source.id)).all():
        membership.user_id = target.id
        if membership.live_user_id is not None:
            membership.live_user_id = target.id
        count += 1
    billing = db.session.get(BillingCustomer, source.id)
    if count and billing is not None and db.session.get(BillingCustomer, target.id) is None:
        db.session.flush()
        db.session.execute(update(BillingCustomer).where(BillingCustomer.user_id == source.id).values(
            user_id=target.id).execution_options(synchronize_session=False))
    return count


def _move_listing(source: User, target: User) -> int:
    if db.session.scalar(select(Listing.id).where(Listing.user_id == target.id)) is not None:
        return 0
    return db.session.execute(update(Listing).where(Listing.user_id == source.id).values(
        user_id=target.id).execution_options(synchronize_session=False)).rowcount

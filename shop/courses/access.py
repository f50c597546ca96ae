"""Who owns which course: granted when an order is paid, by the buyer's e-mail (and account, if any).

Access belongs to an e-mail address first: a guest who buys a course owns it by the address they gave,
and the account with that address gets it once the address is verified (accounts.signals.email_verified).
"""

from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from shop.accounts.models import User
from shop.accounts.signals import email_verified
from shop.catalogue.models import KIND_COURSE, Product
from shop.catalogue.signals import product_in_use
from shop.core import audit
from shop.core.errors import Refusal
from shop.courses import emails
from shop.courses.models import SOURCE_STAFF, Certificate, CourseAccess
from shop.extensions import db
from shop.membership.queries import member_condition


class AccessRefused(Refusal):
    """Staff asked to grant a course the customer has, or revoke one they do not."""


def owned_course_ids(email: str | None = None, user: User | None = None) -> set[int]:
    """The courses not to sell this customer again: by their account, and by the e-mail address typed at
    checkout or, once verified, the account's own (an unverified account learns nothing of its address's
    purchases: they join the account when the address is verified)."""
    conditions = []
    if user is not None:
        conditions.append(CourseAccess.user_id == user.id)
        if getattr(user, "email_verified_at", None) is not None:
            email = email or user.email
    if email:
        conditions.append(CourseAccess.email == email.strip().lower())
    if not conditions:
        return set()
    return set(db.session.execute(db.select(CourseAccess.product_id).where(db.or_(*conditions))).scalars())


def opens(product_id: Any, user_id: Any) -> ColumnElement[bool]:
    """The access rule as SQL: the course `product_id` is open to the account `user_id` (columns or bound
    parameters), for queries that check access while they read (the lesson page).

    Only access joined to the account counts (bought while signed in, or joined when the address was
    verified): an unverified account with someone's address opens nothing of theirs. A member (active or
    past due: Stripe is still retrying) opens every published course.
    """
    owned = exists().where(CourseAccess.product_id == product_id, CourseAccess.user_id == user_id)
    published = exists().where(Product.id == product_id, Product.kind == KIND_COURSE, Product.is_active.is_(True))
    return or_(owned, and_(published, member_condition(user_id)))


def can_open(user: Any, product: Product | None) -> bool:
    """The one access check every course page, file and exam makes (the lesson page asks `opens` in SQL)."""
    if product is None or product.kind != KIND_COURSE or user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(opens(literal(product.id), user.id))))


def grant(user: User, product: Product, *, actor: Any, note: str = "") -> CourseAccess:
    """Staff open a course for a customer (a check paid, a goodwill gesture). Commits; audited."""
    if product.kind != KIND_COURSE:
        raise AccessRefused("Only a course can be granted.", status=422)
    email = user.email.lower()
    existing = db.session.scalar(select(CourseAccess).where(CourseAccess.email == email,
                                                            CourseAccess.product_id == product.id))
    if existing is not None:
        if existing.user_id is None:  # bought as a guest with this address: join it to the account
            existing.user_id = user.id
            audit.record("course linked", "user", user.id, f"{product.title}: bought as a guest with this "
                         "address, now joined to the account" + (f" ({note})" if note else ""), actor=actor)
            db.session.commit()
            return existing
        raise AccessRefused(f"{user.email} already has {product.title}.", status=409)
    row = CourseAccess(email=email, user_id=user.id, product_id=product.id, source=SOURCE_STAFF,
                       granted_by_id=getattr(actor, "id", None), note=(note or "")[:300])
    db.session.add(row)
    audit.record("course granted", "user", user.id, f"{product.title}" + (f": {note}" if note else ""),
                 actor=actor)
    try:
        db.session.flush()
    except IntegrityError:  # granted (or bought) a moment ago, in another request
        db.session.rollback()
        raise AccessRefused(f"{user.email} already has {product.title}.", status=409) from None
    emails.course_access_granted(user, product, row, note)  # in the same commit as the grant
    db.session.commit()
    return row


def revoke(user: User, product: Product, *, actor: Any, reason: str = "") -> None:
    """Staff close a course for a customer. Certificates already earned stay. Commits; audited."""
    result = db.session.execute(delete(CourseAccess).where(
        CourseAccess.product_id == product.id,
        db.or_(CourseAccess.user_id == user.id, CourseAccess.email == user.email.lower())))
    if not result.rowcount:
        raise AccessRefused(f"{user.email} does not have {product.title}.", status=409)
    audit.record("course revoked", "user", user.id, f"{product.title}" + (f": {reason}" if reason else ""),
                 actor=actor)
    db.session.commit()


def grant_for_order(order: Any) -> list[int]:
    """Give the order's buyer every course its lines open that they do not own yet; returns their ids.

    A course the address owns already keeps its access as it is, and the order is paid all the same (a guest
    may type an address that owns it: checkout does not say so). Only the account that holds a staff grant
    made ahead of this payment (a check) hands it to the order, so refunding a stranger's order never takes
    the owner's course away. Not committed: the caller marks the order paid in the same transaction.
    """
    email = order.email.lower()
    user_id = order.user_id or db.session.scalar(  # bought as a guest with a verified account's address
        select(User.id).where(User.email == email, User.email_verified_at.is_not(None)))
    held = {row.product_id: row
            for row in db.session.scalars(select(CourseAccess).where(CourseAccess.email == email))}
    owned = set(held)
    granted = []
    for line in order.lines:
        product = db.session.get(Product, line.product_id) if line.product_id else None
        if product is None:
            continue
        for course_id in sorted(product.course_ids & owned):
            row = held.get(course_id)
            if row is not None and row.order_id is None and order.user_id is not None \
                    and row.user_id == order.user_id:  # granted by staff ahead of this payment (a check):
                row.order_id = order.id  # the order carries it now, so refunding the order takes it back
        for course_id in sorted(product.course_ids - owned):
            db.session.add(CourseAccess(email=email, user_id=user_id, product_id=course_id, order_id=order.id))
            owned.add(course_id)
            granted.append(course_id)
    return granted


def withdraw_for_order(order_id: int, product_ids: set[int] | None = None) -> int:
    """Take back the access an order gave (cancelled or refunded): all of it, or only these courses.

    Returns how many were taken back. Certificates already earned stay. Not committed.
    """
    statement = delete(CourseAccess).where(CourseAccess.order_id == order_id)
    if product_ids is not None:
        if not product_ids:
            return 0
        statement = statement.where(CourseAccess.product_id.in_(product_ids))
    result = db.session.execute(statement)
    return int(result.rowcount or 0)


@email_verified.connect
def _link_guest_access(user: User, **_: Any) -> None:
    """Course access bought as a guest with this (now verified) address joins the account."""
    db.session.execute(
        update(CourseAccess).where(CourseAccess.user_id.is_(None), func.lower(CourseAccess.email) == user.email.lower())
        .values(user_id=user.id).execution_options(synchronize_session=False)
    )


@product_in_use.connect
def _access_refers_to(product_id: int, **_: Any) -> bool:
    """A course someone owns, or ever earned a certificate for (kept six years and more), is never deleted."""
    for column in (CourseAccess.product_id, Certificate.product_id):
        if db.session.scalar(select(column).where(column == product_id).limit(1)) is not None:
            return True
    return False

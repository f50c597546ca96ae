"""Who owns which course: granted when an order is paid, by the buyer's e-mail (and account, if any).

Access belongs to an e-mail address first: a guest who buys a course owns it by the address they gave,
and the account with that address gets it once the address is verified (accounts.signals.email_verified).
"""

from typing import Any

from sqlalchemy import delete, func, select, update

from shop.accounts.models import User
from shop.accounts.signals import email_verified
from shop.catalogue.models import Product
from shop.catalogue.signals import product_in_use
from shop.courses.models import CourseAccess
from shop.extensions import db


def owned_course_ids(email: str | None = None, user: User | None = None) -> set[int]:
    """The ids of the courses this customer owns, by their account and by their e-mail address."""
    conditions = []
    if user is not None:
        conditions.append(CourseAccess.user_id == user.id)
        email = email or user.email
    if email:
        conditions.append(CourseAccess.email == email.strip().lower())
    if not conditions:
        return set()
    return set(db.session.execute(db.select(CourseAccess.product_id).where(db.or_(*conditions))).scalars())


def courses_for(user: User) -> list[CourseAccess]:
    """What the customer's "My account" lists, newest first."""
    statement = select(CourseAccess).where(CourseAccess.user_id == user.id).order_by(CourseAccess.granted_at.desc())
    return list(db.session.scalars(statement).unique().all())


def grant_for_order(order: Any) -> list[int]:
    """Give the order's buyer every course its lines open that they do not own yet; returns their ids.

    Not committed: the caller marks the order paid in the same transaction.
    """
    email = order.email.lower()
    owned = set(db.session.execute(select(CourseAccess.product_id).where(CourseAccess.email == email)).scalars())
    granted = []
    for line in order.lines:
        product = db.session.get(Product, line.product_id) if line.product_id else None
        if product is None:
            continue
        for course_id in sorted(product.course_ids - owned):
            db.session.add(CourseAccess(email=email, user_id=order.user_id, product_id=course_id, order_id=order.id))
            owned.add(course_id)
            granted.append(course_id)
    return granted


def withdraw_for_order(order_id: int) -> int:
    """Take back the access an order gave (it was cancelled); returns how many. Not committed."""
    result = db.session.execute(delete(CourseAccess).where(CourseAccess.order_id == order_id))
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
    return db.session.scalar(select(CourseAccess.id).where(CourseAccess.product_id == product_id).limit(1)) is not None

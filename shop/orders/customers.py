"""A customer's own orders: their list and pages in "My account", and whether they ordered before.

Guest orders belong to an e-mail address; they join the account with that address once it is
verified (accounts.signals.email_verified), never before: anyone can register with someone else's
address, and linking early would let them read that person's orders.
"""

from typing import Any

from sqlalchemy import func, or_, select, update

from shop.accounts.models import User
from shop.accounts.signals import email_verified
from shop.extensions import db
from shop.orders.models import STATUS_PAID, Order


def orders_for(user: User) -> list[Order]:
    statement = (select(Order).where(Order.user_id == user.id, Order.number.is_not(None))
                 .order_by(Order.placed_at.desc(), Order.id.desc()))
    return list(db.session.scalars(statement).all())


def order_for(user: User, number: str) -> Order | None:
    """The user's own order with this number, or None (also for someone else's)."""
    return db.session.scalar(select(Order).where(Order.user_id == user.id, Order.number == number[:20]))


def is_first_order(email: str = "", user_id: int | None = None) -> bool:
    """True when no paid order was placed with this e-mail or by this account."""
    email = (email or "").strip().lower()
    who = []
    if email:
        who.append(Order.email == email)
    if user_id is not None:
        who.append(Order.user_id == user_id)
    if not who:
        return True
    found = db.session.execute(select(Order.id).where(Order.status == STATUS_PAID, or_(*who)).limit(1)).first()
    return found is None


@email_verified.connect
def _link_guest_orders(user: User, **_: Any) -> None:
    """Orders placed as a guest with this (now verified) address join the account."""
    db.session.execute(
        update(Order).where(Order.user_id.is_(None), func.lower(Order.email) == user.email.lower())
        .values(user_id=user.id).execution_options(synchronize_session=False)
    )

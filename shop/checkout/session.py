"""What a browser remembers about checking out: its checkout token, and the orders it placed.

An order's confirmation page (and its 3-D Secure follow-up) opens only for the browser that placed or
paid it, or for the customer logged in who owns it.
"""

import secrets

from flask import session
from flask_login import current_user

from shop.extensions import db
from shop.orders.models import Order

PLACED_KEY = "placed_orders"
TOKEN_KEY = "checkout_token"  # noqa: S105 (a session key, not a secret)
REMEMBERED = 20


def token() -> str:
    """This browser's checkout token: a second click of "Place order" finds the order the first one made."""
    if not session.get(TOKEN_KEY):
        session[TOKEN_KEY] = secrets.token_urlsafe(24)
    return str(session[TOKEN_KEY])


def is_token(posted: str | None) -> bool:
    """Whether `posted` is this browser's checkout token, or the token of an order this browser placed with it (a
    second click of "Place order" after the first was answered). Any other is refused: a browser cannot choose
    its token."""
    current = session.get(TOKEN_KEY)
    if not posted:
        return False
    if current and secrets.compare_digest(str(current), str(posted)):
        return True
    placed = db.session.execute(db.select(Order).filter_by(checkout_token=str(posted)[:64])).scalar_one_or_none()
    return placed is not None and may_see(placed)


def forget_token() -> None:
    session.pop(TOKEN_KEY, None)


def remember_placed(order: Order) -> None:
    placed = session.get(PLACED_KEY, [])
    if order.number not in placed:
        session[PLACED_KEY] = (placed + [order.number])[-REMEMBERED:]


def may_see(order: Order) -> bool:
    """Whether this browser placed the order, or the logged-in customer owns it."""
    if order.number in session.get(PLACED_KEY, []):
        return True
    return bool(current_user.is_authenticated and order.user_id == current_user.id)

"""The browser's cart: found by a random token in the session, or by the logged-in customer.

These wrap shop.cart.services (the rules) for the storefront's pages and commit. A guest's cart is
created on the first item that may be added, never for a refused one; at login the guest cart's items
move into the customer's saved cart (merge_into_user_cart, which shop.storefront.cart calls on Flask-Login's
user_logged_in signal).
"""


from flask import session
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from shop.accounts import sessions
from shop.accounts.models import User
from shop.cart import services
from shop.cart.models import Cart, CartItem
from shop.catalogue.models import Product
from shop.courses.access import owned_course_ids
from shop.extensions import db

SESSION_KEY = "cart_token"
sessions.keep_at_login(SESSION_KEY)  # a guest's cart goes on into the account they log in to


def _user() -> User | None:
    return current_user if current_user and current_user.is_authenticated else None


def current_cart() -> Cart | None:
    """This visitor's cart, or None when they have none yet."""
    user = _user()
    if user is not None:
        return db.session.execute(db.select(Cart).filter_by(user_id=user.id)).scalar_one_or_none()
    token = session.get(SESSION_KEY)
    return db.session.execute(db.select(Cart).filter_by(token=token)).scalar_one_or_none() if token else None


def owned() -> set[int]:
    """The courses the visitor owns: only by the account they are signed in to (its own address once it is
    confirmed). Never by an address typed at checkout: that would tell anyone what another address bought."""
    return owned_course_ids(user=_user())


def item_count() -> int:
    """How many items the header shows; no query for a visitor who never had a cart."""
    user = _user()
    if user is None and not session.get(SESSION_KEY):
        return 0
    statement = db.select(func.coalesce(func.sum(CartItem.quantity), 0)).join(Cart)
    if user is not None:
        statement = statement.where(Cart.user_id == user.id)
    else:
        statement = statement.where(Cart.token == session[SESSION_KEY])
    return int(db.session.execute(statement).scalar_one())


def add(product_id: int, quantity: int = 1) -> str:
    """Add to the visitor's cart (created now if this is its first item); returns the product's title."""
    cart = current_cart()
    created = cart is None
    if cart is None:
        user = _user()
        cart = services.new_cart(user_id=user.id if user else None)
    product = services.add(cart, product_id, quantity, owned())
    title = product.title  # read before the commit expires it
    if created:
        db.session.add(cart)
    try:
        db.session.commit()
    except IntegrityError:  # the same customer's other tab created their cart a moment ago
        db.session.rollback()
        existing = current_cart()
        if existing is None:
            raise
        services.add(existing, product_id, quantity, owned())
        db.session.commit()
        return title
    if created and _user() is None:
        session[SESSION_KEY] = cart.token
    return title


def set_quantity(product_id: int, quantity: int) -> Product | None:
    cart = current_cart()
    if cart is None:
        raise services.CartError("That item is not in your cart any more.")
    product = services.set_quantity(cart, product_id, quantity, owned())
    db.session.commit()
    return product


def remove(product_id: int) -> Product | None:
    cart = current_cart()
    product = services.remove(cart, product_id) if cart is not None else None
    db.session.commit()
    return product


def problems(cart: Cart | None) -> list[str]:
    """What stops this visitor buying the cart now (stock sold meanwhile; courses their account owns)."""
    return services.problems(cart, owned())


def merge_into_user_cart(user: User) -> list[str]:
    """After login: move the guest cart's items into the customer's saved cart; returns why items were dropped."""
    token = session.pop(SESSION_KEY, None)
    guest = db.session.execute(db.select(Cart).filter_by(token=token, user_id=None)).scalar_one_or_none() \
        if token else None
    if guest is None:
        return []
    saved = db.session.execute(db.select(Cart).filter_by(user_id=user.id)).scalar_one_or_none()
    if saved is None:
        guest.user_id = user.id
        db.session.commit()
        return []
    dropped = services.move_items(guest, saved, owned_course_ids(user=user))
    db.session.delete(guest)
    db.session.commit()
    return dropped


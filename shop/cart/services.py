"""The cart: adding, changing and removing items, with the shop's rules on what can be bought.

Rules: books up to the copies in stock; a course (or a combo holding courses) once per customer and
never one already owned; retired products not at all. Prices are never stored in the cart: pricing
reads the catalogue each time.
"""

import secrets

from flask import session
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from shop.cart.models import Cart, CartItem
from shop.catalogue.models import KIND_BOOK, KIND_COMBO, KIND_COURSE, KIND_MEMBERSHIP, Product
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.pricing import types as pricing

SESSION_KEY = "cart_token"
MAX_QUANTITY = 99


class CartError(ValueError):
    """A cart change that the shop refuses; the message is meant for the customer."""


# ---- finding the cart -------------------------------------------------------------------------

def _user():
    return current_user if current_user and current_user.is_authenticated else None


def current_cart(create=False):
    user = _user()
    if user is not None:
        cart = db.session.execute(db.select(Cart).filter_by(user_id=user.id)).scalar_one_or_none()
    else:
        token = session.get(SESSION_KEY)
        cart = db.session.execute(db.select(Cart).filter_by(token=token)).scalar_one_or_none() if token else None
    if cart is None and create:
        cart = Cart(token=secrets.token_hex(16), user_id=user.id if user else None)
        db.session.add(cart)
        try:
            db.session.flush()
        except IntegrityError:  # the same customer's other tab created it a moment ago
            db.session.rollback()
            return current_cart(create=False)
        if user is None:
            session[SESSION_KEY] = cart.token
    return cart


def item_count():
    """How many items the header shows; no query for a visitor who never had a cart."""
    user = _user()
    if user is None and not session.get(SESSION_KEY):
        return 0
    statement = db.select(func.coalesce(func.sum(CartItem.quantity), 0)).join(Cart)
    if user is not None:
        statement = statement.where(Cart.user_id == user.id)
    else:
        statement = statement.where(Cart.token == session[SESSION_KEY])
    return db.session.execute(statement).scalar_one()


# ---- rules ------------------------------------------------------------------------------------

def _courses_in(product):
    if product.kind == KIND_COURSE:
        return {product.id}
    if product.kind == KIND_COMBO:
        return {part.component_id for part in product.components if part.component.kind == KIND_COURSE}
    return set()


def _books_in(product, quantity):
    """{book product id: copies} that `quantity` of this product takes from stock."""
    if product.kind == KIND_BOOK:
        return {product.id: quantity}
    if product.kind == KIND_COMBO:
        return {p.component_id: p.quantity * quantity for p in product.components if p.component.kind == KIND_BOOK}
    return {}


def owned_course_ids(email=None, user=None):
    conditions = []
    if user is not None:
        conditions.append(CourseAccess.user_id == user.id)
        email = email or user.email
    if email:
        conditions.append(CourseAccess.email == email.strip().lower())
    if not conditions:
        return set()
    return set(db.session.execute(db.select(CourseAccess.product_id).where(db.or_(*conditions))).scalars())


def check_line(items, product, quantity, owned):
    """Raise CartError if the cart `items` ({product: quantity}) may not hold `quantity` of product."""
    check_line_holding(items, product, quantity, owned, held=None)


def check_line_holding(items, product, quantity, owned, held=None):
    """check_line for a cart whose order already holds copies: `held` is {book id: copies} taken from stock
    for this very cart (a phone order's hold), which count as available to it."""
    held = held or {}
    if product is None or not product.is_active:
        raise CartError("That product is no longer available.")
    if product.kind == KIND_MEMBERSHIP:
        raise CartError("The membership is billed monthly and is not sold through the cart yet. "
                        "Call us to join.")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(f"Choose a quantity from 1 to {MAX_QUANTITY}.")
    courses = _courses_in(product)
    if courses:
        if quantity > 1:
            raise CartError(f"{product.title} is one per customer: you can add it once.")
        already_owned = courses & owned
        if already_owned:
            what = "this course" if product.kind == KIND_COURSE else f"a course in {product.title}"
            raise CartError(f"You already own {what}. Find your courses under My account.")
        for other in items:
            if other.id != product.id and courses & _courses_in(other):
                raise CartError(f"{product.title} overlaps with {other.title}, which is already in your cart.")
    copies_needed = {}
    for other, other_quantity in items.items():
        if other.id != product.id:
            for book_id, copies in _books_in(other, other_quantity).items():
                copies_needed[book_id] = copies_needed.get(book_id, 0) + copies
    for book_id, copies in _books_in(product, quantity).items():
        book = product if product.id == book_id else next(
            p.component for p in product.components if p.component_id == book_id)
        wanted = copies_needed.get(book_id, 0) + copies
        free = book.stock + held.get(book_id, 0)
        if free <= 0:
            raise CartError(f"{book.title} is out of stock.")
        if wanted > free:
            raise CartError(f"Only {free} {'copy' if free == 1 else 'copies'} of {book.title} "
                            f"{'is' if free == 1 else 'are'} in stock.")


def _items(cart):
    return {item.product: item.quantity for item in cart.items} if cart else {}


def _product(product_id):
    return db.session.get(Product, product_id) if isinstance(product_id, int) else None


# ---- changes ----------------------------------------------------------------------------------

def add(product_id, quantity=1):
    """Add to the visitor's cart; returns the product's title (read before the commit expires it)."""
    cart = current_cart(create=False)
    items = _items(cart)  # loads the cart's products first, so a product already in it costs no query
    product = _product(product_id)
    existing = items.get(product, 0) if product else 0
    if existing and product is not None and _courses_in(product):
        raise CartError(f"{product.title} is already in your cart. Courses are one per customer.")
    check_line(items, product, existing + quantity, owned_course_ids(user=_user()))
    cart = cart or current_cart(create=True)
    item = next((i for i in cart.items if i.product_id == product.id), None)
    if item is None:
        cart.items.append(CartItem(product=product, quantity=quantity))
    else:
        item.quantity = existing + quantity
    title = product.title
    db.session.commit()
    return title


def set_quantity(product_id, quantity):
    cart = current_cart(create=False)
    item = next((i for i in cart.items if i.product_id == product_id), None) if cart else None
    if item is None:
        raise CartError("That item is not in your cart any more.")
    if quantity == 0:
        return remove(product_id)
    check_line(_items(cart), item.product, quantity, owned_course_ids(user=_user()))
    item.quantity = quantity
    db.session.commit()
    return item.product


def remove(product_id):
    cart = current_cart(create=False)
    item = next((i for i in cart.items if i.product_id == product_id), None) if cart else None
    if item is None:
        return None
    product = item.product
    cart.items.remove(item)
    db.session.commit()
    return product


def merge_into_user_cart(user):
    """After login: move the guest cart's items into the customer's saved cart, keeping the rules."""
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
    dropped = []
    owned = owned_course_ids(user=user)
    for item in list(guest.items):
        items = _items(saved)
        quantity = items.get(item.product, 0) + item.quantity
        if _courses_in(item.product):
            quantity = 1
        try:
            check_line(items, item.product, quantity, owned)
        except CartError as error:
            dropped.append(str(error))
            continue
        existing = next((i for i in saved.items if i.product_id == item.product_id), None)
        if existing is None:
            saved.items.append(CartItem(product_id=item.product_id, quantity=quantity))
        else:
            existing.quantity = quantity
    db.session.delete(guest)
    db.session.commit()
    return dropped


def problems(cart, email=None):
    """Everything that stops this cart being bought now (stock sold meanwhile, courses owned)."""
    found = []
    owned = owned_course_ids(email=email, user=_user())
    items = _items(cart)
    for product, quantity in items.items():
        others = {p: q for p, q in items.items() if p.id != product.id}
        try:
            check_line(others, product, quantity, owned)
        except CartError as error:
            found.append(str(error))
    return found


def pricing_lines(cart):
    return tuple(
        pricing.Line(
            product_id=item.product.id,
            sku=item.product.sku,
            title=item.product.title,
            kind=item.product.kind,
            unit_price_cents=item.product.price_cents,
            quantity=item.quantity,
            is_physical=item.product.is_physical,
            categories=frozenset(c.slug for c in item.product.categories),
        )
        for item in (cart.items if cart else ())
    )


def clear_lines(cart_id, quantities):
    """After an order is paid: take its lines out of the cart it came from ({product_id: quantity})."""
    if cart_id is None:
        return
    for item in db.session.execute(db.select(CartItem).filter_by(cart_id=cart_id)).scalars():
        bought = quantities.get(item.product_id, 0)
        if bought >= item.quantity:
            db.session.delete(item)
        elif bought:
            item.quantity -= bought


# ---- carts named explicitly (a phone order keyed in by staff: no session, no logged-in customer) -------
# These change the session's objects and leave the commit to the caller, so that a cart change and the
# stock held for it are written together or not at all.

def new_cart(token_prefix=""):
    """A cart that belongs to no browser session and no customer (e.g. token_prefix="phone-")."""
    cart = Cart(token=f"{token_prefix}{secrets.token_hex(16)}", user_id=None)
    db.session.add(cart)
    db.session.flush()
    return cart


def cart_by_token(token, token_prefix=""):
    """The cart with this token, if the token has the prefix (a session's cart is never found this way)."""
    if not isinstance(token, str) or not token.startswith(token_prefix) or len(token) > 64:
        return None
    return db.session.execute(db.select(Cart).filter_by(token=token)).scalar_one_or_none()


def books_held_by(cart):
    """{book product id: copies} the cart's items take from stock."""
    copies = {}
    for item in cart.items:
        for book_id, count in _books_in(item.product, item.quantity).items():
            copies[book_id] = copies.get(book_id, 0) + count
    return copies


def add_to_cart(cart, product_id, quantity, owned, held=None):
    """Add `quantity` of a product to this cart (to any already there), by the cart's rules. Not committed."""
    product = _product(product_id)
    items = _items(cart)
    existing = items.get(product, 0) if product else 0
    if existing and product is not None and product.one_per_customer:
        raise CartError(f"{product.title} is already in the order. It is one per customer.")
    check_line_holding(items, product, existing + quantity, owned, held)
    item = next((i for i in cart.items if i.product_id == product.id), None)
    if item is None:
        cart.items.append(CartItem(product=product, quantity=quantity))
    else:
        item.quantity = existing + quantity
    return product


def set_cart_quantity(cart, product_id, quantity, owned, held=None):
    """Change a line's quantity (0 removes it). Not committed."""
    item = next((i for i in cart.items if i.product_id == product_id), None)
    if item is None:
        raise CartError("That item is not in the order any more.")
    if quantity == 0:
        return remove_from_cart(cart, product_id)
    check_line_holding(_items(cart), item.product, quantity, owned, held)
    item.quantity = quantity
    return item.product


def remove_from_cart(cart, product_id):
    item = next((i for i in cart.items if i.product_id == product_id), None)
    if item is None:
        return None
    cart.items.remove(item)
    return item.product


def cart_problems(cart, owned, held=None):
    """check_line for every line of this cart, for a customer owning the courses `owned`."""
    found = []
    items = _items(cart)
    for product, quantity in items.items():
        others = {p: q for p, q in items.items() if p.id != product.id}
        try:
            check_line_holding(others, product, quantity, owned, held)
        except CartError as error:
            found.append(str(error))
    return found

"""The cart's one API: what a cart may hold, and changes to a cart named explicitly.

Rules: books up to the copies in stock; a course (or a combo holding courses) once per customer and
never one already owned; the membership not through the cart; retired products not at all. Prices are
never stored in a cart: pricing reads the catalogue each time (pricing_lines).

The browser's own cart (found from the session or the logged-in customer) is shop.cart.session; a
phone order's cart is named by its token (shop.phone). Both change carts through these functions,
which leave the commit to the caller, so that a cart change and the stock held for it are written
together or not at all.
"""

import secrets
from collections.abc import Mapping

from shop.cart.models import Cart, CartItem
from shop.catalogue.models import KIND_COMBO, KIND_COURSE, KIND_MEMBERSHIP, Product, books_in
from shop.core.errors import Refusal
from shop.extensions import db
from shop.pricing import types as pricing

MAX_QUANTITY = 99
YOUR_CART = "your cart"


class CartError(Refusal):
    """A cart change that the shop refuses; the message is meant for the customer."""

    status = 409


def items_of(cart: Cart | None) -> dict[Product, int]:
    return {item.product: item.quantity for item in cart.items} if cart else {}


def check_line(items: Mapping[Product, int], product: Product | None, quantity: int, owned: set[int],
               held: Mapping[int, int] | None = None) -> None:
    """Raise CartError if a cart holding `items` ({product: quantity}) may not hold `quantity` of product.

    `owned` are the course ids the customer owns; `held` is {book id: copies} already taken from stock for
    this very cart (a phone order's hold), which count as available to it.
    """
    held = held or {}
    if product is None or not product.is_active:
        raise CartError("That product is no longer available.")
    if product.kind == KIND_MEMBERSHIP:
        raise CartError("The membership is billed monthly: join it from its own page (Join for a monthly price), "
                        "not through the cart.")
    if product.kind == KIND_COMBO and any(c.component.kind == KIND_MEMBERSHIP for c in product.components):
        raise CartError(f"{product.title} contains the monthly membership, which a combo cannot sell. "
                        "Join the membership from its own page, and call us about the rest.")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(f"Choose a quantity from 1 to {MAX_QUANTITY}.")
    courses = product.course_ids
    if courses:
        if quantity > 1:
            raise CartError(f"{product.title} is one per customer: you can add it once.")
        if courses & owned:
            what = "this course" if product.kind == KIND_COURSE else f"a course in {product.title}"
            raise CartError(f"You already own {what}. Find your courses under My account.")
        for other in items:
            if other.id != product.id and courses & other.course_ids:
                raise CartError(f"{product.title} overlaps with {other.title}, which is already in your cart.")
    others = books_in({p: q for p, q in items.items() if p.id != product.id})
    for book_id, (book, copies) in product.books(quantity).items():
        free = book.stock + held.get(book_id, 0)
        if free <= 0:
            raise CartError(f"{book.title} is out of stock.")
        if others.get(book_id, (book, 0))[1] + copies > free:
            raise CartError(f"Only {free} {'copy' if free == 1 else 'copies'} of {book.title} "
                            f"{'is' if free == 1 else 'are'} in stock.")


def _item(cart: Cart, product_id: int) -> CartItem | None:
    return next((i for i in cart.items if i.product_id == product_id), None)


def add(cart: Cart, product_id: int, quantity: int, owned: set[int], held: Mapping[int, int] | None = None,
        where: str = YOUR_CART) -> Product:
    """Add `quantity` of a product to the cart (to any already there), by the rules. Not committed.

    `where` names the cart in messages ("your cart"; "the order" on the phone desk).
    """
    items = items_of(cart)  # loads the cart's products first, so a product already in it costs no query
    product = db.session.get(Product, product_id) if isinstance(product_id, int) else None
    existing = items.get(product, 0) if product is not None else 0
    if existing and product is not None and product.one_per_customer:
        raise CartError(f"{product.title} is already in {where}. Courses are one per customer.")
    check_line(items, product, existing + quantity, owned, held)
    assert product is not None
    item = _item(cart, product.id)
    if item is None:
        cart.items.append(CartItem(product=product, quantity=quantity))
    else:
        item.quantity = existing + quantity
    return product


def set_quantity(cart: Cart, product_id: int, quantity: int, owned: set[int],
                 held: Mapping[int, int] | None = None, where: str = YOUR_CART) -> Product | None:
    """Change a line's quantity (0 removes it); returns the product. Not committed."""
    item = _item(cart, product_id)
    if item is None:
        raise CartError(f"That item is not in {where} any more.")
    if quantity == 0:
        return remove(cart, product_id)
    check_line(items_of(cart), item.product, quantity, owned, held)
    item.quantity = quantity
    return item.product


def remove(cart: Cart, product_id: int) -> Product | None:
    """Take a line out; returns its product, or None if it was not there. Not committed."""
    item = _item(cart, product_id)
    if item is None:
        return None
    cart.items.remove(item)
    return item.product


def problems(cart: Cart | None, owned: set[int], held: Mapping[int, int] | None = None) -> list[str]:
    """Everything that stops this cart being bought now (stock sold meanwhile, courses owned)."""
    found = []
    items = items_of(cart)
    for product, quantity in items.items():
        others = {p: q for p, q in items.items() if p.id != product.id}
        try:
            check_line(others, product, quantity, owned, held)
        except CartError as error:
            found.append(error.message)
    return found


def move_items(source: Cart, target: Cart, owned: set[int]) -> list[str]:
    """Move what `source` holds into `target` by the rules (a course once); returns why items were dropped."""
    dropped = []
    for item in list(source.items):
        items = items_of(target)
        quantity = 1 if item.product.course_ids else items.get(item.product, 0) + item.quantity
        try:
            check_line(items, item.product, quantity, owned)
        except CartError as error:
            dropped.append(error.message)
            continue
        existing = _item(target, item.product_id)
        if existing is None:
            target.items.append(CartItem(product_id=item.product_id, quantity=quantity))
        else:
            existing.quantity = quantity
    return dropped


def books_held_by(cart: Cart) -> dict[int, int]:
    """{book product id: copies} the cart's items take from stock."""
    return {book_id: copies for book_id, (_book, copies) in books_in(items_of(cart)).items()}


def pricing_lines(cart: Cart | None) -> tuple[pricing.Line, ...]:
    """The cart's lines as pricing reads them: a snapshot of each product now."""
    return tuple(item.product.pricing_line(item.quantity) for item in (cart.items if cart else ()))


def clear_lines(cart_id: int | None, quantities: Mapping[int | None, int]) -> None:
    """After an order is paid: take its lines out of the cart it came from ({product_id: quantity})."""
    if cart_id is None:
        return
    for item in db.session.execute(db.select(CartItem).filter_by(cart_id=cart_id)).scalars():
        bought = quantities.get(item.product_id, 0)
        if bought >= item.quantity:
            db.session.delete(item)
        elif bought:
            item.quantity -= bought


def new_cart(token_prefix: str = "", user_id: int | None = None) -> Cart:
    """A new cart, not yet in the session (e.g. token_prefix="phone-" for a phone order's)."""
    return Cart(token=f"{token_prefix}{secrets.token_hex(16)}", user_id=user_id)


def cart_by_token(token: object, token_prefix: str = "") -> Cart | None:
    """The cart with this token, if the token has the prefix (a session's cart is never found this way)."""
    if not isinstance(token, str) or not token.startswith(token_prefix) or len(token) > 64:
        return None
    return db.session.execute(db.select(Cart).filter_by(token=token)).scalar_one_or_none()

"""Order desk test helpers: staff clients, orders made quickly (factories) or for real (checkout + localstripe)."""

import uuid
from datetime import timedelta

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.orders.models import Order
from tests.factories import DEFAULT_PASSWORD, BookFactory, OrderFactory, OrderLineFactory, UserFactory
from tests.support import checkout_helpers
from tests.support.forms import csrf_token, input_value, log_in, main_of, soup
from tests.support.stripe_server import CARD_OK, card_payment_method

DESK = "/backoffice/orders"


def logged_in(app, role="staff", email=None, name=None):
    """(client, user) for a new user with `role`, logged in through the login form."""
    user = UserFactory(role=role, **({"email": email} if email else {}), **({"full_name": name} if name else {}))
    client = app.test_client()
    log_in(client, user.email, DEFAULT_PASSWORD)
    return client, user


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def form_value(html, name):
    """The value of the input named `name` in a page."""
    return input_value(html, name)


def post_page_form(client, url, data, page_url=None):
    """As a browser: GET the form page, send what its inputs hold (hidden, text, number), changed by `data`."""
    html = page(client, page_url or url)
    return client.post(url, data={**page_fields(html), **data})


def page_fields(html):
    """What a browser would send from the page's form inputs (hidden, text, number), CSRF token included."""
    page = soup(html)
    fields = {}
    for tag in main_of(page).find_all("input", attrs={"name": True, "value": True}):
        kind = tag.get("type")
        checked_radio = kind == "radio" and tag.has_attr("checked")
        if kind is None or checked_radio or kind in ("hidden", "text", "number", "tel"):
            fields.setdefault(tag["name"], tag["value"])
    fields["csrf_token"] = csrf_token(page)
    return fields


def unique_number():
    """An order number no other order in a shared (session-long) database can have: the live shop's own
    orders are numbered from their ids, like the factory's sequence."""
    return f"STR-{900_000_000 + uuid.uuid4().int % 99_999_999}"


def quick_order(*, lines=(("course", 9900, 1, False),), placed_days_ago=0, paid=True, **fields):
    """An order from factories: lines are (kind, unit price, quantity, is_physical) or dicts for OrderLineFactory."""
    placed = utcnow() - timedelta(days=placed_days_ago)
    physical = any((line.get("is_physical") if isinstance(line, dict) else line[3]) for line in lines)
    values = {"placed_at": placed, "paid_at": placed if paid else None, "requires_shipping": physical,
              "status": "paid" if paid else "pending_payment", **fields}
    order = OrderFactory(**values)
    total = 0
    for line in lines:
        spec = line if isinstance(line, dict) else dict(zip(("kind", "unit_price_cents", "quantity", "is_physical"),
                                                            line, strict=True))
        made = OrderLineFactory(order=order, **spec)
        total += made.total_cents
    order.subtotal_cents = order.total_cents = total
    if values["status"] == "paid" and "paid_cents" not in fields:
        order.paid_cents = total
    db.session.commit()
    return order


def web_order(app, api_base, *, book_stock=10, copies=2, email="buyer@example.com", extra_products=(),
              card=CARD_OK, expect="paid"):
    """A real web order paid by card through localstripe: (order, book). The book's copies are sold.

    With card=CARD_3DS (expect="requires_action") the order stays unpaid, its copies held."""
    checkout_helpers.seed_shipping()
    book = BookFactory(stock=book_stock)
    shopper = app.test_client()
    checkout_helpers.add_to_cart(shopper, book, copies)
    for product in extra_products:
        checkout_helpers.add_to_cart(shopper, product, 1)
    response = checkout_helpers.place(shopper, card_payment_method(api_base, card), email=email)
    assert response.get_json()["status"] == expect, response.get_json()
    order = db.session.scalar(db.select(Order).where(Order.email == email).order_by(Order.id.desc()))
    return order, book

"""Many buyers at once, on PostgreSQL: the last copies are sold exactly once and stock never goes below zero."""


import pytest

from shop.catalogue.models import Product, StockMovement
from shop.extensions import db
from shop.orders.models import Order
from tests.factories import BookFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place_all_at_once, seed_shipping

BUYERS = 50
COPIES = 3


@pytest.fixture
def racing_shop(pg_app, localstripe, monkeypatch):
    ls.use_localstripe(pg_app, localstripe, monkeypatch)
    seed_shipping()
    book = BookFactory(title="Soft Tissue Release", slug="str-book", price_cents=4995, stock=COPIES)
    return pg_app, book


def test_fifty_buyers_racing_for_the_last_three_copies(racing_shop, localstripe):
    app, book = racing_shop
    book_id = book.id
    buyers = []
    for n in range(BUYERS):  # every buyer has the book in the cart and the checkout page open
        client = app.test_client()
        add_to_cart(client, book)
        form, _ = checkout_page(client)
        buyers.append((client, form, ls.card_payment_method(localstripe), f"buyer{n}@example.com"))
    db.session.remove()

    results = place_all_at_once(buyers)

    statuses = [r[1] for r in results]
    assert statuses.count("paid") == COPIES, results
    assert all(code in (200, 409) for code, _ in results), results
    assert db.session.execute(db.select(Product.stock).filter_by(id=book_id)).scalar_one() == 0
    paid = db.session.execute(db.select(Order).filter_by(status="paid")).scalars().all()
    assert len(paid) == COPIES
    assert db.session.scalar(db.select(db.func.count(Order.id))) == COPIES  # the others never got an order
    movements = db.session.scalar(db.select(db.func.sum(StockMovement.change)).filter_by(product_id=book_id))
    assert movements == 0  # stock is the sum of its movements: 3 in, 3 out

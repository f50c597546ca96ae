"""Refunds give back the sales tax on what they refund (Refund.tax_cents, within amount_cents): units their
share of their line's tax, an amount the order's share of tax in it (rounded half up), everything left all
the tax left; never more in all than the order was charged."""

from sqlalchemy import func, select

from shop.extensions import db
from shop.money import allocate
from shop.orders import cancellation, lines
from shop.orders.models import Order, Payment, Refund
from shop.pricing import engine
from shop.pricing.tax import tax_on
from shop.pricing.types import Cart, Line, ShippingRate, TaxRules
from shop.tax.models import TaxRate
from tests.factories import BookFactory, OrderFactory, ProductFactory
from tests.support import checkout_helpers
from tests.support.desk_helpers import DESK, logged_in, page, post_page_form
from tests.support.stripe_server import CARD_OK, card_payment_method

OHIO = TaxRules("US", "OH", 5750, "Ohio sales tax", taxes_shipping=True, taxes_digital=False)
MEDIA_MAIL = ShippingRate("us-media-mail", "USPS Media Mail", "domestic", 595)
BOOKS = ("STR-BOOK", "Soft Tissue Release", "book", 4995, 3, True)
COURSE = ("CE-TP", "Trigger Points", "course", 11900, 1, False)


def taxed_check_order(*specs, rules=OHIO):
    """A paid check order priced by the engine and written by the one writer of lines, as checkout does."""
    cart_lines = []
    for sku, title, kind, price, quantity, physical in specs:
        product = (BookFactory if physical else ProductFactory)(sku=sku, title=title, price_cents=price)
        cart_lines.append(Line(product.id, sku, title, kind, price, quantity, is_physical=physical))
    breakdown = engine.price(Cart(lines=tuple(cart_lines), shipping=MEDIA_MAIL, tax=rules))
    order = OrderFactory(payment_method="check", paid_at=db.func.now(), placed_at=db.func.now())
    lines.write(order, breakdown)
    order.paid_cents = order.total_cents
    db.session.flush()
    db.session.add(Payment(order_id=order.id, provider="check", idempotency_key=f"check:{order.id}",
                           amount_cents=order.total_cents, status="succeeded", reference="Check 1042"))
    db.session.commit()
    return order


def fresh(order):
    db.session.expire_all()
    return db.session.get(Order, order.id)


def refunds_of(order):
    return db.session.scalars(select(Refund).where(Refund.order_id == order.id).order_by(Refund.id)).all()


def refund_url(order):
    return f"{DESK}/{order.number}/refund"


def line_of(order, sku):
    return next(line for line in order.lines if line.sku == sku)


def test_the_order_as_written_carries_each_lines_tax_and_shippings(app):
    order = taxed_check_order(BOOKS, COURSE)
    books, course = line_of(order, "STR-BOOK"), line_of(order, "CE-TP")
    assert order.tax_cents == tax_on(3 * 4995 + 595, 5750) == 896  # 5.75% of $155.80 = $8.9585
    assert course.tax_cents == 0 and books.tax_cents + order.shipping_tax_cents == order.tax_cents
    assert (order.tax_country, order.tax_region) == ("US", "OH")
    assert order.total_cents == 3 * 4995 + 11900 + 595 + 896


def test_units_refunded_give_back_their_share_of_the_lines_tax_to_the_cent(app):
    order = taxed_check_order(BOOKS, COURSE)
    books, course = line_of(order, "STR-BOOK"), line_of(order, "CE-TP")
    goods_per_unit, tax_per_unit = allocate(books.total_cents, [1] * 3), allocate(books.tax_cents, [1] * 3)
    client, _ = logged_in(app, "admin")
    for units, taken in ((1, slice(0, 1)), (2, slice(1, 3))):
        response = post_page_form(client, refund_url(order), {"mode": "lines", f"refund-qty-{books.id}": str(units),
                                                              "reason": "Returned"})
        assert response.status_code == 303, response.get_data(as_text=True)[:400]
        made = refunds_of(order)[-1]
        assert made.tax_cents == sum(tax_per_unit[taken])
        assert made.amount_cents == sum(goods_per_unit[taken]) + made.tax_cents
    assert sum(r.tax_cents for r in refunds_of(order)) == books.tax_cents  # every unit: the line's tax exactly
    response = post_page_form(client, refund_url(order), {"mode": "lines", f"refund-qty-{course.id}": "1",
                                                          "reason": "Not started"})
    assert response.status_code == 303
    assert refunds_of(order)[-1].tax_cents == 0  # the online course was not taxed in Ohio
    assert refunds_of(order)[-1].amount_cents == 11900


def test_a_partial_refund_of_an_amount_gives_back_the_orders_share_of_tax_and_the_rest_all_that_is_left(app):
    order = taxed_check_order(BOOKS, COURSE)
    client, _ = logged_in(app, "admin")
    response = post_page_form(client, refund_url(order), {"mode": "amount", "amount": "50.00", "reason": "Goodwill"})
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    first = refunds_of(order)[0]
    # $50.00 of $283.76 paid, of which $8.96 tax: 157.88 cents, rounded half up
    assert (5000 * order.tax_cents * 2 + order.total_cents) // (2 * order.total_cents) == 158
    assert (first.amount_cents, first.tax_cents) == (5000, 158)

    rest = fresh(order).total_cents - 5000
    response = post_page_form(client, refund_url(order), {"mode": "amount", "amount": f"{rest / 100:.2f}",
                                                          "reason": "Returned everything"})
    assert response.status_code == 303
    order = fresh(order)
    assert order.refunded_cents == order.paid_cents == order.total_cents
    assert refunds_of(order)[1].tax_cents == order.tax_cents - 158
    assert db.session.scalar(select(func.sum(Refund.tax_cents)).where(Refund.order_id == order.id)) == 896


def test_refunding_the_whole_order_gives_back_all_its_tax_shipping_included(app):
    order = taxed_check_order(BOOKS)
    assert order.shipping_tax_cents > 0
    client, _ = logged_in(app, "admin")
    response = post_page_form(client, refund_url(order), {"mode": "amount", "amount": f"{order.total_cents / 100:.2f}",
                                                          "reason": "Lost in the post"})
    assert response.status_code == 303
    (made,) = refunds_of(order)
    assert (made.amount_cents, made.tax_cents) == (order.total_cents, order.tax_cents)


def test_cancelling_a_paid_order_refunds_it_with_all_its_tax(app):
    order = taxed_check_order(BOOKS, COURSE)
    _, admin = logged_in(app, "admin")
    outcome = cancellation.cancel(order, order.version_id, "Ordered twice", admin)
    assert outcome.refund is not None and not outcome.refund_error
    assert (outcome.refund.amount_cents, outcome.refund.tax_cents) == (order.total_cents, order.tax_cents)


def test_units_after_an_amount_never_give_back_more_tax_than_was_charged(app):
    order = taxed_check_order(BOOKS)
    books = line_of(order, "STR-BOOK")
    client, _ = logged_in(app, "admin")
    post_page_form(client, refund_url(order), {"mode": "amount", "amount": "5.95", "reason": "Shipping back"})
    post_page_form(client, refund_url(order), {"mode": "lines", f"refund-qty-{books.id}": "3", "reason": "Returned"})
    made = refunds_of(order)
    assert len(made) == 2
    assert sum(r.tax_cents for r in made) <= order.tax_cents
    assert all(0 <= r.tax_cents <= r.amount_cents for r in made)


def test_an_untaxed_order_gives_back_no_tax(app):
    order = taxed_check_order(BOOKS, rules=None)
    assert order.tax_cents == 0 and order.tax_region == ""
    client, _ = logged_in(app, "admin")
    assert post_page_form(client, refund_url(order), {"mode": "amount", "amount": "10.00",
                                                      "reason": "Goodwill"}).status_code == 303
    assert refunds_of(order)[0].tax_cents == 0


def test_the_refund_page_shows_what_each_line_cost_with_its_tax(app):
    order = taxed_check_order(BOOKS, COURSE)
    books = line_of(order, "STR-BOOK")
    client, _ = logged_in(app)
    html = page(client, refund_url(order))
    assert f"${(books.total_cents + books.tax_cents) / 100:,.2f} for 3" in html
    assert f"incl. ${books.tax_cents / 100:.2f} tax" in html
    assert f"up to ${order.total_cents / 100:,.2f}" in html and "sales tax" in html
    assert "$119.00 for 1" in html  # the untaxed course: no tax note of its own


def test_a_partial_card_refund_through_stripe_records_its_tax(app, payments_on):
    checkout_helpers.seed_shipping()
    db.session.add(TaxRate(country="US", region="OH", name="Ohio sales tax", rate_millipercent=5750,
                           taxes_shipping=True, taxes_digital=False))
    db.session.commit()
    book = BookFactory(price_cents=4995, stock=5)
    shopper = app.test_client()
    checkout_helpers.add_to_cart(shopper, book, 2)
    response = checkout_helpers.place(shopper, card_payment_method(payments_on, CARD_OK), email="card@example.com",
                                      ship_line1="1 High Street", ship_city="Columbus", ship_region="oh",
                                      ship_postal_code="43004", ship_country="US")
    assert response.get_json()["status"] == "paid", response.get_json()
    order = db.session.scalar(select(Order).where(Order.email == "card@example.com"))
    assert order.tax_region == "OH" and order.tax_cents == tax_on(2 * 4995 + order.shipping_cents, 5750)
    client, _ = logged_in(app, "admin")
    response = post_page_form(client, refund_url(order), {"mode": "amount", "amount": "25.00", "reason": "Late"})
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    (made,) = refunds_of(order)
    assert made.status == "succeeded" and made.method == "stripe"
    assert made.tax_cents == (2500 * order.tax_cents * 2 + order.total_cents) // (2 * order.total_cents) > 0

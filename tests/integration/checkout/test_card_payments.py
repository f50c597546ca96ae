"""Buying online against a real localstripe: paid, declined, 3-D Secure, double clicks, tampering."""

import pytest

from shop.catalogue.models import Product
from shop.checkout import services as checkout_services
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.models import Order, Payment
from tests.factories import DEFAULT_PASSWORD, BookFactory, ProductFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping
from tests.support.forms import csrf_token, log_in


@pytest.fixture
def shop_items(app, payments_on):
    seed_shipping()
    book = BookFactory(title="Soft Tissue Release", slug="str-book", price_cents=4995, stock=5)
    course = ProductFactory(title="Trigger Point Course", slug="tp-course", price_cents=11900)
    return book, course


def _orders():
    return db.session.execute(db.select(Order)).scalars().all()


def _stock(product):
    return db.session.execute(db.select(Product.stock).filter_by(id=product.id)).scalar_one()


def test_a_paid_order_is_priced_by_the_server_and_fulfilled_once(client, shop_items, payments_on):
    book, course = shop_items
    add_to_cart(client, book, 2)
    add_to_cart(client, course)
    pm = ls.card_payment_method(payments_on)
    response = place(client, pm, total_cents="1", price_cents="1", unit_price_cents="1")  # ignored
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "paid"
    [order] = _orders()
    assert order.status == "paid" and order.number.startswith("STR-")
    assert order.subtotal_cents == 2 * 4995 + 11900
    assert order.shipping_cents == 0  # free domestic shipping over $75
    assert order.total_cents == 2 * 4995 + 11900
    assert [(line.sku, line.quantity, line.unit_price_cents) for line in order.lines] == sorted(
        [(book.sku, 2, 4995), (course.sku, 1, 11900)])
    assert _stock(book) == 3
    assert db.session.execute(db.select(CourseAccess.product_id)).scalars().all() == [course.id]
    mails = db.session.execute(db.select(OutboxMessage)).scalars().all()
    assert [m.to_address for m in mails] == ["buyer@example.com"]
    assert order.number in mails[0].subject
    thanks = client.get(response.get_json()["redirect"])
    assert thanks.status_code == 200 and order.number in thanks.get_data(as_text=True)
    assert "Your cart is empty" in client.get("/cart").get_data(as_text=True)


def test_a_declined_card_shows_stripes_message_keeps_cart_and_order_and_another_card_works(
        client, shop_items, payments_on):
    book, _ = shop_items
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    declined = place(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED), form=form)
    assert declined.status_code == 402
    assert declined.get_json()["message"] == "Your card was declined."
    [order] = _orders()
    assert order.status == "pending_payment"
    assert "Soft Tissue Release" in client.get("/cart").get_data(as_text=True)
    assert _stock(book) == 4  # held for this order while the customer tries again

    paid = place(client, ls.card_payment_method(payments_on), form=form)
    assert paid.get_json()["status"] == "paid"
    assert [o.status for o in _orders()] == ["paid"]  # the same order, not a second one
    assert [p.status for p in db.session.execute(db.select(Payment).order_by(Payment.id)).scalars()] == [
        "failed", "succeeded"]
    assert _stock(book) == 4


def test_3d_secure_completes_through_a_server_side_retrieve(client, shop_items, payments_on):
    _, course = shop_items
    add_to_cart(client, course)
    form, _ = checkout_page(client)
    answer = place(client, ls.card_payment_method(payments_on, ls.CARD_3DS), form=form).get_json()
    assert answer["status"] == "requires_action"
    intent_id = ls.authenticate_3ds(payments_on, answer["client_secret"], success=True)
    confirmed = client.post(answer["confirm_url"], data={"csrf_token": form["csrf_token"],
                                                          "payment_intent": intent_id})
    assert confirmed.get_json()["status"] == "paid"
    assert _orders()[0].status == "paid"


def test_failed_3d_secure_leaves_the_order_unpaid_with_a_message(client, shop_items, payments_on):
    _, course = shop_items
    add_to_cart(client, course)
    form, _ = checkout_page(client)
    answer = place(client, ls.card_payment_method(payments_on, ls.CARD_3DS), form=form).get_json()
    intent_id = ls.authenticate_3ds(payments_on, answer["client_secret"], success=False)
    confirmed = client.post(answer["confirm_url"], data={"csrf_token": form["csrf_token"],
                                                          "payment_intent": intent_id})
    assert confirmed.status_code == 402
    assert "authentication" in confirmed.get_json()["message"]
    assert _orders()[0].status == "pending_payment"


def test_the_browser_saying_paid_is_not_enough(client, shop_items, payments_on):
    _, course = shop_items
    add_to_cart(client, course)
    form, _ = checkout_page(client)
    answer = place(client, ls.card_payment_method(payments_on, ls.CARD_3DS), form=form).get_json()
    # no authentication happened: the intent still requires action whatever the browser claims
    intent_id = answer["client_secret"].split("_secret")[0]
    confirmed = client.post(answer["confirm_url"], data={"csrf_token": form["csrf_token"], "payment_intent": intent_id})
    assert confirmed.get_json()["status"] == "requires_action"
    assert _orders()[0].status == "pending_payment"


def test_a_double_clicked_place_order_makes_one_order_and_one_charge(client, shop_items, payments_on):
    book, _ = shop_items
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    pm = ls.card_payment_method(payments_on)
    first = place(client, pm, form=form)
    second = place(client, pm, form=form)
    assert first.get_json()["status"] == second.get_json()["status"] == "paid"
    assert len(_orders()) == 1
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 1
    assert _stock(book) == 4


def test_a_checkout_token_the_browser_was_not_given_is_refused_and_nothing_is_ordered(client, shop_items, payments_on):
    book, _ = shop_items
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    response = place(client, ls.card_payment_method(payments_on), form={**form, "checkout_token": "x" * 32})
    assert response.status_code == 409 and "reload the checkout page" in response.get_json()["message"]
    assert _orders() == []


def test_someone_elses_confirmation_page_is_not_found(client, app, shop_items, payments_on):
    _, course = shop_items
    add_to_cart(client, course)
    place(client, ls.card_payment_method(payments_on))
    [order] = _orders()
    stranger = app.test_client()
    assert stranger.get(f"/orders/{order.number}/thanks").status_code == 404
    assert stranger.get("/orders/STR-999999/thanks").status_code == 404


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "not-an-email", "Enter an email address"),
    ("ship_line1", "", "Address is needed"),
    ("shipping_method", "teleport", "Choose a shipping method"),
    ("checkout_token", "", "reload the checkout page"),
])
def test_bad_checkout_input_gets_a_clear_message_and_nothing_is_ordered(
        client, shop_items, payments_on, field, value, message):
    book, _ = shop_items
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    data = {field: value}
    if field == "checkout_token":
        form = {**form, "checkout_token": value}
        data = {}
    response = place(client, ls.card_payment_method(payments_on), form=form, **data)
    assert response.status_code == 400
    body = response.get_json()
    assert message in (body["message"] + " ".join(body["errors"].values()))
    assert _orders() == []


def test_an_empty_cart_cannot_be_checked_out(client, shop_items, payments_on):
    assert client.get("/checkout").status_code == 302
    book, _ = shop_items
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    client.post("/cart/remove", data={"csrf_token": form["csrf_token"], "product_id": book.id})
    response = place(client, ls.card_payment_method(payments_on), form=form)
    assert response.status_code == 409 and "empty" in response.get_json()["message"]


def test_an_online_only_order_needs_no_address_or_shipping(client, shop_items, payments_on):
    _, course = shop_items
    add_to_cart(client, course)
    form, html = checkout_page(client)
    assert "Shipping address" not in html
    response = client.post("/checkout/place", data={**form, "email": "a@example.com", "full_name": "A",
                                                    "payment_method_id": ls.card_payment_method(payments_on)})
    assert response.get_json()["status"] == "paid"
    [order] = _orders()
    assert not order.requires_shipping and order.shipping_cents == 0


def test_shipping_is_charged_below_the_free_threshold_and_by_destination(client, shop_items, payments_on):
    book, _ = shop_items
    add_to_cart(client, book)
    summary = client.get("/checkout/summary?country=CA").get_json()
    assert summary["total_cents"] == 4995 + 1895
    response = place(client, ls.card_payment_method(payments_on), shipping_code="canada",
                     ship_country="CA", ship_region="ON", ship_postal_code="K1A 0B1", ship_city="Ottawa")
    assert response.get_json()["status"] == "paid", response.get_json()
    assert _orders()[0].total_cents == 4995 + 1895


def test_a_course_an_account_already_owns_cannot_be_bought_again(client, shop_items, payments_on):
    _, course = shop_items
    user = UserFactory()
    log_in(client, user.email, DEFAULT_PASSWORD)
    add_to_cart(client, course)
    assert place(client, ls.card_payment_method(payments_on), email=user.email).get_json()["status"] == "paid"
    token = csrf_token(client.get(f"/products/{course.slug}").get_data(as_text=True))
    again = client.post("/cart/add", data={"csrf_token": token, "product_id": course.id, "quantity": 1})
    assert again.status_code == 409 and "You already own this course" in again.get_data(as_text=True)
    assert len(_orders()) == 1


def test_an_account_made_at_checkout_keeps_the_cart_through_a_declined_card(client, shop_items, payments_on):
    """Choosing a password at checkout makes the account (confirmation e-mailed) and the order is its own, but
    nobody is logged in (that would tell an address with an account from a new one): a declined card can be
    tried again with another one, on the same order, with the cart kept."""
    book, _ = shop_items
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    declined = place(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED), form=form,
                     email="new@example.com", password="a long pass phrase")
    assert declined.status_code == 402
    assert "Soft Tissue Release" in client.get("/cart").get_data(as_text=True)  # the cart is there
    assert client.get("/account").status_code == 302  # not logged in
    paid = place(client, ls.card_payment_method(payments_on), form=form, email="new@example.com")
    assert paid.get_json()["status"] == "paid"
    [order] = _orders()
    assert order.status == "paid" and order.user_id is not None
    assert "Your cart is empty" in client.get("/cart").get_data(as_text=True)


def test_card_testing_is_limited_per_checkout_and_per_address(app, client, shop_items, payments_on, monkeypatch):
    monkeypatch.setitem(app.config, "CARD_ATTEMPTS_PER_IP", 4)
    monkeypatch.setitem(app.config, "CARD_ATTEMPTS_PER_VISITOR", 2)
    book, _ = shop_items
    add_to_cart(client, book)
    for _ in range(2):
        assert place(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED)).status_code == 402
    third = place(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED))  # the same checkout
    assert third.status_code == 429 and "Too many card payments" in third.get_json()["message"]
    buyer = app.test_client()  # another checkout from the same address: its tries count there too
    add_to_cart(buyer, book)
    assert place(buyer, ls.card_payment_method(payments_on, ls.CARD_DECLINED)).status_code == 402
    assert place(buyer, ls.card_payment_method(payments_on)).status_code == 200  # the address's 4th try
    late = app.test_client()
    add_to_cart(late, book)
    refused = place(late, ls.card_payment_method(payments_on))
    assert refused.status_code == 429  # the address is over its limit for the hour
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 4  # no refused try reached the card


def test_accounts_made_at_checkout_count_against_the_registration_limit(app):
    for n in range(11):
        details = checkout_services.CheckoutDetails(email=f"new{n}@example.com", name="New Buyer", phone="",
                                                    password="a long enough password", address=None)
        with app.test_request_context("/checkout/place", environ_base={"REMOTE_ADDR": "203.0.113.5"}):
            if n < 10:
                assert checkout_services.account_for(details, None) is not None
            else:
                with pytest.raises(checkout_services.CheckoutError):
                    checkout_services.account_for(details, None)

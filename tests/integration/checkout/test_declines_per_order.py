"""Card testing and hoarding at checkout: an order takes CARD_DECLINES_PER_ORDER declined cards (real
localstripe declines), then it is closed, its copies and promotion uses go back as an expired order's do, and
the order refuses every further card."""

import pytest

from config import Config
from shop.catalogue.models import Product
from shop.extensions import db
from shop.orders import payment as payments
from shop.orders.models import Order, Payment
from shop.promotions.models import Promotion, PromotionRedemption
from tests.factories import BookFactory, PromotionFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping

CAP = 3


@pytest.fixture
def capped(app, payments_on, monkeypatch):
    monkeypatch.setitem(app.config, "CARD_DECLINES_PER_ORDER", CAP)
    seed_shipping()
    book = BookFactory(title="Soft Tissue Release", slug="str-book", price_cents=4995, stock=4)
    promotion = PromotionFactory(name="Spring sale", max_redemptions=10)
    return book, promotion


def _stock(book):
    return db.session.execute(db.select(Product.stock).filter_by(id=book.id)).scalar_one()


def _uses(promotion):
    return db.session.execute(db.select(Promotion.redemption_count).filter_by(id=promotion.id)).scalar_one()


def _decline(client, api_base, form):
    return place(client, ls.card_payment_method(api_base, ls.CARD_DECLINED), form=form)


def test_the_default_cap_is_five_declines_per_order():
    assert Config.CARD_DECLINES_PER_ORDER == 5


def test_repeated_declines_close_the_order_and_release_its_copies_and_promotion_uses(client, capped, payments_on):
    book, promotion = capped
    add_to_cart(client, book, 2)
    form, _ = checkout_page(client)
    for _ in range(CAP - 1):
        assert _decline(client, payments_on, form).status_code == 402
    [order] = db.session.execute(db.select(Order)).scalars().all()
    assert order.status == "pending_payment" and _stock(book) == 2 and _uses(promotion) == 1

    last = _decline(client, payments_on, form)
    assert last.status_code == 409
    message = last.get_json()["message"]
    assert message.startswith("Your card was declined.")
    assert f"{CAP} declined card payments" in message and "1 800 741 5716" in message and "check out again" in message
    db.session.refresh(order)
    assert order.status == "expired" and order.checkout_token is None
    assert _stock(book) == 4  # the copies are back at once, not after the 30-minute hold
    assert _uses(promotion) == 0
    assert db.session.execute(db.select(PromotionRedemption.status)).scalar_one() == "released"
    assert "abandoned" in [event.kind for event in order.events]


def test_an_order_closed_for_declines_refuses_every_further_card(app, client, capped, payments_on):
    book, _ = capped
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    for _ in range(CAP):
        _decline(client, payments_on, form)
    order = db.session.execute(db.select(Order)).scalar_one()
    attempts = db.session.execute(db.select(Payment)).scalars().all()
    with app.test_request_context():
        outcome = payments.pay_with_card(order, ls.card_payment_method(payments_on))
    assert outcome.status == payments.RESULT_TOO_MANY_DECLINES and "call us" in outcome.message.lower()
    assert len(db.session.execute(db.select(Payment)).scalars().all()) == len(attempts)  # nothing charged
    assert _stock(book) == 4  # and nothing taken again


def test_a_declined_3d_secure_that_reaches_the_cap_closes_the_order(client, capped, payments_on):
    book, promotion = capped
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    for _ in range(CAP - 1):
        _decline(client, payments_on, form)
    answer = place(client, ls.card_payment_method(payments_on, ls.CARD_3DS), form=form).get_json()
    assert answer["status"] == "requires_action"
    intent_id = ls.authenticate_3ds(payments_on, answer["client_secret"], success=False)
    confirmed = client.post(answer["confirm_url"], data={"csrf_token": form["csrf_token"],
                                                          "payment_intent": intent_id})
    assert confirmed.status_code == 409 and f"{CAP} declined card payments" in confirmed.get_json()["message"]
    assert db.session.execute(db.select(Order.status)).scalar_one() == "expired"
    assert _stock(book) == 4 and _uses(promotion) == 0


def test_declines_under_the_cap_still_let_a_good_card_pay(client, capped, payments_on):
    book, _ = capped
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    for _ in range(CAP - 1):
        _decline(client, payments_on, form)
    paid = place(client, ls.card_payment_method(payments_on), form=form)
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    assert db.session.execute(db.select(Order.status)).scalar_one() == "paid"

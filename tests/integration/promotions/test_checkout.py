"""Promotions through checkout: discounts by name everywhere, allocated to lines, frozen with the order, and
counted against their limits (uses, budget, per customer), given back when an unpaid order expires."""

from datetime import timedelta

import pytest

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders import services as orders
from shop.orders.models import Order
from shop.promotions.models import CartCode, Promotion, PromotionCode, PromotionRedemption
from tests.factories import (
    DEFAULT_PASSWORD,
    BookFactory,
    ProductFactory,
    PromotionCodeFactory,
    PromotionFactory,
    UserFactory,
)
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping
from tests.support.forms import csrf_token, log_in


@pytest.fixture
def items(app, payments_on):
    seed_shipping()
    book = BookFactory(title="Soft Tissue Release", price_cents=4995, stock=10)
    course = ProductFactory(title="Trigger Points", price_cents=10000)
    return book, course


def apply(client, code):
    token = csrf_token(client.get("/cart").get_data(as_text=True))
    return client.post("/cart/code", data={"csrf_token": token, "code": code, "next": "cart"})


def buy(client, api_base, *products, code=None, email="buyer@example.com", card=ls.CARD_OK):
    for product in products:
        add_to_cart(client, product)
    if code:
        assert apply(client, code).status_code == 303
    form, _ = checkout_page(client)
    return place(client, ls.card_payment_method(api_base, card), form=form, email=email)


def orders_placed():
    return db.session.execute(db.select(Order).order_by(Order.id)).scalars().all()


def counters(promotion_id):
    row = db.session.execute(db.select(Promotion.redemption_count, Promotion.discount_given_cents)
                             .filter_by(id=promotion_id)).one()
    return tuple(row)


def test_discounts_show_by_name_in_cart_checkout_confirmation_page_and_email(client, items, payments_on):
    book, course = items
    PromotionFactory(name="Autumn Sale", basis_points=1000)
    PromotionCodeFactory(code="NEWS5", promotion__name="Newsletter $5 off", promotion__benefit_kind="amount",
                         promotion__amount_cents=500)
    add_to_cart(client, book)
    add_to_cart(client, course)
    apply(client, "news5")
    cart = client.get("/cart").get_data(as_text=True)
    assert "Autumn Sale" in cart and "Newsletter $5 off" in cart
    _, checkout = checkout_page(client)
    assert "Autumn Sale" in checkout and "Newsletter $5 off" in checkout
    response = place(client, ls.card_payment_method(payments_on))
    assert response.get_json()["status"] == "paid", response.get_json()
    [order] = orders_placed()
    subtotal = 4995 + 10000
    autumn = (subtotal * 1000 + 5000) // 10000
    assert order.discount_cents == autumn + 500
    assert order.total_cents == subtotal - autumn - 500  # shipping is free over $75
    thanks = client.get(response.get_json()["redirect"]).get_data(as_text=True)
    assert "Autumn Sale" in thanks and "Newsletter $5 off" in thanks
    [mail] = db.session.execute(db.select(OutboxMessage)).scalars().all()
    assert "Autumn Sale" in mail.text_body and "Newsletter $5 off" in mail.html_body
    # every discount is allocated to the lines it came from, to the cent
    assert sum(line.discount_cents for line in order.lines) == order.discount_cents
    per_line = {}
    for adjustment in order.pricing_snapshot["adjustments"]:
        assert sum(cents for _, cents in adjustment["per_line"]) == adjustment["amount_cents"]
        for sku, cents in adjustment["per_line"]:
            per_line[sku] = per_line.get(sku, 0) + cents
    assert per_line == {line.sku: line.discount_cents for line in order.lines}
    assert all(line.total_cents == line.subtotal_cents - line.discount_cents for line in order.lines)
    redemptions = db.session.execute(db.select(PromotionRedemption.status, PromotionRedemption.discount_cents)
                                     .order_by(PromotionRedemption.promotion_id)).all()
    assert [tuple(r) for r in redemptions] == [("confirmed", autumn), ("confirmed", 500)]
    assert db.session.execute(db.select(PromotionCode.use_count)).scalar_one() == 1
    assert db.session.execute(db.select(CartCode)).scalars().all() == []  # used: gone from the cart with its items


def test_the_order_keeps_its_snapshot_when_the_promotion_is_edited_or_deleted(client, items, payments_on):
    _, course = items
    promotion = PromotionFactory(name="Spring Sale", basis_points=2000)
    response = buy(client, payments_on, course)
    [order] = orders_placed()
    snapshot = order.pricing_snapshot
    assert (order.discount_cents, order.total_cents) == (2000, 8000)
    promotion.name, promotion.basis_points = "Renamed Sale", 5000
    db.session.commit()
    thanks = client.get(response.get_json()["redirect"]).get_data(as_text=True)
    assert "Spring Sale" in thanks and "Renamed Sale" not in thanks
    db.session.delete(db.session.get(Promotion, promotion.id))
    db.session.commit()
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.pricing_snapshot == snapshot
    assert (order.discount_cents, order.total_cents) == (2000, 8000)
    assert [line.discount_cents for line in order.lines] == [2000]
    assert "Spring Sale" in client.get(response.get_json()["redirect"]).get_data(as_text=True)


def test_an_expired_unpaid_order_gives_its_redemption_back(client, items, payments_on):
    _, course = items
    code = PromotionCodeFactory(code="ONCE-AAAAA", max_uses=1, promotion__name="Conference",
                                promotion__max_redemptions=5)
    promotion_id = code.promotion_id
    response = buy(client, payments_on, course, code="ONCE-AAAAA", card=ls.CARD_DECLINED)
    assert response.status_code == 402
    assert counters(promotion_id) == (1, 1000)
    assert db.session.execute(db.select(PromotionCode.use_count)).scalar_one() == 1
    orders.expire_unpaid(now=utcnow() + timedelta(minutes=31))
    db.session.expire_all()
    assert counters(promotion_id) == (0, 0)
    assert db.session.execute(db.select(PromotionCode.use_count)).scalar_one() == 0
    assert db.session.execute(db.select(PromotionRedemption.status)).scalar_one() == "released"
    orders.expire_unpaid(now=utcnow() + timedelta(hours=2))  # given back once only
    assert counters(promotion_id) == (0, 0)


def test_a_code_used_up_between_pricing_and_placing_rolls_the_order_back(client, items, payments_on, monkeypatch):
    _, course = items
    code = PromotionCodeFactory(code="LAST", promotion__name="Last one", promotion__max_redemptions=1)
    add_to_cart(client, course)
    apply(client, "LAST")
    form, _ = checkout_page(client)
    from shop.promotions import loader

    real = loader.with_fresh_counters

    def stale_then_taken(promotions, ids):  # this buyer priced it; another one took the last use meanwhile
        fresh = real(promotions, ids)
        db.session.execute(db.update(Promotion).where(Promotion.id == code.promotion_id).values(redemption_count=1))
        return fresh

    monkeypatch.setattr(loader, "with_fresh_counters", stale_then_taken)
    response = place(client, ls.card_payment_method(payments_on), form=form)
    assert response.status_code == 409
    assert response.get_json()["message"] == "Last one was just used up: your total has changed, please review it."
    assert orders_placed() == []
    assert db.session.execute(db.select(PromotionRedemption)).scalars().all() == []


def test_a_budget_is_never_exceeded(client, items, payments_on, app):
    _, course = items
    promotion = PromotionFactory(name="Budgeted", basis_points=1000, budget_cents=1500)
    totals = []
    for n in range(3):
        buyer = app.test_client()
        assert buy(buyer, payments_on, course, email=f"b{n}@example.com").get_json()["status"] == "paid"
        totals.append(orders_placed()[-1].total_cents)
    assert totals == [9000, 9500, 10000]  # $10 off, then the $5 left, then nothing
    assert counters(promotion.id) == (2, 1500)


def test_a_per_customer_limit_holds_by_email(client, items, payments_on, app):
    _, course = items
    PromotionCodeFactory(code="WELCOME", promotion__name="Welcome", promotion__max_per_customer=1)
    book = BookFactory(title="Another book", price_cents=3000)
    assert buy(client, payments_on, course, code="WELCOME", email="pat@example.com").get_json()["status"] == "paid"
    again = app.test_client()
    response = buy(again, payments_on, book, code="WELCOME", email="PAT@example.com")
    assert response.status_code == 409
    assert response.get_json()["message"].startswith("You have already used WELCOME.")
    other = app.test_client()
    assert buy(other, payments_on, book, code="WELCOME", email="sam@example.com").get_json()["status"] == "paid"


def test_a_per_customer_limit_holds_by_account_whatever_the_email(client, items, payments_on, app):
    _, course = items
    PromotionFactory(name="Members' thanks", basis_points=1000, max_per_customer=1)
    user = UserFactory(email="member@example.com")
    log_in(client, user.email, DEFAULT_PASSWORD)
    assert buy(client, payments_on, course, email="member@example.com").get_json()["status"] == "paid"
    assert orders_placed()[-1].discount_cents == 1000
    book = BookFactory(title="Another book", price_cents=3000)
    add_to_cart(client, book)
    assert "Members&#39; thanks" not in client.get("/cart").get_data(as_text=True)
    form, _ = checkout_page(client)
    response = place(client, ls.card_payment_method(payments_on), form=form, email="other-address@example.com")
    assert response.get_json()["status"] == "paid"
    assert orders_placed()[-1].discount_cents == 0


def test_a_first_order_offer_is_for_a_confirmed_accounts_first_paid_order_only(client, items, payments_on, app):
    _, course = items
    PromotionFactory(name="First order", basis_points=1500, first_order_only=True)
    assert buy(client, payments_on, course, email="guest@example.com").get_json()["status"] == "paid"
    assert orders_placed()[-1].discount_cents == 0  # a guest's new address per order proves no first order

    buyer = app.test_client()
    user = UserFactory(email="new@example.com")
    log_in(buyer, user.email, DEFAULT_PASSWORD)
    assert buy(buyer, payments_on, course, email=user.email).get_json()["status"] == "paid"
    assert orders_placed()[-1].discount_cents == 1500
    book = BookFactory(title="Another book", price_cents=3000)
    add_to_cart(buyer, book)
    assert "First order" not in buyer.get("/checkout/summary?country=US").get_json()["summary_html"]


def test_the_summary_tells_a_guest_nothing_about_an_address(app, items, payments_on):
    _, course = items
    PromotionFactory(name="First order", basis_points=1500, first_order_only=True)
    buyer = app.test_client()
    user = UserFactory(email="known@example.com")
    log_in(buyer, user.email, DEFAULT_PASSWORD)
    buy(buyer, payments_on, course, email=user.email)
    guest = app.test_client()
    add_to_cart(guest, BookFactory(title="A book", price_cents=3000))
    known = guest.get("/checkout/summary?email=known@example.com").get_json()
    unknown = guest.get("/checkout/summary?email=nobody-yet@example.com").get_json()
    assert known == unknown


def test_a_fixed_price_set_built_from_a_promotion(client, items, payments_on):
    book, course = items
    PromotionFactory(name="Book + course for $120", benefit_kind="fixed_price", amount_cents=12000,
                     applies_to_everything=False, bundle=[(book, 1), (course, 1)])
    response = buy(client, payments_on, book, course)
    assert response.get_json()["status"] == "paid"
    [order] = orders_placed()
    assert order.discount_cents == 4995 + 10000 - 12000
    assert order.subtotal_cents - order.discount_cents == 12000


def test_a_payment_after_expiry_counts_the_use_again(client, items, payments_on):
    _, course = items
    code = PromotionCodeFactory(code="LATE", promotion__name="Late payer", promotion__max_redemptions=1)
    add_to_cart(client, course)
    apply(client, "LATE")
    form, _ = checkout_page(client)
    answer = place(client, ls.card_payment_method(payments_on, ls.CARD_3DS), form=form).get_json()
    assert answer["status"] == "requires_action"
    intent_id = ls.authenticate_3ds(payments_on, answer["client_secret"])
    orders.expire_unpaid(now=utcnow() + timedelta(minutes=31))
    db.session.expire_all()
    assert counters(code.promotion_id) == (0, 0)
    payload, header = ls.signed_event("payment_intent.succeeded", ls.retrieve_intent(intent_id), "evt_late_promo")
    client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": header,
                                                            "Content-Type": "application/json"})
    db.session.expire_all()
    [order] = orders_placed()
    assert order.status == "paid" and order.discount_cents == 1000
    assert counters(code.promotion_id) == (1, 1000)  # the customer paid the discounted price: it counts
    assert db.session.execute(db.select(PromotionRedemption.status)).scalar_one() == "confirmed"


def test_release_for_order_gives_back_a_paid_orders_uses_when_asked(client, items, payments_on):
    from shop.promotions import redemptions

    _, course = items
    promotion = PromotionFactory(name="Spring Sale", max_redemptions=10)
    assert buy(client, payments_on, course).get_json()["status"] == "paid"
    [order] = orders_placed()
    assert redemptions.release_for_order(order) == 0  # confirmed uses stay unless asked
    assert redemptions.release_for_order(order, include_confirmed=True) == 1
    db.session.commit()
    assert counters(promotion.id) == (0, 0)
    assert redemptions.release_for_order(order, include_confirmed=True) == 0


def test_a_preview_prices_products_with_a_draft_promotion_and_says_why_others_do_not_apply(app, items):
    from shop.quote import quote_lines
    from shop.reports import preview

    book, course = items
    draft = PromotionFactory(name="Draft deal", state="draft", basis_points=2500, requires_code=True)
    PromotionFactory(name="Big carts", basis_points=1000, min_subtotal_cents=100000)
    b = preview.preview(draft, {course.id: 1, book.id: 2}, email="pat@example.com").breakdown
    assert [a.name for a in b.adjustments] == ["Draft deal"]
    assert b.discount_cents == 4998  # 25 % of $199.90 is $49.975: rounded half up
    assert sum(line.discount_cents for line in b.lines) == b.discount_cents
    assert {n.name: n.reason for n in b.not_applied} == {"Big carts": "minimum subtotal $1,000.00 not reached"}
    assert quote_lines([course.pricing_line()]).breakdown.discount_cents == 0  # a draft is not live

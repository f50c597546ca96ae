"""Cancelling: stock and promotion uses come back; a paid order is refunded in full as part of it."""

import stripe

from shop.catalogue.models import Product, StockMovement
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.orders.models import Order, Payment, Refund, StockReservation
from shop.promotions.models import Promotion, PromotionRedemption
from tests.factories import ProductFactory, PromotionFactory
from tests.support import forms
from tests.support.desk_helpers import DESK, logged_in, page, post_page_form, quick_order, web_order
from tests.support.stripe_server import CARD_3DS


def cancel_url(order):
    return f"{DESK}/{order.number}/cancel"


def stock_of(product):
    return db.session.scalar(db.select(Product.stock).where(Product.id == product.id))


def test_cancelling_an_unpaid_order_returns_stock_and_promotion_uses(app, payments_on):
    promotion = PromotionFactory(name="Ten percent", max_redemptions=5)
    order, book = web_order(app, payments_on, copies=3, card=CARD_3DS, expect="requires_action")
    assert stock_of(book) == 7
    assert db.session.get(Promotion, promotion.id).redemption_count == 1
    client, _ = logged_in(app)
    assert "promotion uses are given back" in page(client, cancel_url(order))
    response = post_page_form(client, cancel_url(order), {"reason": "Caller changed their mind"})
    assert response.status_code == 303

    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == "cancelled" and order.closed_at is not None
    assert stock_of(book) == 10
    assert db.session.get(Promotion, promotion.id).redemption_count == 0
    assert db.session.scalar(db.select(PromotionRedemption.status)) == "released"
    assert db.session.scalar(db.select(StockReservation.status)) == "released"
    intent_id = db.session.scalar(db.select(Payment.intent_id).where(Payment.order_id == order.id))
    assert stripe.PaymentIntent.retrieve(intent_id).status == "canceled"
    html = page(client, f"{DESK}/{order.number}")
    assert "Caller changed their mind" in html and "1 promotion use given back" in html
    assert db.session.scalar(db.select(db.func.count(Refund.id))) == 0


def test_cancelling_a_paid_order_refunds_it_returns_stock_and_withdraws_courses(app, payments_on):
    PromotionFactory(name="Ten percent")
    course = ProductFactory(title="Myofascial release online")
    order, book = web_order(app, payments_on, copies=2, extra_products=[course])
    paid = db.session.get(Order, order.id).total_cents
    assert stock_of(book) == 8
    assert db.session.scalar(db.select(db.func.count(CourseAccess.id))) == 1
    admin, _ = logged_in(app, role="admin")
    response = post_page_form(admin, cancel_url(order), {"reason": "Duplicate order"})
    assert response.status_code == 303

    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == "cancelled" and order.refunded_cents == paid
    assert stock_of(book) == 10
    returned = db.session.scalars(db.select(StockMovement).where(StockMovement.order_id == order.id,
                                                                StockMovement.reason == "returned")).all()
    assert [m.change for m in returned] == [2]
    assert db.session.scalar(db.select(db.func.count(CourseAccess.id))) == 0
    assert db.session.scalar(db.select(PromotionRedemption.status)) == "released"
    refund = db.session.scalar(db.select(Refund))
    assert (refund.amount_cents, refund.method, refund.status) == (paid, "stripe", "succeeded")
    assert stripe.Refund.retrieve(refund.provider_refund_id).amount == paid
    html = page(admin, f"{DESK}/{order.number}")
    assert "Cancelled" in html and "Order cancelled: Duplicate order" in html


def test_a_shipped_order_cannot_be_cancelled(app):
    client, _ = logged_in(app)
    order = quick_order(lines=[("book", 4995, 1, True)], ship_line1="1 Elm", ship_city="Springfield",
                        ship_country="US")
    assert post_page_form(client, f"{DESK}/{order.number}/ship", {"carrier": "USPS"}).status_code == 303
    html = page(client, cancel_url(order))
    assert "refund instead" in html and not forms.has_field(html, "reason")
    response = client.post(cancel_url(order), data={"reason": "late", "version": "99"})
    assert response.status_code in (400, 409)  # no CSRF token: 400; with one, 409
    assert db.session.get(Order, order.id).status == "paid"


def test_cancelling_needs_a_reason_and_an_admin_above_the_staff_limit(app):
    client, _ = logged_in(app)
    order = quick_order(payment_method="check", lines=[("book", 30000, 1, True)])
    db.session.add(Payment(order_id=order.id, provider="check", idempotency_key=f"check:{order.id}",
                           amount_cents=30000, status="succeeded"))
    db.session.commit()
    no_reason = post_page_form(client, cancel_url(order), {"reason": ""})
    assert no_reason.status_code == 422 and "Give a reason" in no_reason.get_data(as_text=True)
    over_limit = post_page_form(client, cancel_url(order), {"reason": "Customer asked"})
    assert over_limit.status_code == 403 and "Ask an admin" in over_limit.get_data(as_text=True)
    assert db.session.get(Order, order.id).status == "paid"
    admin, _ = logged_in(app, role="admin")
    assert post_page_form(admin, cancel_url(order), {"reason": "Customer asked"}).status_code == 303
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert (order.status, order.refunded_cents) == ("cancelled", 30000)
    assert db.session.scalar(db.select(Refund.method)) == "manual"
    closed = page(admin, cancel_url(order))
    assert "cannot be cancelled" in closed


def test_when_stripe_fails_the_order_stays_cancelled_and_the_refund_can_be_retried(app, payments_on, monkeypatch):
    order, book = web_order(app, payments_on, copies=1)
    paid = order.total_cents
    real_create = stripe.Refund.create
    monkeypatch.setattr(stripe.Refund, "create", classmethod(lambda cls, **kw: (_ for _ in ()).throw(
        stripe.APIConnectionError("connection refused"))))
    admin, _ = logged_in(app, role="admin")
    response = post_page_form(admin, cancel_url(order), {"reason": "Out of print"})
    assert response.status_code == 303
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "is cancelled, but the refund failed" in html
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "cancelled" and stock_of(book) == 10
    assert db.session.get(Order, order.id).refunded_cents == 0
    monkeypatch.setattr(stripe.Refund, "create", real_create)
    retry = post_page_form(admin, f"{DESK}/{order.number}/refund", {"amount": f"{paid / 100:.2f}",
                                                                    "reason": "Out of print"})
    assert retry.status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, order.id).refunded_cents == paid

"""Stripe's word arrives late, twice, out of order or forged: the order ends right every time."""

import random
from datetime import timedelta

import pytest
import stripe

from shop.catalogue.models import Product
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders import services as orders
from shop.orders.models import Order, OrderEvent
from shop.payments.models import ProcessedEvent
from tests.factories import BookFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping


@pytest.fixture
def book(app, payments_on):
    seed_shipping()
    return BookFactory(title="Soft Tissue Release", slug="str-book", price_cents=4995, stock=3)


def _order():
    return db.session.execute(db.select(Order)).scalar_one()


def _stock(product):
    return db.session.execute(db.select(Product.stock).filter_by(id=product.id)).scalar_one()


def _post(client, payload, header):
    return client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": header,
                                                                 "Content-Type": "application/json"})


def _pending_order_with_3ds(client, api_base, success=True):
    """An order whose payment needs 3-D Secure, authenticated at the bank but not yet confirmed to us."""
    add_to_cart(client, db.session.get(Product, db.session.execute(db.select(Product.id)).scalar_one()))
    form, _ = checkout_page(client)
    answer = place(client, ls.card_payment_method(api_base, ls.CARD_3DS), form=form).get_json()
    assert answer["status"] == "requires_action"
    intent_id = ls.authenticate_3ds(api_base, answer["client_secret"], success=success)
    return ls.retrieve_intent(intent_id)


def test_each_event_delivered_five_times_in_any_order_fulfils_once(client, book, payments_on):
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    place(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED), form=form)  # a failed first attempt
    first_failure = db.session.execute(
        db.select(OrderEvent.message).filter_by(kind="payment_failed")).scalars().first()
    answer = place(client, ls.card_payment_method(payments_on, ls.CARD_3DS), form=form).get_json()
    intent = ls.retrieve_intent(ls.authenticate_3ds(payments_on, answer["client_secret"]))
    assert intent["status"] == "succeeded" and _order().status == "pending_payment"

    failed = dict(intent, status="requires_payment_method", id="pi_earlier_attempt")
    deliveries = [ls.signed_event("payment_intent.succeeded", intent, "evt_paid")] * 5
    deliveries += [ls.signed_event("payment_intent.payment_failed", failed, "evt_failed")] * 5
    random.Random(7).shuffle(deliveries)
    for payload, header in deliveries:
        assert _post(client, payload, header).status_code == 200

    order = _order()
    assert order.status == "paid"
    assert len([e for e in order.events if e.kind == "paid"]) == 1
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1
    assert _stock(book) == 2
    assert {e.event_id for e in db.session.execute(db.select(ProcessedEvent)).scalars()} == {
        "evt_paid", "evt_failed"}
    assert first_failure  # the declined attempt stayed on the timeline


def test_a_late_failure_never_returns_a_paid_order_to_pending(client, book, payments_on):
    intent = _pending_order_with_3ds(client, payments_on)
    _post(client, *ls.signed_event("payment_intent.succeeded", intent, "evt_1"))
    _post(client, *ls.signed_event("payment_intent.payment_failed", dict(intent, status="requires_payment_method"),
                                   "evt_2"))
    assert _order().status == "paid"


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(client, book, payments_on):
    intent = _pending_order_with_3ds(client, payments_on)
    payload, _ = ls.signed_event("payment_intent.succeeded", intent)
    _, forged = ls.signed_event("payment_intent.succeeded", intent, secret="whsec_someone_else")
    for header in (forged, "", "t=1,v1=deadbeef"):
        assert _post(client, payload, header).status_code == 400
    assert client.post("/stripe/webhook", data="not json", headers={"Stripe-Signature": forged}).status_code == 400
    assert _order().status == "pending_payment"
    assert db.session.scalar(db.select(db.func.count(ProcessedEvent.event_id))) == 0


def test_a_tampered_amount_is_not_accepted_as_payment(client, book, payments_on):
    intent = _pending_order_with_3ds(client, payments_on)
    order = _order()
    cheap = stripe.PaymentIntent.create(amount=100, currency="usd", payment_method_types=["card"],
                                        payment_method=ls.card_payment_method(payments_on), confirm=True,
                                        metadata={"order_id": str(order.id)})
    _post(client, *ls.signed_event("payment_intent.succeeded", ls.retrieve_intent(cheap.id), "evt_cheap"))
    assert _order().status == "pending_payment"
    assert any(e.kind == "payment_mismatch" for e in _order().events)
    # and a real payment for the right amount still goes through
    _post(client, *ls.signed_event("payment_intent.succeeded", intent, "evt_real"))
    assert _order().status == "paid"


def test_a_paid_order_whose_create_answer_was_lost_is_adopted_from_the_webhook(client, book, payments_on):
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    place(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED), form=form)
    order = _order()
    paid = stripe.PaymentIntent.create(amount=order.total_cents, currency="usd", payment_method_types=["card"],
                                       payment_method=ls.card_payment_method(payments_on), confirm=True,
                                       metadata={"order_id": str(order.id)})
    _post(client, *ls.signed_event("payment_intent.succeeded", ls.retrieve_intent(paid.id), "evt_lost"))
    assert _order().status == "paid"


def test_unpaid_orders_release_their_stock_when_the_reservation_expires(client, book, payments_on):
    add_to_cart(client, book, 3)
    form, _ = checkout_page(client)
    place(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED), form=form)
    assert _stock(book) == 0
    assert orders.expire_unpaid(now=utcnow()) == []  # not yet
    expired = orders.expire_unpaid(now=utcnow() + timedelta(minutes=31))
    assert [o.number for o in expired] == [_order().number]
    assert _order().status == "expired"
    assert _stock(book) == 3
    assert orders.expire_unpaid(now=utcnow() + timedelta(hours=2)) == []  # released once only
    assert _stock(book) == 3


def test_a_payment_that_lands_after_expiry_still_counts_and_takes_the_stock_again(client, book, payments_on):
    intent = _pending_order_with_3ds(client, payments_on)
    orders.expire_unpaid(now=utcnow() + timedelta(minutes=31))
    assert _stock(book) == 3
    _post(client, *ls.signed_event("payment_intent.succeeded", intent, "evt_late"))
    order = _order()
    assert order.status == "paid"
    assert _stock(book) == 2


def test_after_expiry_the_customer_can_check_out_again(client, book, payments_on):
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    place(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED), form=form)
    orders.expire_unpaid(now=utcnow() + timedelta(minutes=31))
    response = place(client, ls.card_payment_method(payments_on), form=form)
    assert response.get_json()["status"] == "paid"
    statuses = sorted(o.status for o in db.session.execute(db.select(Order)).scalars())
    assert statuses == ["expired", "paid"]
    assert _stock(book) == 2


def test_changing_the_cart_after_a_failed_attempt_replaces_the_unpaid_order(client, book, payments_on):
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    place(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED), form=form)
    add_to_cart(client, book)  # now two copies
    response = place(client, ls.card_payment_method(payments_on), form=form)
    assert response.get_json()["status"] == "paid"
    paid = db.session.execute(db.select(Order).filter_by(status="paid")).scalar_one()
    assert paid.lines[0].quantity == 2
    assert _stock(book) == 1

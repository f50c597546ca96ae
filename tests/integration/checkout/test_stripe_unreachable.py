"""Stripe out of reach at checkout: connections refused, then an answer lost after Stripe charged the card.

The customer gets a clear message, the order and the cart are kept, nothing new is charged while Stripe cannot
be asked, and when it is back the same order is paid once. localstripe keeps no idempotency keys, so a second
charge here could only be stopped by the shop's own records (the attempt's key in the intent's metadata,
read back from Stripe's events).
"""

import contextlib
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import requests

from shop.extensions import db
from shop.orders.models import Order, Payment
from shop.payments import stripe_gateway
from tests.factories import BookFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping
from tests.support.faulty_network import FaultyProxy, closed_port

UNSURE = "cannot yet tell whether your card was charged"


@pytest.fixture
def book(app, payments_on):
    seed_shipping()
    return BookFactory(title="Soft Tissue Release", slug="str-book", price_cents=4995, stock=5)


def _point_stripe_at(app, monkeypatch, base, timeout=1):
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", base)
    monkeypatch.setitem(app.config, "STRIPE_TIMEOUT_SECONDS", timeout)
    stripe_gateway.configure(app)


@contextlib.contextmanager
def _answers_lost(app, monkeypatch, api_base):
    """Stripe behind a proxy that throws its answers away (Stripe still does what it is asked); yields the
    proxy, whose mode a test may set back to "pass"."""
    proxy = FaultyProxy(urlsplit(api_base).port)
    proxy.mode = "swallow"
    _point_stripe_at(app, monkeypatch, proxy.url)
    try:
        yield proxy
    finally:
        proxy.close()


def _orders():
    db.session.expire_all()
    return db.session.scalars(db.select(Order)).all()


def _payments():
    return [(p.status, bool(p.intent_id)) for p in db.session.scalars(db.select(Payment).order_by(Payment.id))]


def _intents(api_base, payment_methods):
    """The PaymentIntents localstripe made with these cards (asked directly, not through the faulty proxy)."""
    answer = requests.get(f"{api_base}/v1/payment_intents", params={"limit": 10000}, timeout=10,
                          headers={"Authorization": f"Bearer {ls.SECRET_KEY}"})
    answer.raise_for_status()
    return [intent for intent in answer.json()["data"] if intent["payment_method"] in payment_methods]


def _charged(api_base, payment_methods):
    return sum(1 for intent in _intents(api_base, payment_methods) if intent["status"] == "succeeded")


def _a_minute_later():
    """Time passes: an unanswered charge is older than any request Stripe could still be carrying out."""
    for payment in db.session.scalars(db.select(Payment)):
        payment.created_at -= timedelta(minutes=1)
    db.session.commit()


def _in_cart(client):
    return "Soft Tissue Release" in client.get("/cart").get_data(as_text=True)


def test_stripe_refusing_connections_keeps_order_and_cart_and_the_order_is_paid_once_when_it_is_back(
        app, client, book, payments_on, monkeypatch):
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    _point_stripe_at(app, monkeypatch, f"http://127.0.0.1:{closed_port()}")
    cards = [ls.card_payment_method(payments_on) for _ in range(3)]  # Stripe.js reaches Stripe; the shop cannot

    down = place(client, cards[0], form=form)
    assert down.status_code == 503 and UNSURE in down.get_json()["message"]
    [order] = _orders()
    assert order.status == "pending_payment" and _in_cart(client)

    still_down = place(client, cards[1], form=form)  # Stripe cannot be asked how the first one ended
    assert still_down.status_code == 503 and UNSURE in still_down.get_json()["message"]
    assert _payments() == [("pending", False)]  # no second charge was even tried

    _a_minute_later()
    _point_stripe_at(app, monkeypatch, payments_on)
    paid = place(client, cards[2], form=form)
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    assert [(o.id, o.status) for o in _orders()] == [(order.id, "paid")]
    assert _payments() == [("cancelled", False), ("succeeded", True)]  # never received; then the charge
    assert _charged(payments_on, cards) == 1


def test_an_answer_lost_after_stripe_charged_pays_the_order_and_no_other_card_is_charged(
        app, client, book, payments_on, monkeypatch):
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    with _answers_lost(app, monkeypatch, payments_on) as proxy:
        first, second = ls.card_payment_method(payments_on), ls.card_payment_method(payments_on)

        lost = place(client, first, form=form)  # Stripe charged the card; its answer never came back
        assert lost.status_code == 503 and UNSURE in lost.get_json()["message"]
        assert _orders()[0].status == "pending_payment" and _in_cart(client)
        assert _charged(payments_on, [first]) == 1

        proxy.mode = "pass"
        again = place(client, second, form=form)  # the customer tries again, with another card
        assert again.status_code == 200 and again.get_json()["status"] == "paid"
    [order] = _orders()
    assert order.status == "paid"
    assert _payments() == [("succeeded", True)]  # the first attempt, adopted with its intent
    assert _charged(payments_on, [first, second]) == 1

    _point_stripe_at(app, monkeypatch, payments_on)
    [intent] = _intents(payments_on, [first])
    payload, header = ls.signed_event("payment_intent.succeeded", intent)
    late = client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": header},
                       content_type="application/json")
    assert late.status_code == 200  # the webhook that was on its way changes nothing more
    assert _payments() == [("succeeded", True)] and _orders()[0].status == "paid"


def test_a_changed_cart_after_an_unanswered_charge_that_went_through_is_not_charged_again(
        app, client, book, payments_on, monkeypatch):
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    with _answers_lost(app, monkeypatch, payments_on) as proxy:
        first = ls.card_payment_method(payments_on)
        assert place(client, first, form=form).status_code == 503
        proxy.mode = "pass"
        add_to_cart(client, book)  # a second copy: another total, so checkout would replace the order
        second = ls.card_payment_method(payments_on)
        answer = place(client, second, form=form)
    assert answer.get_json()["status"] == "paid"
    [order] = _orders()
    assert order.status == "paid" and order.total_cents == 4995 + order.shipping_cents  # what was charged
    assert _charged(payments_on, [first, second]) == 1

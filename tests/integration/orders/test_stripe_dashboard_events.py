"""What staff do in Stripe's own dashboard reaches the shop: refunds made there and disputes, each event acted
on once, in any order; the shop's own refunds are never counted twice; other event types are answered 200."""

import json
import random
import threading
import time

import pytest
import stripe

from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.membership.models import MembershipInvoice
from shop.orders.models import Dispute, Order, OrderEvent, Payment, Refund
from tests.factories import MembershipInvoiceFactory, ProductFactory
from tests.support import stripe_server as ls
from tests.support.desk_helpers import DESK, logged_in, page, post_page_form, web_order

DUE_BY = 1_900_000_000  # 2030-03-17 17:46 UTC


@pytest.fixture
def paid(app, payments_on):
    """A web order (two books and a course) paid through localstripe: (order, intent id, charge id)."""
    course = ProductFactory(title="Myofascial release online")
    order, _ = web_order(app, payments_on, copies=2, extra_products=[course])
    intent_id = db.session.scalar(db.select(Payment.intent_id).where(Payment.order_id == order.id,
                                                                      Payment.status == "succeeded"))
    charge = stripe.PaymentIntent.retrieve(intent_id).latest_charge
    assert db.session.scalar(db.select(db.func.count(CourseAccess.id))) == 1
    return order, intent_id, charge if isinstance(charge, str) else charge.id


def _post(client, payload, header):
    response = client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": header,
                                                                      "Content-Type": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["outcome"]


def _charge_event(charge_id, event_id, drop_refunds_list=False):
    """charge.refunded as Stripe sends it, from the charge as localstripe has it now."""
    charge = json.loads(str(stripe.Charge.retrieve(charge_id)))
    if drop_refunds_list:  # newer API versions leave the list out of the event
        del charge["refunds"]
    return ls.signed_event("charge.refunded", charge, event_id)


def _fresh(order):
    db.session.expire_all()
    return db.session.get(Order, order.id)


def _events(order, kind):
    return db.session.scalars(db.select(OrderEvent.message).filter_by(order_id=order.id, kind=kind)).all()


def test_a_full_refund_in_stripes_dashboard_refunds_the_order_and_withdraws_its_courses(client, app, paid):
    order, intent_id, charge_id = paid
    made = stripe.Refund.create(payment_intent=intent_id)
    event = _charge_event(charge_id, "evt_full_refund")
    outcomes = [_post(client, *event) for _ in range(5)]
    assert outcomes == ["1 refund recorded"] + ["duplicate"] * 4
    assert _post(client, *_charge_event(charge_id, "evt_same_news_again")) == "refunds known"

    order = _fresh(order)
    assert order.refunded_cents == order.paid_cents == order.total_cents
    [refund] = db.session.scalars(db.select(Refund).filter_by(order_id=order.id)).all()
    assert (refund.provider_refund_id, refund.amount_cents, refund.status, refund.staff_id, refund.reason) == (
        made.id, order.total_cents, "succeeded", None, "Refunded in Stripe's dashboard")
    assert db.session.scalar(db.select(db.func.count(CourseAccess.id))) == 0
    assert len(_events(order, "refunded")) == 1 and _events(order, "course_access_withdrawn")
    desk, _ = logged_in(app)
    html = page(desk, f"{DESK}/{order.number}")
    assert "in Stripe&#39;s dashboard" in html and f"Refunded ${order.total_cents / 100:.2f}" in html


def test_a_partial_dashboard_refund_counts_once_beside_the_shops_own(client, app, paid):
    order, intent_id, charge_id = paid
    desk, _ = logged_in(app)
    assert post_page_form(desk, f"{DESK}/{order.number}/refund", {
        "mode": "amount", "amount": "12.50", "reason": "One copy arrived damaged"}).status_code == 303
    assert _post(client, *_charge_event(charge_id, "evt_shop_refund")) == "refunds known"  # the shop's own
    assert _fresh(order).refunded_cents == 1250

    stripe.Refund.create(payment_intent=intent_id, amount=1000)
    deliveries = [_charge_event(charge_id, "evt_dashboard_refund")] * 5
    for payload, header in deliveries:
        _post(client, payload, header)
    order = _fresh(order)
    assert order.refunded_cents == 2250
    assert sorted(r.amount_cents for r in order.refunds) == [1000, 1250]
    assert db.session.scalar(db.select(db.func.count(CourseAccess.id))) == 1  # partial: the course stays

    # an event without the list of refunds (newer API versions): what Stripe refunded beyond the shop's record
    assert _post(client, *_charge_event(charge_id, "evt_no_list", drop_refunds_list=True)) == "refunds known"
    stripe.Refund.create(payment_intent=intent_id, amount=500)
    for _ in range(5):
        _post(client, *_charge_event(charge_id, "evt_no_list_2", drop_refunds_list=True))
    assert _fresh(order).refunded_cents == 2750
    assert _post(client, *_charge_event(charge_id, "evt_with_list_again")) == "refunds known"
    assert _fresh(order).refunded_cents == 2750 and len(_events(order, "refunded")) == 3


def test_a_refund_for_a_charge_the_shop_does_not_know_is_answered_200(client, payments_on):
    charge = {"id": "ch_elsewhere", "object": "charge", "payment_intent": "pi_elsewhere", "amount": 900,
              "amount_refunded": 900, "refunds": {"object": "list", "data": [
                  {"id": "re_elsewhere", "amount": 900, "status": "succeeded", "metadata": {}}]}}
    assert _post(client, *ls.signed_event("charge.refunded", charge, "evt_elsewhere")) == "unknown charge"
    assert db.session.scalar(db.select(db.func.count(Refund.id))) == 0


def test_a_refunded_membership_invoice_records_the_amount_and_never_lowers_it(client, payments_on):
    invoice = MembershipInvoiceFactory(intent_id="pi_member_month")
    db.session.commit()

    def charge(refunded):
        return {"id": "ch_member", "object": "charge", "payment_intent": "pi_member_month", "amount": 1995,
                "amount_refunded": refunded}
    assert _post(client, *ls.signed_event("charge.refunded", charge(1995), "evt_m2")) == "membership invoice refunded"
    _post(client, *ls.signed_event("charge.refunded", charge(500), "evt_m1"))  # older news, arriving late
    db.session.expire_all()
    assert db.session.get(MembershipInvoice, invoice.id).refunded_cents == 1995


def _dispute(order, intent_id, charge_id, status, **extra):
    return {"id": "dp_test_1", "object": "dispute", "charge": charge_id, "payment_intent": intent_id,
            "amount": order.total_cents, "currency": "usd", "reason": "product_not_received", "status": status,
            "created": int(time.time()), "evidence_details": {"due_by": DUE_BY, "has_evidence": False}, **extra}


@pytest.mark.parametrize("closed_first", [False, True], ids=["created-first", "closed-first"])
def test_a_dispute_delivered_five_times_in_either_order_ends_right(client, app, paid, closed_first):
    order, intent_id, charge_id = paid
    created = ls.signed_event("charge.dispute.created", _dispute(order, intent_id, charge_id, "needs_response"),
                              "evt_dispute_created")
    closed = ls.signed_event("charge.dispute.closed", _dispute(order, intent_id, charge_id, "lost"),
                             "evt_dispute_closed")
    desk, _ = logged_in(app)
    if not closed_first:
        for _ in range(5):
            _post(client, *created)
        html = page(desk, f"{DESK}/{order.number}")
        assert "Disputed" in html and "Dispute opened: product not received" in html
        assert "Respond in Stripe by Mar 17, 2030" in html
    deliveries = [closed] * 5 + [created] * 5
    if not closed_first:
        deliveries = [created, closed] * 5
        random.Random(3).shuffle(deliveries)
    for payload, header in deliveries:
        _post(client, payload, header)

    [dispute] = db.session.scalars(db.select(Dispute)).all()
    assert (dispute.order_id, dispute.stripe_dispute_id, dispute.charge_id, dispute.amount_cents) == (
        order.id, "dp_test_1", charge_id, order.total_cents)
    assert dispute.status == "lost" and dispute.closed_at is not None
    assert len(_events(order, "dispute_opened")) == 1
    assert _events(order, "dispute_closed") == ["Dispute lost: the customer's bank took the payment back (dp_test_1)."]
    [mail] = db.session.scalars(db.select(OutboxMessage).filter(OutboxMessage.dedupe_key.like("dispute:%"))).all()
    assert mail.to_address == app.config["CONTACT_EMAIL"] and mail.order_id == order.id
    assert order.number in mail.subject and f"${order.total_cents / 100:.2f}" in mail.text_body
    assert "product not received" in mail.text_body
    if not closed_first:
        assert "March 17, 2030" in mail.text_body and "respond in Stripe" in mail.subject
    else:
        assert "already closed" in mail.subject and "closed already: lost" in mail.text_body
    html = page(desk, f"{DESK}/{order.number}")
    assert "Dispute closed" in html and "Dispute lost" in html
    assert 'class="error-box desk-alert desk-dispute"' not in html


def test_a_dispute_without_a_known_payment_is_answered_200_and_recorded_nowhere(client, paid):
    order, intent_id, charge_id = paid
    no_intent = _dispute(order, None, charge_id, "needs_response", id="dp_no_intent")
    assert _post(client, *ls.signed_event("charge.dispute.created", no_intent, "evt_d1")) == "unknown dispute"
    stranger = _dispute(order, "pi_stranger", "ch_stranger", "needs_response", id="dp_stranger")
    assert _post(client, *ls.signed_event("charge.dispute.created", stranger, "evt_d2")) == "unknown dispute"
    assert db.session.scalar(db.select(db.func.count(Dispute.id))) == 0


def test_an_update_before_the_close_keeps_the_dispute_open(client, app, paid):
    order, intent_id, charge_id = paid
    _post(client, *ls.signed_event("charge.dispute.created", _dispute(order, intent_id, charge_id, "needs_response"),
                                   "evt_u1"))
    _post(client, *ls.signed_event("charge.dispute.updated", _dispute(order, intent_id, charge_id, "under_review"),
                                   "evt_u2"))
    dispute = db.session.scalars(db.select(Dispute)).one()
    assert (dispute.status, dispute.closed_at) == ("under_review", None)
    desk, _ = logged_in(app)
    assert 'class="error-box desk-alert desk-dispute"' in page(desk, f"{DESK}/{order.number}")


@pytest.mark.parametrize("event_type", ["charge.refund.updated", "charge.dispute.funds_withdrawn",
                                        "customer.created", "payout.paid"])
def test_other_event_types_are_answered_200_and_ignored(client, payments_on, event_type):
    thing = {"id": "obj_1", "object": event_type.split(".")[0]}
    assert _post(client, *ls.signed_event(event_type, thing, f"evt_{event_type}")) == "ignored"


@pytest.fixture
def racing_shop(pg_app, localstripe, monkeypatch):
    ls.use_localstripe(pg_app, localstripe, monkeypatch)
    return pg_app, localstripe


def test_the_same_news_in_different_events_at_once_on_postgresql_counts_once(racing_shop):
    """Stripe may send one refund or dispute in several events (different ids): racing, they act once."""
    app, api_base = racing_shop
    order, _ = web_order(app, api_base, copies=2)
    intent_id = db.session.scalar(db.select(Payment.intent_id).where(Payment.order_id == order.id,
                                                                      Payment.status == "succeeded"))
    charge_id = stripe.PaymentIntent.retrieve(intent_id).latest_charge
    charge_id = charge_id if isinstance(charge_id, str) else charge_id.id
    stripe.Refund.create(payment_intent=intent_id, amount=700)
    deliveries = [_charge_event(charge_id, f"evt_refund_{n}") for n in range(4)]
    deliveries += [ls.signed_event("charge.dispute.created", _dispute(order, intent_id, charge_id, "needs_response"),
                                   f"evt_dispute_{n}") for n in range(4)]
    order_id = order.id
    db.session.remove()
    barrier = threading.Barrier(len(deliveries))
    codes = [None] * len(deliveries)

    def deliver(index):
        barrier.wait()
        payload, header = deliveries[index]
        codes[index] = app.test_client().post("/stripe/webhook", data=payload, headers={
            "Stripe-Signature": header, "Content-Type": "application/json"}).status_code

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(deliveries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert codes == [200] * len(deliveries)
    assert db.session.get(Order, order_id).refunded_cents == 700
    assert db.session.scalar(db.select(db.func.count(Refund.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Dispute.id))) == 1
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id)).filter(
        OutboxMessage.dedupe_key.like("dispute:%"))) == 1

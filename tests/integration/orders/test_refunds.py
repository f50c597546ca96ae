"""Refunds: partial through localstripe, never more than was paid (also with refunds racing on PostgreSQL),
the staff limit, by line to the cent, check orders refunded as manual, a form sent twice refunds once."""

import re
import threading

import pytest
import stripe

from shop.core.models import ShopSetting
from shop.extensions import db
from shop.orders.models import Order, Payment, Refund
from shop.payments import gateway
from tests.support import stripe_server as ls
from tests.support.desk_helpers import DESK, logged_in, page, page_fields, post_page_form, quick_order, web_order


def refund_url(order):
    return f"{DESK}/{order.number}/refund"


def fresh(order):
    db.session.expire_all()
    return db.session.get(Order, order.id)


def test_partial_refund_through_stripe(app, payments_on):
    order, _ = web_order(app, payments_on, copies=2)
    intent_id = db.session.scalar(db.select(Payment.intent_id).where(Payment.order_id == order.id,
                                                                      Payment.status == "succeeded"))
    client, staff = logged_in(app)
    response = post_page_form(client, refund_url(order), {"mode": "amount", "amount": "12.50",
                                                          "reason": "One copy arrived damaged"})
    assert response.status_code == 303, response.get_data(as_text=True)

    order = fresh(order)
    assert order.refunded_cents == 1250 and order.paid_cents == order.total_cents
    refund = db.session.scalar(db.select(Refund).where(Refund.order_id == order.id))
    assert (refund.amount_cents, refund.method, refund.status) == (1250, "stripe", "succeeded")
    assert refund.staff_id == staff.id
    assert refund.idempotency_key.startswith(f"refund:{order.id}:") and refund.provider_refund_id.startswith("re_")
    at_stripe = stripe.Refund.retrieve(refund.provider_refund_id)
    assert at_stripe.amount == 1250 and at_stripe.metadata["reason"] == "One copy arrived damaged"
    assert [r.id for r in stripe.Refund.list(payment_intent=intent_id).data] == [refund.provider_refund_id]
    html = page(client, f"{DESK}/{order.number}")
    assert "Refunded $12.50 through Stripe" in html and "One copy arrived damaged" in html


def test_a_refund_cannot_exceed_what_was_paid(app, payments_on):
    order, _ = web_order(app, payments_on, copies=1)
    admin, _ = logged_in(app, role="admin")
    total = order.total_cents
    too_much = post_page_form(admin, refund_url(order), {"amount": f"{(total + 1) / 100:.2f}", "reason": "x"})
    assert too_much.status_code == 422
    assert f"At most ${total / 100:.2f} can be refunded" in too_much.get_data(as_text=True)
    assert post_page_form(admin, refund_url(order), {"amount": f"{(total - 100) / 100:.2f}",
                                                     "reason": "most"}).status_code == 303
    over = post_page_form(admin, refund_url(order), {"amount": "1.01", "reason": "a bit more"})
    assert over.status_code == 422 and "At most $1.00" in over.get_data(as_text=True)
    assert post_page_form(admin, refund_url(order), {"amount": "1.00", "reason": "the rest"}).status_code == 303
    assert fresh(order).refunded_cents == total
    assert "Nothing is left to refund" in page(admin, refund_url(order))
    for bad in ("", "abc", "-5", "0"):
        response = post_page_form(admin, refund_url(order), {"amount": bad, "reason": "x"})
        assert response.status_code in (409, 422), bad


def test_staff_refund_up_to_the_limit_admins_any_amount(app, payments_on):
    order, _ = web_order(app, payments_on, copies=3)  # 3 x $49.95 and shipping
    db.session.add(ShopSetting(key="STAFF_REFUND_LIMIT_CENTS", value="5000"))
    db.session.commit()
    staff, _ = logged_in(app)
    refused = post_page_form(staff, refund_url(order), {"amount": "60.00", "reason": "Too much for staff"})
    assert refused.status_code == 403
    assert "Staff may refund up to $50.00 per order" in refused.get_data(as_text=True)
    assert post_page_form(staff, refund_url(order), {"amount": "30.00", "reason": "ok"}).status_code == 303
    split = post_page_form(staff, refund_url(order), {"amount": "30.00", "reason": "again"})
    assert split.status_code == 403  # $60 on the order in all: not by splitting it either
    admin, _ = logged_in(app, role="admin")
    assert post_page_form(admin, refund_url(order), {"amount": "100.00", "reason": "big"}).status_code == 303
    assert fresh(order).refunded_cents == 13000


def test_a_check_order_is_refunded_as_manual_without_stripe(app, monkeypatch):
    order = quick_order(payment_method="check", lines=[("book", 4995, 2, True)])
    db.session.add(Payment(order_id=order.id, provider="check", idempotency_key=f"check:{order.id}",
                           amount_cents=order.total_cents, status="succeeded", reference="Check 1042"))
    db.session.commit()
    monkeypatch.setattr(gateway.processor(), "refund", lambda *a, **k: pytest.fail("Stripe must not be called"))
    client, _ = logged_in(app)
    html = page(client, refund_url(order))
    assert "manual refund" in html
    response = post_page_form(client, refund_url(order), {"amount": "49.95", "reason": "Returned one copy"})
    assert response.status_code == 303
    refund = db.session.scalar(db.select(Refund).where(Refund.order_id == order.id))
    assert (refund.method, refund.status, refund.provider_refund_id) == ("manual", "succeeded", None)
    assert fresh(order).refunded_cents == 4995
    assert "recorded as manual" in page(client, f"{DESK}/{order.number}")


def test_line_refunds_give_back_what_was_paid_per_unit_to_the_cent(app):
    # 3 units at $9.99 with $19.97 off the line: $10.00 paid for three, 334 + 333 + 333 cents
    order = quick_order(payment_method="check", lines=[{"kind": "book", "unit_price_cents": 999, "quantity": 3,
                                                        "discount_cents": 1997, "is_physical": True}])
    line_id = order.lines[0].id
    client, _ = logged_in(app)
    name = f"refund-qty-{line_id}"
    for expected in (334, 667, 1000):
        response = post_page_form(client, refund_url(order), {"mode": "lines", name: "1", "reason": "returned"})
        assert response.status_code == 303
        assert fresh(order).refunded_cents == expected
    html = page(client, f"{DESK}/{order.number}")
    assert "1 × Line item" in html
    too_many = post_page_form(client, refund_url(order), {"mode": "lines", name: "1", "reason": "again"})
    assert too_many.status_code in (409, 422)


def test_a_unit_count_typed_as_a_superscript_or_other_non_ascii_digit_is_refused_with_a_message(app):
    order = quick_order(payment_method="check", lines=[{"kind": "book", "unit_price_cents": 999, "quantity": 3,
                                                        "is_physical": True}])
    client, _ = logged_in(app)
    for units in ("²", "١"):
        response = post_page_form(client, refund_url(order), {"mode": "lines", f"refund-qty-{order.lines[0].id}": units,
                                                              "reason": "returned"})
        assert response.status_code == 422 and "whole number" in response.get_data(as_text=True)
    assert fresh(order).refunded_cents == 0


def test_a_refund_form_sent_twice_refunds_once(app, payments_on):
    order, _ = web_order(app, payments_on, copies=1)
    client, _ = logged_in(app)
    fields = {**page_fields(page(client, refund_url(order))), "mode": "amount", "amount": "5.00", "reason": "twice"}
    first, second = client.post(refund_url(order), data=fields), client.post(refund_url(order), data=fields)
    assert (first.status_code, second.status_code) == (303, 409)
    assert "already been made" in second.get_data(as_text=True)
    assert fresh(order).refunded_cents == 500
    assert db.session.scalar(db.select(db.func.count(Refund.id))) == 1


@pytest.mark.parametrize("key", ["h\x13", "a b", "x" * 81, "é"])
def test_a_refund_key_that_is_not_the_forms_own_token_is_refused_before_stripe(app, payments_on, key):
    """The key travels to Stripe in a header: a control character there once made Stripe answer 400 and
    the desk a 502, with a failed refund row saved."""
    order, _ = web_order(app, payments_on, copies=1)
    client, _ = logged_in(app)
    fields = {**page_fields(page(client, refund_url(order))), "mode": "amount", "amount": "5.00",
              "reason": "odd key", "refund_key": key}
    response = client.post(refund_url(order), data=fields)
    assert response.status_code in (400, 422) and "reload the page" in response.get_data(as_text=True)
    assert fresh(order).refunded_cents == 0
    assert db.session.scalar(db.select(db.func.count(Refund.id))) == 0


def test_stripe_down_gives_the_amount_back_and_says_so(app, payments_on, monkeypatch):
    order, _ = web_order(app, payments_on, copies=1)
    monkeypatch.setattr(stripe.Refund, "create", classmethod(lambda cls, **kw: (_ for _ in ()).throw(
        stripe.APIConnectionError("connection refused"))))
    client, _ = logged_in(app)
    response = post_page_form(client, refund_url(order), {"amount": "5.00", "reason": "try"})
    assert response.status_code == 502
    assert "nothing was refunded" in response.get_data(as_text=True)
    assert fresh(order).refunded_cents == 0
    assert db.session.scalar(db.select(Refund.status)) == "failed"
    assert "Refund failed" in page(client, f"{DESK}/{order.number}")


@pytest.fixture
def racing_desk(pg_app, localstripe, monkeypatch):
    ls.use_localstripe(pg_app, localstripe, monkeypatch)
    return pg_app, localstripe


def test_refunds_racing_on_postgresql_never_exceed_what_was_paid(racing_desk):
    app, api_base = racing_desk
    order, _ = web_order(app, api_base, copies=2)
    order_id, total, url = order.id, order.total_cents, refund_url(order)
    share = total * 2 // 5  # 40 %: at most two of them fit
    clients = []
    for _ in range(8):
        client, _ = logged_in(app, role="admin")
        clients.append((client, {**page_fields(page(client, url)), "mode": "amount",
                                 "amount": f"{share // 100}.{share % 100:02d}", "reason": "race"}))
    db.session.remove()
    barrier = threading.Barrier(len(clients))
    codes = [None] * len(clients)

    def refund(index):
        client, fields = clients[index]
        barrier.wait()
        codes[index] = client.post(url, data=fields).status_code

    threads = [threading.Thread(target=refund, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(codes) == [303, 303] + [409] * 6, codes
    refunded = db.session.get(Order, order_id).refunded_cents
    assert refunded == 2 * share <= total
    made = db.session.scalars(db.select(Refund).where(Refund.order_id == order_id, Refund.status == "succeeded")).all()
    assert sum(r.amount_cents for r in made) == refunded
    intent_id = db.session.scalar(db.select(Payment.intent_id).where(Payment.order_id == order_id,
                                                                      Payment.status == "succeeded"))
    assert sum(r.amount for r in stripe.Refund.list(payment_intent=intent_id).data) == refunded
    assert re.search(r"STR-\d+", db.session.get(Order, order_id).number)

"""`flask reconcile-payments` with the webhook endpoint down: a batch of card payments completed at the
customer's bank (3-D Secure) but never confirmed to the shop, and a membership cancelled in Stripe's dashboard.
One run brings every order and the membership up to date; a second run, the late webhooks themselves, or two
copies running at once change nothing more. (localstripe sends no charge.refunded event, so refunds made in
the dashboard are proven through the webhook's own tests.)"""

import json
from datetime import UTC

import pytest
import requests
import stripe
from sqlalchemy import func, select

from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.membership import signup
from shop.membership.models import Membership
from shop.orders import reconcile
from shop.orders.models import Order, Payment
from shop.payments.models import ProcessedEvent
from tests.factories import BookFactory, MembershipFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping
from tests.support.concurrency import at_once


@pytest.fixture
def book(app, payments_on):
    seed_shipping()
    return BookFactory(title="Soft Tissue Release", slug="str-book", price_cents=4995, stock=50)


def _three_d_secure_left_unconfirmed(app, api_base, book, buyers):
    """Each buyer passes 3-D Secure at the bank, then closes the tab: the shop hears nothing (webhooks down)."""
    for n in range(buyers):
        client = app.test_client()
        add_to_cart(client, book)
        form, _ = checkout_page(client)
        answer = place(client, ls.card_payment_method(api_base, ls.CARD_3DS), form=form,
                       email=f"buyer{n}@example.com").get_json()
        assert answer["status"] == "requires_action"
        ls.authenticate_3ds(api_base, answer["client_secret"], success=True)


def _statuses():
    db.session.expire_all()
    return sorted(db.session.scalars(select(Order.status)))


def _state():
    """Everything a replay could change twice: orders, payments, e-mails, events handled."""
    db.session.expire_all()
    return (_statuses(), db.session.scalar(select(func.count(OutboxMessage.id))),
            db.session.scalar(select(func.count(ProcessedEvent.event_id))),
            sorted(db.session.scalars(select(Order.refunded_cents))),
            sorted(db.session.scalars(select(Payment.status))))


def _events_since(api_base, start):
    answer = requests.get(f"{api_base}/v1/events", params={"limit": 10000, "created[gte]": start},
                          headers={"Authorization": f"Bearer {ls.SECRET_KEY}"}, timeout=10)
    answer.raise_for_status()
    return answer.json()["data"]


def test_one_run_brings_every_order_and_membership_up_to_date_and_a_second_changes_nothing(
        app, client, book, payments_on):
    since = ls.a_second_of_its_own()
    start = int(since.replace(tzinfo=UTC).timestamp())
    MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)
    joined = signup.subscribe(UserFactory(), ls.card_payment_method(payments_on))
    assert joined.status == signup.JOINED
    _three_d_secure_left_unconfirmed(app, payments_on, book, buyers=4)
    assert _statuses() == ["pending_payment"] * 4
    stripe.Subscription.delete(joined.membership.stripe_subscription_id)  # and the membership cancelled there

    result = reconcile.reconcile(since)
    assert result.outcomes["paid"] == 4
    assert _statuses() == ["paid"] * 4
    confirmations = db.session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.subject.contains("STR-")))
    assert sorted(confirmations) == [f"buyer{n}@example.com" for n in range(4)]  # one each
    assert db.session.get(Membership, joined.membership.id).state == "ended"

    after_one = _state()
    again = reconcile.reconcile(since)
    assert again.outcomes["duplicate"] == again.events and _state() == after_one

    for event in _events_since(payments_on, start):  # the webhooks that were down arrive at last
        payload = json.dumps(event)
        header = stripe.WebhookSignature.generate_signature_header(payload, ls.WEBHOOK_SECRET)
        assert client.post("/stripe/webhook", data=payload, headers={
            "Stripe-Signature": header, "Content-Type": "application/json"}).status_code == 200
    assert _state() == after_one


def test_the_cli_reports_what_it_did(app, book, payments_on):
    since = ls.a_second_of_its_own().isoformat()  # as after an outage that began then
    _three_d_secure_left_unconfirmed(app, payments_on, book, buyers=1)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reconcile-payments", "--since", since])
    assert first.exit_code == 0, first.output
    assert "1 applied" in first.output and _statuses() == ["paid"]
    assert "0 applied" in runner.invoke(args=["reconcile-payments", "--since", since]).output


def test_stripe_out_of_reach_is_a_clear_failure_that_changes_nothing(app, book, payments_on, monkeypatch):
    _three_d_secure_left_unconfirmed(app, payments_on, book, buyers=1)
    monkeypatch.setattr(stripe, "api_base", "http://127.0.0.1:9")  # nothing listens on the discard port
    answer = app.test_cli_runner().invoke(args=["reconcile-payments"])
    assert answer.exit_code == 1 and "Stripe could not be reached" in answer.output
    assert _statuses() == ["pending_payment"]


def test_two_copies_running_at_once_apply_each_event_once(pg_app, localstripe, monkeypatch):
    """On PostgreSQL, as on two app servers whose cron fired together."""
    ls.use_localstripe(pg_app, localstripe, monkeypatch)
    since = ls.a_second_of_its_own()
    seed_shipping()
    book = BookFactory(slug="str-book", price_cents=4995, stock=50)
    _three_d_secure_left_unconfirmed(pg_app, localstripe, book, buyers=6)
    db.session.remove()
    results = at_once(pg_app, lambda: reconcile.reconcile(since))
    assert len(results) == 2
    assert _statuses() == ["paid"] * 6
    assert sum(r.outcomes["paid"] for r in results) == 6  # each payment applied by one copy only
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.subject.contains("STR-"))) == 6

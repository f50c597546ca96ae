"""Stripe's Billing events keep the membership right: renewals, failures, cancelling, ending; each event
delivered five times and in shuffled order leaves one end state, one e-mail each, nothing moved backwards."""

import copy
import random
from datetime import timedelta

import pytest
import stripe
from sqlalchemy import func, select

from shop.courses import access, library
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.membership import manage, queries, signup, sync
from shop.membership.models import Membership, MembershipInvoice
from shop.orders.models import Dispute
from shop.payments.models import ProcessedEvent
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, ProductFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.forms import log_in

MONTH = 31 * 24 * 3600


@pytest.fixture
def member(app, payments_on):
    MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)
    user = UserFactory()
    outcome = signup.subscribe(user, ls.card_payment_method(payments_on))
    assert outcome.status == signup.JOINED
    return outcome.membership


def _post(client, payload, header):
    response = client.post("/stripe/webhook", data=payload,
                           headers={"Stripe-Signature": header, "Content-Type": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def _deliver(client, events, times=5, seed=7):
    """Each (type, object, id, created) event `times` times, all shuffled."""
    batch = [event for event in events for _ in range(times)]
    random.Random(seed).shuffle(batch)
    for event_type, obj, event_id, created in batch:
        _post(client, *ls.signed_object_event(event_type, obj, event_id=event_id, created=created))


def _subscription(membership):
    return ls.as_json(stripe.Subscription.retrieve(membership.stripe_subscription_id))


def _first_invoice(membership):
    return ls.as_json(stripe.Invoice.retrieve(membership.invoices[0].stripe_invoice_id))


def _renewal(membership, invoice_id, status="paid"):
    """The next month's invoice as Stripe would send it: a new id, the next period, paid or not."""
    invoice = copy.deepcopy(_first_invoice(membership))
    period = invoice["lines"]["data"][0]["period"]
    invoice.update(id=invoice_id, status=status, created=period["end"],
                   amount_paid=invoice["amount_due"] if status == "paid" else 0)
    invoice["lines"]["data"][0]["period"] = {"start": period["end"], "end": period["end"] + MONTH}
    return invoice, period["end"]


def _mails(membership, word):
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.to_address == membership.user.email, OutboxMessage.subject.contains(word)))


def _fresh(membership):
    db.session.expire_all()
    return db.session.get(Membership, membership.id)


def test_a_renewal_extends_the_period_once_and_old_events_never_shorten_it(client, member):
    first_end = member.current_period_end
    old_subscription = _subscription(member)
    renewal, renewed_at = _renewal(member, "in_renewal_1")
    renewed = dict(old_subscription, current_period_start=renewed_at, current_period_end=renewed_at + MONTH)
    _deliver(client, [
        ("invoice.paid", renewal, "evt_renewal_paid", renewed_at + 5),
        ("invoice.payment_succeeded", renewal, "evt_renewal_succeeded", renewed_at + 5),
        ("customer.subscription.updated", renewed, "evt_renewed", renewed_at + 4),
        ("customer.subscription.updated", old_subscription, "evt_old_update", renewed_at - 100),
    ])
    membership = _fresh(member)
    assert membership.current_period_end == first_end + timedelta(seconds=MONTH)
    assert membership.state == "active"
    assert [row.status for row in membership.invoices] == ["paid", "paid"]
    assert _mails(membership, "receipt") == 2  # the first month's and the renewal's, once each
    assert db.session.scalar(select(func.count()).select_from(ProcessedEvent)) == 4


def test_a_failed_renewal_makes_the_member_past_due_then_a_new_card_pays(client, member, payments_on):
    customer = db.session.get(signup.BillingCustomer, member.user_id).stripe_customer_id
    stripe.Customer.modify(customer, invoice_settings={
        "default_payment_method": ls.card_payment_method(payments_on, ls.CARD_DECLINED)})
    invoice = stripe.Invoice.create(customer=customer, subscription=member.stripe_subscription_id)
    stripe.Invoice.pay(invoice.id)  # declined: the invoice stays open, as a renewal that failed
    failed = ls.as_json(stripe.Invoice.retrieve(invoice.id))
    past_due = dict(_subscription(member), status="past_due")
    now = int(failed["created"]) + 10
    _deliver(client, [("invoice.payment_failed", failed, "evt_failed", now),
                      ("customer.subscription.updated", past_due, "evt_past_due", now)])
    membership = _fresh(member)
    assert membership.state == "past_due" and queries.label(membership) == "past due"
    course = ProductFactory(title="Myofascial release")
    assert access.can_open(membership.user, course)  # Stripe is still retrying: access stays
    assert _mails(membership, "payment failed") == 1
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.contains("payment failed")))
    assert "/account/membership" in mail.text_body and "update your card by" in mail.text_body

    message = manage.update_card(membership, ls.card_payment_method(payments_on), actor=membership.user)

    assert "payment went through" in message
    membership = _fresh(member)
    assert membership.state == "active"
    assert db.session.scalar(select(MembershipInvoice.status).filter_by(stripe_invoice_id=invoice.id)) == "paid"


def test_cancel_at_period_end_then_undo_in_any_order_of_events(client, member):
    manage.cancel_at_period_end(member, actor=member.user)
    membership = _fresh(member)
    assert membership.cancel_at_period_end and queries.label(membership) == "cancelling"
    assert _mails(membership, "will end on") == 1
    manage.resume(membership, actor=membership.user)
    assert not _fresh(member).cancel_at_period_end

    base = _subscription(member)
    t = int(base["current_period_start"]) + 1000
    _deliver(client, [
        ("customer.subscription.updated", dict(base, cancel_at_period_end=True), "evt_cancel", t),
        ("customer.subscription.updated", dict(base, cancel_at_period_end=False), "evt_undo", t + 60),
    ])
    membership = _fresh(member)
    assert not membership.cancel_at_period_end and membership.state == "active"
    assert _mails(membership, "will end on") == 1


def test_the_end_closes_membership_courses_but_not_bought_ones_or_certificates(client, member, payments_on):
    from_membership = ProductFactory(title="Assisted stretching")
    bought = ProductFactory(title="Soft tissue release online")
    user = member.user
    access.grant(user, bought, actor=None, note="bought by phone")
    assert access.can_open(user, from_membership) and access.can_open(user, bought)
    ended = ls.as_json(stripe.Subscription.delete(member.stripe_subscription_id))
    late_active = dict(ended, status="active", ended_at=None)
    _deliver(client, [
        ("customer.subscription.deleted", ended, "evt_deleted", int(ended["ended_at"])),
        ("customer.subscription.updated", late_active, "evt_late_active", int(ended["ended_at"]) - 30),
    ])
    membership = _fresh(member)
    assert membership.state == "ended" and membership.live_user_id is None
    assert not access.can_open(user, from_membership) and access.can_open(user, bought)
    assert _mails(membership, "has ended") == 1
    assert [entry.product.title for entry in library.my_courses(user)] == ["Soft tissue release online"]


def test_an_event_for_a_subscription_we_do_not_know_is_answered_and_ignored(client, member):
    stranger = dict(_subscription(member), id="sub_not_ours", metadata={})
    response = _post(client, *ls.signed_object_event("customer.subscription.updated", stranger, event_id="evt_x"))
    assert response.get_json()["outcome"] == "unknown subscription"
    assert sync.by_subscription("sub_not_ours") is None


def test_a_dispute_on_a_membership_invoice_is_recorded_for_the_member_and_staff_are_told(client, app, member):
    invoice = member.invoices[0]
    dispute = {"id": "dp_member_1", "object": "dispute", "payment_intent": invoice.intent_id, "charge": "ch_x",
               "amount": invoice.amount_cents, "currency": "usd", "reason": "subscription_canceled",
               "status": "needs_response", "created": signup.now_seconds()}
    events = [("charge.dispute.created", dispute, "evt_member_dispute", signup.now_seconds()),
              ("charge.dispute.closed", dict(dispute, status="won"), "evt_member_dispute_closed",
               signup.now_seconds() + 60)]
    _deliver(client, events)
    [row] = db.session.scalars(select(Dispute)).all()
    assert (row.membership_id, row.order_id, row.status) == (member.id, None, "won")
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == "dispute:dp_member_1"))
    assert mail.to_address == app.config["CONTACT_EMAIL"] and "membership invoice" in mail.subject
    assert member.user.email in mail.text_body and f"/backoffice/members/{member.id}" in mail.text_body
    staff = UserFactory(role="staff")
    log_in(client, staff.email, DEFAULT_PASSWORD)
    page = client.get(f"/backoffice/members/{member.id}").get_data(as_text=True)
    assert "dp_member_1" in page and "won: the payment stays with the shop" in page

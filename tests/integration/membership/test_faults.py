"""Stripe failing in the middle of joining or ending, late webhooks, and what access follows from them:
nobody is billed for nothing, nobody keeps courses they no longer pay for, and an offer is counted once."""

from datetime import timedelta

import pytest
import stripe
from sqlalchemy import select

from shop.checkout import membership_offer
from shop.core.timeutil import utcnow
from shop.courses import access
from shop.extensions import db
from shop.membership import emails, manage, queries, signup, sync
from shop.membership.models import BillingCustomer, Membership
from shop.payments import gateway
from shop.promotions.models import Promotion
from tests.factories import MembershipFactory, ProductFactory, PromotionFactory, UserFactory
from tests.support import stripe_server as ls


@pytest.fixture
def plan(app, payments_on):
    return MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)


class Faulty:
    """The real gateway, except that the named calls fail as if Stripe's answer never came: `after` the
    real call is made (Stripe did it, we never heard) or instead of it."""

    def __init__(self, real, fail, after=False):
        self.real, self.fail, self.after = real, set(fail), after

    def __getattr__(self, name):
        call = getattr(self.real, name)
        if name not in self.fail:
            return call

        def failing(*args, **kwargs):
            if self.after:
                call(*args, **kwargs)
            raise gateway.GatewayError()
        return failing


@pytest.fixture
def stripe_fails():
    real = gateway.processor()

    def install(*names, after=False):
        gateway.use(Faulty(real, names, after=after))
    yield install
    gateway.use(real)


def _subscriptions(user):
    customer = db.session.get(BillingCustomer, user.id).stripe_customer_id
    return [s for s in stripe.Subscription.list(customer=customer, status="all").data]


def test_a_subscription_made_while_its_answer_was_lost_is_found_and_joins(plan, payments_on, stripe_fails):
    user = UserFactory()
    stripe_fails("create_subscription", after=True)
    outcome = signup.subscribe(user, ls.card_payment_method(payments_on))
    assert outcome.status == signup.JOINED and queries.is_member(user)
    assert [s.status for s in _subscriptions(user)] == ["active"]


def test_no_answer_and_no_subscription_ends_the_attempt_and_takes_the_credit_back(plan, payments_on, stripe_fails):
    promotion = PromotionFactory(name="Half the first month", benefit_kind="amount", amount_cents=1000,
                                 applies_to_everything=False, products=[plan], max_redemptions=5)
    user = UserFactory()
    stripe_fails("create_subscription")
    failed = membership_offer.join(user, ls.card_payment_method(payments_on))
    assert failed.status == signup.DECLINED and "not been charged" in failed.message
    assert queries.live_membership(user.id) is None and _subscriptions(user) == []
    db.session.expire_all()
    assert db.session.get(Promotion, promotion.id).redemption_count == 0  # the use came back

    stripe_fails()  # Stripe answers again
    promotion_gone = db.session.get(Promotion, promotion.id)
    promotion_gone.state = "paused"
    db.session.commit()
    joined = membership_offer.join(user, ls.card_payment_method(payments_on))
    first = stripe.Invoice.retrieve(joined.membership.invoices[0].stripe_invoice_id)
    assert first["amount_due"] == 1995  # no credit left over from the failed attempt


def test_a_subscription_stripe_makes_for_an_ended_attempt_is_cancelled_by_its_webhook(client, plan, payments_on):
    user = UserFactory()
    outcome = signup.subscribe(user, ls.card_payment_method(payments_on))
    membership = outcome.membership
    sync.end(membership)  # as if the shop had given up on it
    db.session.commit()
    live = ls.as_json(stripe.Subscription.retrieve(membership.stripe_subscription_id))
    payload, header = ls.signed_object_event("customer.subscription.created", live, event_id="evt_orphan")
    client.post("/stripe/webhook", data=payload, headers={"Stripe-Signature": header,
                                                          "Content-Type": "application/json"})
    assert stripe.Subscription.retrieve(membership.stripe_subscription_id)["status"] == "canceled"


def test_a_failed_3d_secure_gives_the_offer_back(plan, payments_on):
    promotion = PromotionFactory(name="Welcome", benefit_kind="amount", amount_cents=500,
                                 applies_to_everything=False, products=[plan], max_redemptions=1)
    user = UserFactory()
    outcome = membership_offer.join(user, ls.card_payment_method(payments_on, ls.CARD_3DS))
    assert outcome.status == signup.REQUIRES_ACTION
    again = membership_offer.join(user, ls.card_payment_method(payments_on, ls.CARD_3DS))  # a second try
    assert again.status == signup.REQUIRES_ACTION
    db.session.expire_all()
    assert db.session.get(Promotion, promotion.id).redemption_count == 1  # counted for one attempt only
    ls.authenticate_3ds(payments_on, outcome.client_secret, success=False)
    assert signup.confirm(outcome.membership).status == signup.DECLINED
    db.session.expire_all()
    assert db.session.get(Promotion, promotion.id).redemption_count == 0


def test_a_lapsed_period_closes_the_courses_even_if_the_end_was_never_heard(plan, payments_on):
    user = UserFactory()
    course = ProductFactory()
    membership = signup.subscribe(user, ls.card_payment_method(payments_on)).membership
    assert access.can_open(user, course)
    membership.current_period_end = utcnow() - timedelta(days=4)
    db.session.commit()
    assert not access.can_open(user, course) and not queries.is_member(user)


def test_unpaid_after_stripe_gives_up_closes_the_courses_until_paid(plan, payments_on):
    user = UserFactory()
    course = ProductFactory()
    membership = signup.subscribe(user, ls.card_payment_method(payments_on)).membership
    subscription = gateway.processor().retrieve_subscription(membership.stripe_subscription_id)
    later = signup.now_seconds() + 60
    sync.apply_subscription(membership, gateway.Subscription(**{**subscription.__dict__, "status": "unpaid"}), later)
    db.session.commit()
    assert membership.state == "unpaid" and not access.can_open(user, course)
    sync.apply_subscription(membership, subscription, later + 60)
    db.session.commit()
    assert membership.state == "active" and access.can_open(user, course)


def test_the_card_deadline_counts_from_the_failed_payment_not_the_next_period(plan, payments_on):
    user = UserFactory()
    membership = signup.subscribe(user, ls.card_payment_method(payments_on)).membership
    failed = gateway.BillingInvoice(id="in_failed_renewal", subscription_id=membership.stripe_subscription_id,
                                    status="open", amount_due_cents=1995, amount_paid_cents=0, currency="USD",
                                    intent_id=None, period_start=None, period_end=None,
                                    created=signup.now_seconds())
    row = sync.apply_invoice(membership, failed, failed=True)
    membership.current_period_end += timedelta(days=31)  # Stripe moved the period on regardless
    db.session.commit()
    assert emails.retry_deadline(membership) == row.failed_at + timedelta(days=14)


def test_a_refund_that_fails_leaves_the_membership_running_and_ending_again_refunds_once(
        plan, payments_on, stripe_fails):
    user, staff = UserFactory(), UserFactory(role="staff")
    membership = signup.subscribe(user, ls.card_payment_method(payments_on)).membership
    stripe_fails("refund")
    with pytest.raises(gateway.GatewayError):
        manage.cancel_now(membership, actor=staff, refund=True)
    assert membership.state == "active" and membership.invoices[0].refunded_cents == 0
    stripe_fails()
    refunded = manage.cancel_now(membership, actor=staff, refund=True)
    assert refunded > 0 and membership.state == "ended"
    refunds = stripe.Refund.list(payment_intent=membership.invoices[0].intent_id).data
    assert [r["amount"] for r in refunds] == [refunded]  # one refund, made once


def test_staff_end_a_start_whose_answer_never_came(plan, payments_on):
    user, staff = UserFactory(), UserFactory(role="staff")
    started = signup.begin(user, ls.card_payment_method(payments_on))
    assert isinstance(started, Membership) and started.state == "pending"
    assert manage.cancel_now(started, actor=staff, refund=False) == 0
    assert started.state == "ended" and queries.live_membership(user.id) is None
    assert db.session.scalar(select(Membership.state).where(Membership.id == started.id)) == "ended"


def test_starts_left_half_way_are_settled_by_the_scheduled_job(plan, payments_on):
    crashed = UserFactory()
    never_asked = signup.begin(crashed, ls.card_payment_method(payments_on))  # the server stopped right here
    secure = UserFactory()
    unconfirmed = signup.subscribe(secure, ls.card_payment_method(payments_on, ls.CARD_3DS)).membership
    assert never_asked.state == unconfirmed.state == "pending"
    assert signup.expire_stale_starts(utcnow()) == 0  # too recent: they may still finish

    assert signup.expire_stale_starts(utcnow() + timedelta(days=2)) == 2
    db.session.expire_all()
    assert db.session.get(Membership, never_asked.id).state == "ended"
    assert db.session.get(Membership, unconfirmed.id).state == "ended"
    assert stripe.Subscription.retrieve(unconfirmed.stripe_subscription_id)["status"] == "canceled"
    assert queries.live_membership(crashed.id) is None and queries.live_membership(secure.id) is None
    joined = signup.subscribe(crashed, ls.card_payment_method(payments_on))  # and they can join again
    assert joined.status == signup.JOINED

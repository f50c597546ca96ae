"""Joining the membership against localstripe: one subscription per click, 3-D Secure, a declined card."""

import pytest
from sqlalchemy import select

from shop.courses import access
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.membership import queries, signup
from shop.membership.models import Membership
from shop.payments.gateway import processor
from tests.factories import MembershipFactory, ProductFactory, UserFactory
from tests.support import stripe_server as ls


@pytest.fixture
def plan(app, payments_on):
    return MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)


def _subjects(to):
    return [m.subject for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to))]


def test_a_good_card_makes_an_active_member_who_opens_every_published_course(plan, payments_on):
    user = UserFactory()
    course = ProductFactory(title="Trigger points")
    retired = ProductFactory(title="Old course", is_active=False)
    assert not access.can_open(user, course)

    outcome = signup.subscribe(user, ls.card_payment_method(payments_on))

    assert outcome.status == signup.JOINED
    membership = outcome.membership
    assert membership.state == "active" and membership.stripe_subscription_id
    assert membership.current_period_end is not None and membership.started_at is not None
    assert [row.status for row in membership.invoices] == ["paid"]
    assert membership.invoices[0].amount_cents == 1995
    assert access.can_open(user, course) and not access.can_open(user, retired)
    subscription = processor().retrieve_subscription(membership.stripe_subscription_id)
    assert subscription.status == "active"
    subjects = _subjects(user.email)
    assert sum("Welcome" in s for s in subjects) == 1 and sum("receipt" in s for s in subjects) == 1


def test_joining_twice_with_one_click_or_two_makes_one_membership(plan, payments_on):
    user = UserFactory()
    card = ls.card_payment_method(payments_on)
    first = signup.subscribe(user, card)
    again = signup.subscribe(user, card)
    assert first.status == again.status == signup.JOINED
    assert db.session.scalar(select(db.func.count()).select_from(Membership)) == 1
    with pytest.raises(signup.AlreadyMember):
        signup.subscribe(user, ls.card_payment_method(payments_on))


def test_a_declined_card_ends_the_attempt_and_another_card_joins(plan, payments_on):
    user = UserFactory()
    declined = signup.subscribe(user, ls.card_payment_method(payments_on, ls.CARD_DECLINED))
    assert declined.status == signup.DECLINED and "declined" in declined.message.lower()
    assert not queries.is_member(user) and queries.live_membership(user.id) is None
    joined = signup.subscribe(user, ls.card_payment_method(payments_on))
    assert joined.status == signup.JOINED and queries.is_member(user)
    assert not any("Welcome" in s for s in _subjects(user.email)[:-2])


def test_3d_secure_is_answered_in_the_browser_then_confirmed_with_stripe(plan, payments_on):
    user = UserFactory()
    outcome = signup.subscribe(user, ls.card_payment_method(payments_on, ls.CARD_3DS))
    assert outcome.status == signup.REQUIRES_ACTION and outcome.client_secret
    assert not queries.is_member(user)
    ls.authenticate_3ds(payments_on, outcome.client_secret)
    confirmed = signup.confirm(outcome.membership)
    assert confirmed.status == signup.JOINED and queries.is_member(user)

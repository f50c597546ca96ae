"""The scheduled jobs run on every app server at once (each server's cron fires together): two copies of
`flask expire-orders` racing over the same unpaid orders and half-way membership starts, on PostgreSQL,
release each order's copies exactly once and end each start once. (The mail worker's and
reconcile-payments' races are proved beside them.)"""

from datetime import timedelta

import stripe
from sqlalchemy import func, select

from shop.catalogue.models import Product, StockMovement
from shop.core.models import AuditEntry
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.membership import signup
from shop.membership.models import Membership
from shop.orders import services as orders
from shop.orders.models import Order, OrderEvent
from tests.factories import BookFactory, MembershipFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping
from tests.support.concurrency import at_once

BUYERS = 10
STOCK = 30


def test_two_copies_of_expire_orders_release_each_unpaid_order_once(pg_app, localstripe, monkeypatch):
    ls.use_localstripe(pg_app, localstripe, monkeypatch)
    seed_shipping()
    book = BookFactory(slug="str-book", price_cents=4995, stock=STOCK)
    for n in range(BUYERS):  # each holds two copies, then is declined and walks away
        client = pg_app.test_client()
        add_to_cart(client, book, 2)
        form, _ = checkout_page(client)
        place(client, ls.card_payment_method(localstripe, ls.CARD_DECLINED), form=form, email=f"b{n}@example.com")
    assert db.session.scalar(select(Product.stock)) == STOCK - 2 * BUYERS
    db.session.remove()
    later = utcnow() + timedelta(minutes=31)
    copies = at_once(pg_app, lambda: [order.id for order in orders.expire_unpaid(now=later)])
    expired = [order_id for ids in copies for order_id in ids]

    assert sorted(expired) == sorted(db.session.scalars(select(Order.id)))  # each expired by one copy only
    assert set(db.session.scalars(select(Order.status))) == {"expired"}
    assert db.session.scalar(select(Product.stock)) == STOCK  # every copy back, none twice
    assert db.session.scalar(select(func.sum(StockMovement.change))) == STOCK
    per_order = db.session.execute(select(OrderEvent.order_id, func.count()).where(OrderEvent.kind == "expired")
                                   .group_by(OrderEvent.order_id)).all()
    assert len(per_order) == BUYERS and {count for _, count in per_order} == {1}


def test_two_copies_settle_each_half_way_membership_start_once(pg_app, localstripe, monkeypatch):
    """The membership half of expire-orders: a start whose server stopped before asking Stripe, and one left in
    3-D Secure for two days, settled by two servers at once: each ends once, its subscription cancelled."""
    ls.use_localstripe(pg_app, localstripe, monkeypatch)
    MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)
    crashed, secure = UserFactory(), UserFactory()
    signup.begin(crashed, ls.card_payment_method(localstripe))
    unconfirmed = signup.subscribe(secure, ls.card_payment_method(localstripe, ls.CARD_3DS)).membership
    subscription_id, users = unconfirmed.stripe_subscription_id, [crashed.id, secure.id]
    db.session.remove()
    later = utcnow() + timedelta(days=2)
    at_once(pg_app, lambda: signup.expire_stale_starts(later))
    assert set(db.session.scalars(select(Membership.state))) == {"ended"}
    assert stripe.Subscription.retrieve(subscription_id)["status"] == "canceled"
    ended = db.session.execute(select(AuditEntry.entity_id, func.count()).where(
        AuditEntry.action == "membership declined").group_by(AuditEntry.entity_id)).all()
    assert sorted((int(user), count) for user, count in ended) == sorted((user, 1) for user in users)

"""The scheduled jobs run on every app server at once (each server's cron fires together): two copies of
`flask expire-orders` racing over the same unpaid orders and half-way membership starts, on PostgreSQL,
release each order's copies exactly once and end each start once. (The mail worker's and
reconcile-payments' races are proved beside them.)"""

import threading
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
from shop.payments import stripe_gateway
from tests.factories import BookFactory, MembershipFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping

BUYERS = 10
STOCK = 30


def test_two_copies_of_expire_orders_release_each_unpaid_order_once(pg_app, localstripe, monkeypatch):
    for key, value in {"STRIPE_SECRET_KEY": ls.SECRET_KEY, "STRIPE_PUBLISHABLE_KEY": ls.PUBLISHABLE_KEY,
                       "STRIPE_WEBHOOK_SECRET": ls.WEBHOOK_SECRET, "STRIPE_API_BASE": localstripe}.items():
        monkeypatch.setitem(pg_app.config, key, value)
    stripe_gateway.configure(pg_app)
    seed_shipping()
    book = BookFactory(slug="str-book", price_cents=4995, stock=STOCK)
    for n in range(BUYERS):  # each holds two copies, then is declined and walks away
        client = pg_app.test_client()
        add_to_cart(client, book, 2)
        form, _ = checkout_page(client)
        place(client, ls.card_payment_method(localstripe, ls.CARD_DECLINED), form=form, email=f"b{n}@example.com")
    assert db.session.scalar(select(Product.stock)) == STOCK - 2 * BUYERS
    db.session.remove()
    later, barrier, expired = utcnow() + timedelta(minutes=31), threading.Barrier(2), []

    def one_server():
        with pg_app.app_context():
            barrier.wait()
            expired.extend(order.id for order in orders.expire_unpaid(now=later))
            db.session.remove()

    threads = [threading.Thread(target=one_server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

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
    for key, value in {"STRIPE_SECRET_KEY": ls.SECRET_KEY, "STRIPE_PUBLISHABLE_KEY": ls.PUBLISHABLE_KEY,
                       "STRIPE_WEBHOOK_SECRET": ls.WEBHOOK_SECRET, "STRIPE_API_BASE": localstripe}.items():
        monkeypatch.setitem(pg_app.config, key, value)
    stripe_gateway.configure(pg_app)
    MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)
    crashed, secure = UserFactory(), UserFactory()
    signup.begin(crashed, ls.card_payment_method(localstripe))
    unconfirmed = signup.subscribe(secure, ls.card_payment_method(localstripe, ls.CARD_3DS)).membership
    subscription_id, users = unconfirmed.stripe_subscription_id, [crashed.id, secure.id]
    db.session.remove()
    later, barrier, errors = utcnow() + timedelta(days=2), threading.Barrier(2), []

    def one_server():
        try:
            with pg_app.app_context():
                barrier.wait()
                signup.expire_stale_starts(later)
                db.session.remove()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=one_server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert set(db.session.scalars(select(Membership.state))) == {"ended"}
    assert stripe.Subscription.retrieve(subscription_id)["status"] == "canceled"
    ended = db.session.execute(select(AuditEntry.entity_id, func.count()).where(
        AuditEntry.action == "membership declined").group_by(AuditEntry.entity_id)).all()
    assert sorted((int(user), count) for user, count in ended) == sorted((user, 1) for user in users)

"""The database restarted under the shop, on a PostgreSQL cluster of the test's own (the shared server is never
touched): while it is down every page and form answers 503 with a page that needs no database and no trace;
the shop recovers by itself when it is back; buyers caught in the middle leave no order half-written."""

import threading
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from shop import create_app
from shop.catalogue.models import Product, StockMovement
from shop.extensions import db
from shop.orders.models import Order, OrderLine, Payment, StockReservation
from shop.payments import stripe_gateway
from tests.factories import BookFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping
from tests.support.clients import FreshContextClient
from tests.support.own_postgres import OwnPostgres

STOCK = 40


@pytest.fixture
def restartable(tmp_path, localstripe):
    cluster = OwnPostgres()
    try:
        cluster.start()
        cluster.create_database()
        app = create_app("test", {
            "SQLALCHEMY_DATABASE_URI": cluster.url, "MEDIA_ROOT": str(tmp_path / "media"),
            **ls.suite_settings(localstripe)})
        app.test_client_class = FreshContextClient
        stripe_gateway.configure(app)
        with app.app_context():
            upgrade()
            seed_shipping()
            BookFactory(title="Soft Tissue Release", slug="str-book", price_cents=4995, stock=STOCK)
            db.session.commit()
            yield app, cluster
            db.session.remove()
            db.engine.dispose()
    finally:
        cluster.remove()


def ls_base(app):
    return app.config["STRIPE_API_BASE"]


def _unavailable(response):
    body = response.get_data(as_text=True)
    assert response.status_code == 503, (response.status_code, body[:500])
    assert response.headers["Retry-After"] == "30"
    assert "Traceback" not in body and "sqlalchemy" not in body.lower() and "psycopg" not in body.lower()
    return body


def test_while_the_database_is_down_every_request_is_a_clean_503_and_the_shop_recovers_by_itself(restartable):
    app, cluster = restartable
    book = db.session.scalar(select(Product))
    client = app.test_client()
    assert client.get("/").status_code == 200
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    slug = book.slug
    db.session.remove()  # the test's own connection goes back to the pool, to die there with the others

    cluster.stop()  # as a crash: every connection in the pool is dead, new ones are refused
    assert "try again in a minute" in _unavailable(client.get("/"))
    _unavailable(client.get(f"/products/{slug}"))
    _unavailable(client.get("/cart"))
    answer = place(client, ls.card_payment_method(ls_base(app)), form=form)
    _unavailable(answer)
    assert answer.get_json()["status"] == "error" and "cart is kept" in answer.get_json()["message"]

    cluster.start()
    assert client.get("/").status_code == 200  # no restart of the shop: the pool replaced its connections
    assert "Soft Tissue Release" in client.get("/cart").get_data(as_text=True)
    paid = place(client, ls.card_payment_method(ls_base(app)), form=form)
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    db.session.remove()
    assert db.session.scalar(select(func.count(Order.id)).where(Order.status == "paid")) == 1


def _wait_for_the_first_order(timeout=20.0):
    deadline = time.monotonic() + timeout
    while not db.session.scalar(select(func.count(Order.id))) and time.monotonic() < deadline:
        db.session.rollback()
        time.sleep(0.005)
    db.session.remove()


def test_buyers_caught_by_the_restart_leave_no_order_half_written(restartable):
    app, cluster = restartable
    book = db.session.scalar(select(Product))
    buyers = []
    for n in range(12):
        client = app.test_client()
        add_to_cart(client, book)
        form, _ = checkout_page(client)
        buyers.append((client, form, ls.card_payment_method(ls_base(app)), f"buyer{n}@example.com"))
    db.session.remove()
    statuses, started = [], threading.Barrier(len(buyers) + 1)

    def buy(client, form, card, email):
        started.wait()
        statuses.append(place(client, card, form=form, email=email).status_code)

    threads = [threading.Thread(target=buy, args=buyer) for buyer in buyers]
    for thread in threads:
        thread.start()
    started.wait()
    _wait_for_the_first_order()
    cluster.stop()  # while the buyers are placing their orders: some written, some paying, some not begun
    for thread in threads:
        thread.join(60)
    cluster.start()

    assert len(statuses) == len(buyers) and all(status in (200, 202, 402, 409, 503) for status in statuses), statuses
    db.session.remove()
    for order in db.session.scalars(select(Order)):  # every order that exists is whole
        lines = db.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)).all()
        assert [line.quantity for line in lines] == [1], order.number
        assert sum(line.subtotal_cents for line in lines) == order.subtotal_cents, order.number
        succeeded = db.session.scalar(select(func.count(Payment.id)).where(
            Payment.order_id == order.id, Payment.status == "succeeded"))
        assert succeeded == (1 if order.status == "paid" else 0), order.number
    stock = db.session.scalar(select(Product.stock))
    assert stock == db.session.scalar(select(func.sum(StockMovement.change)))  # no copy moved without its record
    holding = db.session.scalar(select(func.coalesce(func.sum(StockReservation.quantity), 0)).where(
        StockReservation.status.in_(("held", "converted"))))
    assert stock == STOCK - holding  # every copy taken is held by a live order or sold to a paid one

    client = app.test_client()  # and the shop carries on as before
    assert client.get("/").status_code == 200

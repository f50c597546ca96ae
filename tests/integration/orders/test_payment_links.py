"""Payment links: e-mailed for a phone order, signed, single-use, expiring; paid on the shop's own page."""

import hashlib
import re
from datetime import timedelta

import pytest

from shop.catalogue.models import Product
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders import services as orders
from shop.orders.models import Order, PaymentLink
from tests.factories import BookFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import seed_shipping
from tests.support.forms import csrf_token
from tests.support.phone_helpers import PhoneDesk, staff_client

LINK_RE = re.compile(r"https?://[^/\s]+(/pay/[A-Za-z0-9_.\-]+)")


@pytest.fixture
def link_order(app):
    """A phone order for two books, to be paid by an e-mailed link; (staff client, order, link path)."""
    seed_shipping()
    BookFactory(title="Soft Tissue Release", sku="STR-BOOK", slug="str-book", price_cents=4995, stock=5)
    UserFactory(email="pat@example.com", full_name="Pat Caller")
    client, _ = staff_client(app)
    desk = PhoneDesk(client)
    desk.use_first_caller("pat@example.com")
    desk.add("STR-BOOK", 2)
    response = desk.place("payment_link")
    assert response.status_code == 303, response.get_data(as_text=True)
    order = db.session.execute(db.select(Order)).scalar_one()
    return client, order, _link_in_last_mail()


def _link_in_last_mail():
    mail = db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id.desc())).scalars().first()
    return LINK_RE.search(mail.text_body).group(1)


def _pay(client, path, payment_method_id):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "payment_method_id": payment_method_id},
                       headers={"Accept": "application/json"})


def _stock():
    return db.session.execute(db.select(Product.stock).filter_by(sku="STR-BOOK")).scalar_one()


def test_the_link_is_mailed_stored_only_as_a_hash_and_holds_the_copies(app, link_order):
    _, order, path = link_order
    assert (order.status, order.payment_method) == ("pending_payment", "payment_link")
    [mail] = db.session.execute(db.select(OutboxMessage)).scalars().all()
    assert mail.to_address == "pat@example.com" and f"Pay for your order {order.number}" in mail.subject
    assert "$99.90" in mail.text_body and path in mail.html_body
    [link] = db.session.execute(db.select(PaymentLink)).scalars().all()
    secret = path.rsplit("/", 1)[1].split(".")[0]
    assert link.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in link.token_hash
    assert timedelta(hours=71) < link.expires_at - utcnow() <= timedelta(hours=72)
    assert order.reservation_expires_at >= link.expires_at - timedelta(seconds=5) and _stock() == 3
    assert orders.expire_unpaid(utcnow() + timedelta(hours=48)) == []


def test_paid_through_the_link_then_the_link_is_refused(app, link_order, payments_on):
    _, order, path = link_order
    customer = app.test_client()  # the customer's own browser: not logged in
    page = customer.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"Pay for order {order.number}" in html and "Pay $99.90" in html and "noindex" in html
    response = _pay(customer, path, ls.card_payment_method(payments_on))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["redirect"] == f"/orders/{order.number}/thanks"
    db.session.refresh(order)
    assert order.status == "paid" and order.channel == "phone" and _stock() == 3
    assert "is confirmed" in customer.get(f"/orders/{order.number}/thanks").get_data(as_text=True)
    assert db.session.execute(db.select(PaymentLink.used_at)).scalar_one() is not None
    mails = [m.subject for m in db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]
    assert len(mails) == 2 and mails[1].startswith(f"Your order {order.number}")  # the web order's receipt

    again = customer.get(path)
    assert again.status_code == 410 and f"Order {order.number} is paid" in again.get_data(as_text=True)
    token = csrf_token(customer.get("/account/login").get_data(as_text=True))
    second = customer.post(path, data={"csrf_token": token, "payment_method_id": "card_x"},
                           headers={"Accept": "application/json"})
    assert second.status_code == 410


def test_a_declined_card_leaves_the_link_usable(app, link_order, payments_on):
    _, order, path = link_order
    customer = app.test_client()
    declined = _pay(customer, path, ls.card_payment_method(payments_on, ls.CARD_DECLINED))
    assert declined.status_code == 402 and declined.get_json()["message"] == "Your card was declined."
    assert db.session.execute(db.select(PaymentLink.used_at)).scalar_one() is None
    assert _pay(customer, path, ls.card_payment_method(payments_on)).get_json()["status"] == "paid"


def test_unknown_tampered_expired_and_replaced_links_are_refused(app, link_order):
    client, order, path = link_order
    customer = app.test_client()
    assert customer.get("/pay/nonsense").status_code == 404
    assert customer.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 404
    assert customer.get("/pay/" + "x" * 300).status_code == 404

    link = db.session.execute(db.select(PaymentLink)).scalar_one()
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = customer.get(path)
    assert expired.status_code == 410 and "This link has expired" in expired.get_data(as_text=True)
    link.expires_at = utcnow() + timedelta(hours=1)
    db.session.commit()

    page = f"/backoffice/phone/orders/{order.number}"
    token = csrf_token(client.get(page).get_data(as_text=True))
    assert client.post(f"{page}/link", data={"csrf_token": token}).status_code == 303
    new_path = _link_in_last_mail()
    assert new_path != path
    assert customer.get(path).status_code == 410  # the older link was retired
    assert customer.get(new_path).status_code == 200
    assert customer.post(new_path, data={"payment_method_id": "card_x"}).status_code == 400  # no CSRF token


def test_a_link_for_an_order_that_expired_unpaid_is_refused(app, link_order):
    _, order, path = link_order
    assert [o.id for o in orders.expire_unpaid(utcnow() + timedelta(hours=73))] == [order.id]
    response = app.test_client().get(path)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert _stock() == 5


def test_3d_secure_on_the_link_page_is_settled_by_asking_the_processor(app, link_order, payments_on):
    _, order, path = link_order
    customer = app.test_client()
    first = _pay(customer, path, ls.card_payment_method(payments_on, ls.CARD_3DS)).get_json()
    assert first["status"] == "requires_action" and first["confirm_url"] == f"{path}/confirm"
    assert customer.get(path).status_code == 410  # claimed while the bank asks: no second payment meanwhile
    intent_id = ls.authenticate_3ds(payments_on, first["client_secret"])
    token = csrf_token(customer.get("/account/login").get_data(as_text=True))
    done = customer.post(first["confirm_url"], data={"csrf_token": token, "payment_intent": intent_id},
                         headers={"Accept": "application/json"})
    assert done.status_code == 200 and done.get_json()["status"] == "paid"
    db.session.refresh(order)
    assert order.status == "paid"


def test_a_payment_link_takes_only_a_few_card_tries_an_hour(app, link_order, payments_on, monkeypatch):
    monkeypatch.setitem(app.config, "CARD_ATTEMPTS_PER_VISITOR", 2)
    _, order, path = link_order
    for _ in range(2):
        customer = app.test_client()  # a new browser each time: the link itself is what is counted
        assert _pay(customer, path, ls.card_payment_method(payments_on, ls.CARD_DECLINED)).status_code == 402
    refused = _pay(app.test_client(), path, ls.card_payment_method(payments_on))
    assert refused.status_code == 429 and "Too many card payments" in refused.get_json()["message"]
    assert db.session.execute(db.select(PaymentLink.used_at)).scalar_one() is None

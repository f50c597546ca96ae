"""A payment link's order takes CARD_DECLINES_PER_ORDER declined cards (real localstripe declines): each decline
under the cap gives the link back; the one that reaches it closes the order, releases its copies and promotion
uses, and the link is never usable again."""

import re

import pytest

from shop.catalogue.models import Product
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.models import Order, Payment, PaymentLink
from shop.promotions.models import Promotion
from tests.factories import BookFactory, PromotionFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import seed_shipping
from tests.support.forms import csrf_token
from tests.support.phone_helpers import PhoneDesk, staff_client

CAP = 3
LINK_RE = re.compile(r"https?://[^/\s]+(/pay/[A-Za-z0-9_.\-]+)")


@pytest.fixture
def link(app, payments_on, monkeypatch):
    """A phone order for two books at 10 % off, to be paid by an e-mailed link: (order, promotion, link path)."""
    monkeypatch.setitem(app.config, "CARD_DECLINES_PER_ORDER", CAP)
    seed_shipping()
    BookFactory(title="Soft Tissue Release", sku="STR-BOOK", slug="str-book", price_cents=4995, stock=5)
    promotion = PromotionFactory(name="Phone special", max_redemptions=10)
    UserFactory(email="pat@example.com", full_name="Pat Caller")
    client, _ = staff_client(app)
    desk = PhoneDesk(client)
    desk.use_first_caller("pat@example.com")
    desk.add("STR-BOOK", 2)
    assert desk.place("payment_link").status_code == 303
    order = db.session.execute(db.select(Order)).scalar_one()
    mail = db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id.desc())).scalars().first()
    return order, promotion, LINK_RE.search(mail.text_body).group(1)


def _pay(client, path, payment_method_id):
    token = csrf_token(client.get("/account/login").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "payment_method_id": payment_method_id},
                       headers={"Accept": "application/json"})


def _stock():
    return db.session.execute(db.select(Product.stock).filter_by(sku="STR-BOOK")).scalar_one()


def _uses(promotion):
    return db.session.execute(db.select(Promotion.redemption_count).filter_by(id=promotion.id)).scalar_one()


def test_repeated_declines_on_a_payment_link_close_its_order_and_release_its_holds(app, link, payments_on):
    order, promotion, path = link
    assert _stock() == 3 and _uses(promotion) == 1
    for _ in range(CAP - 1):
        declined = _pay(app.test_client(), path, ls.card_payment_method(payments_on, ls.CARD_DECLINED))
        assert declined.status_code == 402
        assert db.session.execute(db.select(PaymentLink.used_at)).scalar_one() is None  # given back to retry

    last = _pay(app.test_client(), path, ls.card_payment_method(payments_on, ls.CARD_DECLINED))
    assert last.status_code == 409
    assert f"{CAP} declined card payments" in last.get_json()["message"]
    db.session.refresh(order)
    assert order.status == "expired"
    assert _stock() == 5 and _uses(promotion) == 0


def test_a_decline_does_not_make_a_link_usable_again_past_the_cap(app, link, payments_on):
    _, _, path = link
    for _ in range(CAP):
        _pay(app.test_client(), path, ls.card_payment_method(payments_on, ls.CARD_DECLINED))
    assert db.session.execute(db.select(PaymentLink.used_at)).scalar_one() is not None  # kept used
    charged = db.session.execute(db.select(Payment)).scalars().all()

    page = app.test_client().get(path)
    assert page.status_code == 409 and "Too many declined cards" in page.get_data(as_text=True)
    again = _pay(app.test_client(), path, ls.card_payment_method(payments_on))
    assert again.status_code == 409 and "call us" in again.get_json()["message"].lower()
    assert len(db.session.execute(db.select(Payment)).scalars().all()) == len(charged)  # no card was tried
    assert db.session.execute(db.select(Order.status)).scalar_one() == "expired"

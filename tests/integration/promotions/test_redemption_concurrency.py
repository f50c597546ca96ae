"""Many buyers at once, on PostgreSQL: a promotion limited to N uses is redeemed exactly N times, never N+1,
and a single-use code once."""


import pytest

from shop.extensions import db
from shop.orders.models import Order
from shop.promotions import loader
from shop.promotions.models import Promotion, PromotionCode, PromotionRedemption
from shop.web import pagecache
from tests.factories import ProductFactory, PromotionCodeFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place_all_at_once
from tests.support.forms import csrf_token


@pytest.fixture
def racing_shop(pg_app, localstripe, monkeypatch):
    ls.use_localstripe(pg_app, localstripe, monkeypatch)
    pagecache.clear()
    loader.forget()
    yield pg_app
    pagecache.clear()
    loader.forget()


def _race(app, api_base, course, code, buyers):
    """Every buyer has the course and the code in the cart and the checkout page open; then all place at once."""
    prepared = []
    for n in range(buyers):
        client = app.test_client()
        add_to_cart(client, course)
        token = csrf_token(client.get("/cart").get_data(as_text=True))
        applied = client.post("/cart/code", data={"csrf_token": token, "code": code.lower(), "next": "cart"})
        assert applied.status_code == 303
        form, _ = checkout_page(client)
        prepared.append((client, form, ls.card_payment_method(api_base), f"buyer{n}@example.com"))
    db.session.remove()

    return place_all_at_once(prepared)


def test_forty_buyers_racing_for_a_promotion_limited_to_five_uses(racing_shop, localstripe):
    course = ProductFactory(title="Trigger Points", price_cents=10000)
    code = PromotionCodeFactory(code="FIVE", promotion__name="Five lucky buyers", promotion__max_redemptions=5)
    promotion_id = code.promotion_id
    results = _race(racing_shop, localstripe, course, "FIVE", 40)

    assert [status for _, status in results].count("paid") == 5, results
    assert all(code in (200, 409) for code, _ in results), results
    assert db.session.execute(db.select(Promotion.redemption_count).filter_by(id=promotion_id)).scalar_one() == 5
    assert db.session.execute(db.select(Promotion.discount_given_cents).filter_by(id=promotion_id)).scalar_one() \
        == 5 * 1000
    redemptions = db.session.execute(db.select(PromotionRedemption.status)).scalars().all()
    assert sorted(redemptions) == ["confirmed"] * 5
    paid = db.session.execute(db.select(Order).filter_by(status="paid")).scalars().all()
    assert len(paid) == 5 and all(order.total_cents == 9000 for order in paid)
    assert db.session.scalar(db.select(db.func.count(Order.id))) == 5  # the others never got an order


def test_a_single_use_code_used_by_two_buyers_at_once_is_used_once(racing_shop, localstripe):
    course = ProductFactory(title="Trigger Points", price_cents=10000)
    PromotionCodeFactory(code="ONCE-ABCDE", max_uses=1, batch="Conference", promotion__name="Conference gift",
                         promotion__basis_points=2000)
    results = _race(racing_shop, localstripe, course, "ONCE-ABCDE", 2)

    assert sorted(results) == [(200, "paid"), (409, None)] or sorted(results) == [(200, "paid"), (409, "error")], \
        results
    assert db.session.execute(db.select(PromotionCode.use_count)).scalar_one() == 1
    assert db.session.scalar(db.select(db.func.count(PromotionRedemption.id))) == 1
    [order] = db.session.execute(db.select(Order)).scalars().all()
    assert order.status == "paid" and order.total_cents == 8000

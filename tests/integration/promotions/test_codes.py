"""Promo codes on the cart and at checkout: each failure says which, the cart stays as it was, guessing is limited."""

from datetime import timedelta

import pytest

from shop.cart.models import CartItem
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.promotions.models import CartCode
from tests.factories import DEFAULT_PASSWORD, ProductFactory, PromotionCodeFactory, PromotionFactory, UserFactory
from tests.support.checkout_helpers import add_to_cart, checkout_page, place
from tests.support.forms import csrf_token, log_in, soup


def apply(client, code, page="/cart", back="cart", json=False):
    token = csrf_token(client.get(page).get_data(as_text=True))
    headers = {"Accept": "application/json"} if json else {}
    return client.post("/cart/code", data={"csrf_token": token, "code": code, "next": back}, headers=headers)


def remove(client, code, back="cart"):
    token = csrf_token(client.get("/cart").get_data(as_text=True))
    return client.post("/cart/code/remove", data={"csrf_token": token, "code": code, "next": back})


def cart_codes():
    return db.session.execute(db.select(CartCode.code).order_by(CartCode.id)).scalars().all()


def cart_items():
    return db.session.execute(db.select(CartItem.product_id, CartItem.quantity)).all()


@pytest.fixture
def course(app):
    return ProductFactory(title="Trigger Points", price_cents=10000)


def test_a_code_is_case_insensitive_and_its_discount_shows_by_name(client, course):
    PromotionCodeFactory(code="SPRING15", promotion__name="Spring Sale", promotion__basis_points=1500)
    add_to_cart(client, course)
    response = apply(client, "  spring15 ")
    assert response.status_code == 303
    assert cart_codes() == ["SPRING15"]
    html = client.get("/cart").get_data(as_text=True)
    assert "Spring Sale" in html and "(code SPRING15)" in html and "−$15.00" in html and "$85.00" in html
    assert "SPRING15 applied: Spring Sale saves you $15.00." in html  # the flash
    assert apply(client, "Spring15").status_code == 303 and cart_codes() == ["SPRING15"]  # once only


def test_the_promo_field_is_on_the_cart_and_checkout(client, course):
    add_to_cart(client, course)
    for page in ("/cart", "/checkout"):
        form = soup(client.get(page).get_data(as_text=True)).find("form", action="/cart/code")
        assert form is not None, page
        field = form.find("input", attrs={"name": "code"})
        assert field is not None and form.find("label", attrs={"for": field.get("id")}).get_text() == "Promo code"
        assert [button.get_text(strip=True) for button in form.find_all("button")] == ["Apply"]
        assert form.find("input", attrs={"name": "csrf_token"})


def _exclusive_sale():
    PromotionFactory(name="Big Sale", basis_points=5000, exclusive=True)
    return PromotionCodeFactory(code="TEN", promotion__name="Ten off", promotion__basis_points=1000)


FAILURES = {
    "unknown": (lambda other: None, "NOPE", "We don't recognise the code NOPE"),
    "paused": (lambda other: PromotionCodeFactory(code="PAUSED", promotion__state="paused"), "PAUSED",
               "We don't recognise the code PAUSED"),
    "draft": (lambda other: PromotionCodeFactory(code="DRAFT", promotion__state="draft"), "DRAFT",
              "We don't recognise the code DRAFT"),
    "expired": (lambda other: PromotionCodeFactory(
        code="OLD", promotion__starts_at=utcnow() - timedelta(days=30),
        promotion__ends_at=utcnow() - timedelta(days=2)), "OLD", "OLD expired on "),
    "not started": (lambda other: PromotionCodeFactory(
        code="SOON", promotion__starts_at=utcnow() + timedelta(days=5)), "SOON", "SOON starts on "),
    "promotion used up": (lambda other: PromotionCodeFactory(
        code="GONE", promotion__max_redemptions=3, promotion__redemption_count=3), "GONE", "GONE has been used up"),
    "single-use code used": (lambda other: PromotionCodeFactory(code="ONCE-1", max_uses=1, use_count=1), "ONCE-1",
                             "ONCE-1 has already been used"),
    "minimum subtotal": (lambda other: PromotionCodeFactory(code="BIG", promotion__min_subtotal_cents=50000), "BIG",
                         "BIG doesn't apply to this cart: minimum subtotal $500.00 not reached"),
    "not for this cart": (lambda other: PromotionCodeFactory(
        code="BOOKS", promotion__applies_to_everything=False, promotion__products=[other]), "BOOKS",
        "BOOKS doesn't apply to this cart: nothing in the cart that it applies to"),
    "not combinable": (lambda other: _exclusive_sale(), "TEN",
                       "TEN can't be combined with Big Sale, which saves you more"),
}


@pytest.mark.parametrize("kind", list(FAILURES))
def test_each_failing_code_says_why_and_leaves_the_cart_unchanged(client, course, kind):
    make, code, message = FAILURES[kind]
    make(ProductFactory(title="Another course"))
    add_to_cart(client, course)
    before = cart_items()
    response = apply(client, code)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html.replace("&#39;", "'")
    assert 'id="promo_code-error" role="alert"' in html and 'aria-invalid="true"' in html
    assert cart_codes() == [] and cart_items() == before


def test_expired_and_not_started_codes_give_the_date_in_shop_time(client, course, app):
    app.config["SHOP_TIMEZONE"] = "America/New_York"
    PromotionCodeFactory(code="SOON", promotion__starts_at=utcnow().replace(year=utcnow().year + 1, month=1, day=2,
                                                                             hour=3, minute=0))
    add_to_cart(client, course)
    html = apply(client, "soon").get_data(as_text=True)
    assert f"SOON starts on January 1, {utcnow().year + 1}" in html  # 3 a.m. UTC is the evening before in New York


def test_guessing_codes_is_rate_limited(client, course):
    PromotionCodeFactory(code="REAL")
    add_to_cart(client, course)
    for n in range(10):
        assert apply(client, f"GUESS{n}").status_code == 422
    response = apply(client, "REAL")
    assert response.status_code == 429
    assert "Too many promo codes tried" in response.get_data(as_text=True)
    assert cart_codes() == []


def test_a_code_can_be_removed(client, course):
    PromotionCodeFactory(code="SAVE", promotion__name="Save ten", promotion__basis_points=1000)
    add_to_cart(client, course)
    apply(client, "SAVE")
    assert remove(client, "save").status_code == 303
    assert cart_codes() == []
    assert "Save ten" not in client.get("/cart").get_data(as_text=True)


def test_codes_work_from_checkout_with_a_form_post_and_with_json(client, course):
    PromotionCodeFactory(code="SAVE", promotion__name="Save ten", promotion__basis_points=1000)
    add_to_cart(client, course)
    wrong = apply(client, "WRONG", page="/checkout", back="checkout")
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    assert "<h1>Checkout</h1>" in html and "We don&#39;t recognise the code WRONG" in html
    ok = apply(client, "save", page="/checkout", back="checkout")
    assert ok.status_code == 303 and ok.headers["Location"].endswith("/checkout")
    summary = client.get("/checkout/summary").get_json()
    assert "Save ten" in summary["summary_html"] and summary["total_cents"] == 9000
    assert 'action="/cart/code/remove"' in summary["summary_html"]
    answer = apply(client, "NOPE", page="/checkout", back="checkout", json=True)
    assert answer.status_code == 422 and answer.get_json()["message"].startswith("We don't recognise the code NOPE")
    assert apply(client, "NOPE2", json=True).get_json()["status"] == "error"


def test_a_code_that_stopped_applying_is_reported_and_dropped_at_checkout(client, course):
    code = PromotionCodeFactory(code="SAVE", promotion__name="Save ten", promotion__max_redemptions=1)
    add_to_cart(client, course)
    apply(client, "SAVE")
    form, _ = checkout_page(client)
    code.promotion.redemption_count = 1  # someone else used the last one
    db.session.commit()
    assert "SAVE has been used up." in client.get("/cart").get_data(as_text=True)
    response = place(client, "pm_unused", form=form)
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["message"] == ("SAVE has been used up. We took it off your cart: your total has changed, "
                                 "please review it.")
    assert answer["errors"]["promo_code"] == "SAVE has been used up."
    assert cart_codes() == []


def test_a_code_for_an_email_domain_is_for_a_signed_in_confirmed_address_only(client, app, course):
    PromotionCodeFactory(code="CLINIC", promotion__name="Clinic rate", promotion__email_domains="clinic.example")
    add_to_cart(client, course)
    response = apply(client, "clinic")  # a guest: whatever address they might type proves nothing
    assert response.status_code == 422 and cart_codes() == []
    assert "log in to use it" in response.get_data(as_text=True)
    summary = client.get("/checkout/summary?email=pat@clinic.example").get_json()
    assert summary["total_cents"] == 10000 and "Clinic rate" not in summary["summary_html"]

    unconfirmed = app.test_client()
    user = UserFactory(email="sam@clinic.example", email_verified_at=None)
    log_in(unconfirmed, user.email, DEFAULT_PASSWORD)
    add_to_cart(unconfirmed, course)
    assert apply(unconfirmed, "clinic").status_code == 422

    member = app.test_client()
    log_in(member, UserFactory(email="pat@clinic.example").email, DEFAULT_PASSWORD)
    add_to_cart(member, course)
    assert apply(member, "clinic").status_code == 303
    assert member.get("/checkout/summary").get_json()["total_cents"] == 9000
    typed_other = member.get("/checkout/summary?email=someone@clinic.example").get_json()
    assert typed_other["total_cents"] == 10000  # only the account's own, confirmed address counts

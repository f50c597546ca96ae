"""In Chromium: a marketer creates the code NEWS15 and activates it; a customer, in another browser, applies
"news15" to a course in the cart, sees the discount by name and pays for the discounted order."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order
from shop.promotions.models import Promotion, PromotionRedemption
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.browser import COURSE_SLUG, COURSE_TITLE, fill_card

pytestmark = pytest.mark.e2e

CARD_OK = "4242 4242 4242 4242"
NAME = "Newsletter 15%"


def _marketer(app):
    with app.app_context():
        email = UserFactory(email=f"marketer-{uuid.uuid4().hex[:8]}@example.com", role="marketing").email
        db.session.remove()
    return email


def _log_in(page, base_url, email):
    page.goto(base_url + "/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/account$"))


def create_and_activate(page, base_url):
    page.goto(base_url + "/marketing/promotions")
    page.get_by_role("link", name="New promotion").click()
    page.get_by_label("Name (shown to customers and on the order)").fill(NAME)
    page.get_by_label("Public description").fill("For readers of our newsletter: 15% off.")
    page.get_by_label("Unlocked by a code").check()
    page.get_by_label("Shared code").fill("NEWS15")
    page.get_by_label("Percent off").check()
    page.get_by_label("Percentage (%)").fill("15")
    page.get_by_role("button", name="Create promotion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.locator(".promo-status")).to_have_text("Draft")
    page.get_by_role("button", name="Activate").click()
    expect(page.locator(".flashes")).to_contain_text(f"{NAME} is live.")
    expect(page.locator(".promo-status")).to_have_text("Live")
    expect(page.locator("#codes")).to_contain_text("NEWS15")


def test_a_marketer_creates_a_code_and_a_customer_uses_it(live_app, live_shop, new_page, artifacts_dir):
    marketer = new_page()
    _log_in(marketer, live_shop, _marketer(live_app))
    create_and_activate(marketer, live_shop)
    marketer.screenshot(path=str(artifacts_dir / "marketing-promotion.png"), full_page=True)

    customer = new_page()  # another browser context: nothing shared with the marketer
    customer.goto(f"{live_shop}/products/{COURSE_SLUG}")
    customer.get_by_role("button", name="Add to cart").click()
    customer.wait_for_url("**/cart")
    customer.get_by_label("Promo code").fill("news15")
    customer.get_by_role("button", name="Apply").click()
    totals = customer.locator(".totals")
    expect(totals).to_contain_text(NAME)
    expect(totals).to_contain_text("−$17.85")  # 15% of $119.00

    customer.get_by_role("link", name="Checkout").click()
    customer.wait_for_url("**/checkout")
    customer.wait_for_selector(".stripe-standin")
    expect(customer.get_by_role("complementary", name="Order summary")).to_contain_text(NAME)
    email = f"reader-{uuid.uuid4().hex[:8]}@example.com"
    customer.get_by_label("Email").fill(email)
    customer.get_by_label("Full name").fill("Pat Reader")
    fill_card(customer, CARD_OK)
    customer.get_by_role("button", name="Place order").click()
    customer.wait_for_url(re.compile(r"/orders/[^/]+/thanks$"))
    expect(customer.get_by_role("heading", level=1)).to_contain_text("is confirmed")
    expect(customer.locator("main")).to_contain_text(NAME)
    expect(customer.locator("main")).to_contain_text("$101.15")

    with live_app.app_context():
        order = db.session.scalar(select(Order).where(Order.email == email))
        assert order.is_paid and order.discount_cents == 1785 and order.total_cents == 10115
        assert [line.title for line in order.lines] == [COURSE_TITLE]
        promotion = db.session.scalar(select(Promotion).where(Promotion.name == NAME))
        redemption = db.session.scalar(select(PromotionRedemption).filter_by(order_id=order.id))
        assert redemption.promotion_id == promotion.id and redemption.discount_cents == 1785
        promotion_id = promotion.id
        db.session.remove()

    # the marketer sees the redemption on the promotion's performance page
    marketer.goto(f"{live_shop}/marketing/promotions/{promotion_id}/performance")
    expect(marketer.locator(".stat-cards")).to_contain_text("$17.85")


def test_marketing_pages_have_no_wcag_violations(live_app, live_server, new_page):
    from tests.support.accessibility import describe, wcag_violations

    with live_app.app_context():
        promotion = Promotion(name=f"Axe check {uuid.uuid4().hex[:6]}", benefit_kind="percent", basis_points=1000)
        db.session.add(promotion)
        db.session.commit()
        promotion_id = promotion.id
        db.session.remove()
    page = new_page()
    _log_in(page, live_server, _marketer(live_app))
    paths = ["/marketing/promotions", "/marketing/promotions/new", f"/marketing/promotions/{promotion_id}/edit",
             f"/marketing/promotions/{promotion_id}?preview=1&lines-0-product_id=1&lines-0-quantity=2",
             f"/marketing/promotions/{promotion_id}/performance", "/marketing/performance"]
    problems = []
    for path in paths:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server + path)
            violations = wcag_violations(page)
            if violations:
                problems.append(f"{path} at {width}px:\n{describe(violations)}")
    assert problems == [], "\n".join(problems)

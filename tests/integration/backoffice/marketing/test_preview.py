"""The preview on a promotion's page: line-by-line prices, shipping, total, and why other offers did not apply."""

import re
from datetime import timedelta

import pytest

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.promotions.models import Promotion
from shop.shipping.services import seed_defaults
from tests.factories import BookFactory, OrderFactory, OrderLineFactory, ProductFactory
from tests.support.marketing import create_promotion, log_in_marketer, page_text


@pytest.fixture
def marketer(client):
    return log_in_marketer(client)


@pytest.fixture
def shop():
    seed_defaults()
    course = ProductFactory(title="Trigger Points", sku="CE-TP", price_cents=10000)
    book = BookFactory(title="The Book", sku="BK-STR", price_cents=5000)
    return course, book


def _live(name, **values):
    values = {"benefit_kind": "percent", "basis_points": 1000, **values}
    promotion = Promotion(name=name, state="active", starts_at=utcnow() - timedelta(days=1), **values)
    db.session.add(promotion)
    db.session.commit()
    return promotion


def _preview(client, promotion, lines=(), **args):
    query = {"preview": "1"}
    for index, (product, quantity) in enumerate(lines):
        query[f"lines-{index}-product_id"] = str(product.id)
        query[f"lines-{index}-quantity"] = str(quantity)
    query.update(args)
    return client.get(f"/marketing/promotions/{promotion.id}", query_string=query)


def _cells(page, title):
    row = re.search(rf"<tr><th scope=\"row\">{re.escape(title)}.*?</tr>", page, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r'<td class="num">(.*?)</td>', row, re.S)]


def test_a_draft_is_previewed_as_if_live_line_by_line_with_reasons(client, marketer, shop):
    course, book = shop
    _live("Big spender", min_subtotal_cents=50000)
    _live("Phone only", channel_web=False)
    draft = create_promotion(client, name="Spring 20", percent="20")
    response = _preview(client, draft, [(course, 1), (book, 2)], email="pat@example.com")
    page = page_text(response)
    assert response.status_code == 200
    assert "This promotion is draft: the preview treats it as live." in page
    assert _cells(page, "Trigger Points") == ["1", "$100.00", "$100.00", "−$20.00", "$80.00"]
    assert _cells(page, "The Book") == ["2", "$50.00", "$100.00", "−$20.00", "$80.00"]
    assert "Spring 20: −$20.00" in page  # which offer took what off each line
    assert "USPS Media Mail, to US" in page and "$0.00" in page  # free over $75 after discounts
    assert re.search(r'class="grand">Total</dt><dd class="grand">\$160.00<', page)
    assert "<strong>Big spender</strong>: minimum subtotal $500.00 not reached" in page
    assert "<strong>Phone only</strong>: not available for online orders" in page
    assert "pat@example.com (first order)" in page


def test_the_promotion_itself_says_why_it_did_not_apply(client, marketer, shop):
    course, _ = shop
    promotion = create_promotion(client, name="Clinic staff", email_domains="clinic.org")
    page = page_text(_preview(client, promotion, [(course, 1)], email="pat@example.com"))
    assert "<strong>Clinic staff</strong> (this promotion): only for email addresses at clinic.org" in page
    assert _cells(page, "Trigger Points")[-1] == "$100.00"


def test_exclusive_offers_say_what_they_did_not_combine_with(client, marketer, shop):
    course, _ = shop
    _live("Small combinable", basis_points=500)
    promotion = create_promotion(client, name="Big exclusive", percent="30", stacking="exclusive")
    page = page_text(_preview(client, promotion, [(course, 1)], channel="phone"))
    assert "<strong>Small combinable</strong>: not combinable with Big exclusive" in page
    assert "Big exclusive applies: −$30.00." in page


def test_a_past_order_gives_the_cart_and_the_email(client, marketer, shop):
    course, book = shop
    order = OrderFactory(number="STR-777001", email="lee@example.com")
    OrderLineFactory(order=order, product_id=book.id, sku=book.sku, title=book.title, quantity=3)
    OrderLineFactory(order=order, product_id=None, sku="OLD", title="A retired course")
    promotion = create_promotion(client, name="Returning", first_order_only="y")
    page = page_text(_preview(client, promotion, order_number="str-777001"))
    assert "The cart of order STR-777001, at today" in page and "A retired course is no longer in the catalogue" in page
    assert _cells(page, "The Book")[:3] == ["3", "$50.00", "$150.00"]
    assert "lee@example.com (has ordered before)" in page
    assert "(this promotion): for a customer&#39;s first order only" in page


@pytest.mark.parametrize(("args", "message"), [
    ({}, "Choose at least one product, or enter a past order number."),
    ({"order_number": "STR-404404"}, "No order numbered STR-404404."),
    ({"email": "not-an-email"}, "Enter an email address like name@example.com."),
    ({"lines-0-product_id": "999999"}, "Not a valid choice"),
    ({"lines-0-product_id": "abc"}, "Invalid Choice"),
    ({"lines-0-quantity": "500"}, "Quantity is a whole number from 1 to 99."),
    ({"channel": "fax"}, "Not a valid choice"),
])
def test_bad_preview_input_is_422_with_a_message(client, marketer, shop, args, message):
    course, _ = shop
    promotion = create_promotion(client)
    lines = [] if not args or "order_number" in args or "lines-0-product_id" in args else [(course, 1)]
    response = _preview(client, promotion, lines, **args)
    assert response.status_code == 422
    assert message in page_text(response)


def test_preview_without_asking_shows_only_the_form(client, marketer, shop):
    promotion = create_promotion(client)
    page = page_text(client.get(f"/marketing/promotions/{promotion.id}"))
    assert "Show the price" in page and "Did not apply" not in page

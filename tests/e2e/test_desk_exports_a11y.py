"""The order desk's export and bulk pages in Chromium: axe finds no WCAG 2.2 A/AA violation on the order list
with its exports and ticked orders, the packing slips printed together, and the day book; "tick every order"
works; the CSV links download files."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.accessibility import VIEWPORTS, Audit
from tests.support.desk_helpers import quick_order, unique_number

pytestmark = pytest.mark.e2e

ADDRESS = {"ship_name": "Pat Buyer", "ship_line1": "1 Elm Street", "ship_city": "Columbus", "ship_region": "OH",
           "ship_postal_code": "43004", "ship_country": "US", "shipping_method_name": "Media Mail"}
BOOK = {"kind": "book", "title": "Soft Tissue Release", "sku": "STR-BOOK", "quantity": 1, "unit_price_cents": 4995,
        "is_physical": True}


def _staff_and_orders(live_app):
    tag = uuid.uuid4().hex[:8]
    with live_app.app_context():
        staff = UserFactory(role="staff", email=f"desk-{tag}@example.com", full_name="Dana Desk").email
        numbers = [quick_order(lines=[dict(BOOK)], customer_name=f"Buyer {i} {tag}", number=unique_number(),
                               **ADDRESS).number
                   for i in range(3)]
        db.session.remove()
    return staff, numbers, tag


def _log_in(page, base, email):
    page.goto(base + "/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("#main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account$|/backoffice|/$"))


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_order_list_exports_slips_and_day_book_are_accessible(live_app, live_server, new_page, screenshots, viewport):
    staff, numbers, tag = _staff_and_orders(live_app)
    page = new_page(**viewport)
    audit = Audit(page, screenshots, viewport["width"])
    _log_in(page, live_server, staff)

    page.goto(live_server + f"/backoffice/orders?q=Buyer+0+{tag}")
    expect(page.locator("tbody tr")).to_have_count(1)
    page.goto(live_server + "/backoffice/orders")
    tick_all = page.get_by_label("Tick every order on this page")
    expect(tick_all).to_be_visible()  # shown once the page's script runs
    tick_all.check()
    boxes = page.locator("input[name=order]")
    assert boxes.count() >= 3 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    boxes.nth(0).uncheck()
    assert tick_all.evaluate("el => el.indeterminate")
    audit.check("desk-orders-ticked")

    with page.expect_download() as download:
        page.get_by_role("link", name="one row per line").click()
    assert download.value.suggested_filename.startswith("orders-lines-")

    page.get_by_role("button", name="Print packing slips").click()
    page.wait_for_url(re.compile(r"/backoffice/orders/bulk$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Packing slips")
    assert page.locator("article.packing-slip").count() >= 2
    audit.check("desk-packing-slips")

    page.goto(live_server + "/backoffice/orders")
    page.get_by_role("button", name="Mark shipped").click()  # nothing ticked, no carrier
    expect(page.get_by_role("alert").first).to_contain_text("Tick at least one order")
    audit.check("desk-bulk-refused")

    page.goto(live_server + "/backoffice/orders")
    page.get_by_role("link", name="Day book").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Day book")
    audit.check("desk-day-book")
    audit.assert_clean()

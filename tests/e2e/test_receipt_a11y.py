"""A customer's order page and printable receipt in Chromium: no WCAG 2.2 A/AA violation at desktop and phone
widths; printed, the receipt leaves out the site's header, footer and buttons; the PDF link downloads a PDF."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from shop.extensions import db
from shop.orders.models import Payment, Refund, Shipment
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.accessibility import VIEWPORTS, Audit
from tests.support.desk_helpers import quick_order, unique_number

pytestmark = pytest.mark.e2e

BOOK = {"kind": "book", "title": "Soft Tissue Release", "sku": "STR-BOOK", "quantity": 2, "unit_price_cents": 4995,
        "is_physical": True}
COURSE = {"kind": "course", "title": "Myofascial Release", "sku": "CE-MFR", "quantity": 1, "unit_price_cents": 4900,
          "is_physical": False}


def _customer_with_an_order(live_app):
    tag = uuid.uuid4().hex[:8]
    with live_app.app_context():
        user = UserFactory(email=f"receipt-{tag}@example.com", full_name="Pat Example")
        order = quick_order(lines=[dict(BOOK), dict(COURSE)], email=user.email, user_id=user.id, number=unique_number(),
                            customer_name="Pat Example", ship_name="Pat Example", ship_line1="1 High Street",
                            ship_city="Columbus", ship_region="OH", ship_postal_code="43004", ship_country="US",
                            shipping_method_name="USPS Media Mail")
        db.session.add(Payment(order_id=order.id, idempotency_key=f"k-{tag}", intent_id=f"pi_{tag}",
                               amount_cents=order.total_cents, status="succeeded", provider="stripe",
                               card_brand="visa", card_last4="4242"))
        db.session.add(Shipment(order_id=order.id, carrier="USPS", tracking_number="9400100000000000000001"))
        db.session.add(Refund(order_id=order.id, amount_cents=1000, reason="Cover arrived torn", method="stripe",
                              provider_refund_id=f"re_{tag}", idempotency_key=f"r-{tag}", status="succeeded"))
        db.session.commit()
        email, number = user.email, order.number
        db.session.remove()
    return email, number


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_order_page_and_receipt_are_accessible_and_print_cleanly(live_app, live_server, new_page, screenshots,
                                                                   viewport):
    email, number = _customer_with_an_order(live_app)
    page = new_page(**viewport)
    audit = Audit(page, screenshots, viewport["width"])
    page.goto(live_server + "/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("#main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account$"))

    page.goto(live_server + f"/account/orders/{number}")
    expect(page.get_by_text("Visa ending 4242")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("9400100000000000000001"))).to_be_visible()
    audit.check("account-order")

    page.get_by_role("link", name="Receipt", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Receipt")
    audit.check("receipt")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == f"receipt-{number}.pdf"

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".site-footer").is_visible()
    assert not page.get_by_role("button", name="Print").is_visible()
    expect(page.get_by_text("Net paid")).to_be_visible()
    page.screenshot(path=str(screenshots / f"receipt-print-{viewport['width']}.png"), full_page=True)
    audit.assert_clean()

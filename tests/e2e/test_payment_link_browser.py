"""A payment link e-mailed for a phone order, paid in Chromium on the shop's own page (Payment Element stand-in
on localstripe); the same link a second time, and an expired link, are refused."""

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.models import Order, PaymentLink
from shop.phone import changes, drafts, lookup, placing
from tests.factories import UserFactory
from tests.support.accessibility import describe, wcag_violations
from tests.support.browser import fill_card

pytestmark = pytest.mark.e2e
LINK_RE = re.compile(r"(http://127\.0\.0\.1:\d+/pay/\S+)")


def _link_order(live_app, base_url):
    """A phone order for the book, to be paid by link, as staff place it; (order number, the e-mailed URL)."""
    tag = uuid.uuid4().hex[:8]
    with live_app.test_request_context("/", base_url=base_url):
        staff = UserFactory(role="staff", email=f"staff-link-{tag}@example.com")
        customer = UserFactory(email=f"link-{tag}@example.com", full_name=f"Lee {tag}")
        draft = drafts.start(staff)
        changes.use_caller(draft, lookup.caller_by_key(f"user:{customer.id}"))
        changes.add_item(draft, 1, text="STR-BOOK")
        changes.update_details(draft, address={"name": customer.full_name, "line1": "1 Main St",
                                                    "city": "Portland", "region": "ME", "postal_code": "04101",
                                                    "country": "US"},
                                    shipping_code="us-media-mail", caller_phone="", call_notes="")
        placed = placing.place(draft, staff, "payment_link")
        number = placed.order.number
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == customer.email))
        url = LINK_RE.search(mail.text_body).group(1)
        db.session.remove()
    return number, url


def _accessible(page):
    violations = wcag_violations(page)
    assert not violations, describe(violations)


def _status(live_app, number):
    with live_app.app_context():
        status = db.session.scalar(select(Order.status).where(Order.number == number))
        db.session.remove()
    return status


def test_a_payment_link_is_paid_in_the_browser_once(live_app, live_shop, page, artifacts_dir):
    number, url = _link_order(live_app, live_shop)
    assert _status(live_app, number) == "pending_payment"
    response = page.goto(url)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Pay for order {number}")
    page.wait_for_selector(".stripe-standin")
    expect(page.locator("#order-summary")).to_contain_text("Soft Tissue Release")
    page.screenshot(path=str(artifacts_dir / "payment-link.png"), full_page=True)
    _accessible(page)
    fill_card(page, "4242 4242 4242 4242")
    page.get_by_role("button", name=re.compile(r"^Pay \$")).click()
    page.wait_for_url(re.compile(rf"/orders/{number}/thanks$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {number} is confirmed")
    assert _status(live_app, number) == "paid"

    again = page.goto(url)
    assert again.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {number} is paid")
    expect(page.locator(".lead")).to_contain_text("cannot be used again")
    page.screenshot(path=str(artifacts_dir / "payment-link-used.png"), full_page=True)
    _accessible(page)


def test_an_expired_payment_link_is_refused(live_app, live_shop, page):
    number, url = _link_order(live_app, live_shop)
    with live_app.app_context():
        link = db.session.scalar(select(PaymentLink).join(Order).where(Order.number == number))
        link.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()
    response = page.goto(url)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    assert page.get_by_role("button", name=re.compile(r"^Pay")).count() == 0
    assert page.goto(url[:-3] + "abc").status == 404
    assert _status(live_app, number) == "pending_payment"

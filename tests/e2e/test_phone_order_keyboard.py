"""A staff member keys phone orders in with the keyboard alone (page.keyboard: type, Tab, Enter, Alt+letter;
no clicks): find or create the caller, add the book by SKU, choose shipping, pay by check or by card."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order
from tests.factories import DEFAULT_PASSWORD, AddressFactory, UserFactory
from tests.support.accessibility import describe, wcag_violations

pytestmark = pytest.mark.e2e


def _user(live_app, **values):
    with live_app.app_context():
        user = UserFactory(**values)
        if values.get("role", "customer") == "customer":
            AddressFactory(user=user, name=user.full_name, line1="12 Harbor Street", city="Portland", region="ME",
                           postal_code="04101", is_default=True)
        email = user.email
        db.session.remove()
    return email


def _log_in(page, base_url, email):
    page.goto(base_url + "/account/login")
    page.get_by_label("Email").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/account$|/$"))


def _order(live_app, number):
    with live_app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        values = {name: getattr(order, name) for name in (
            "channel", "status", "payment_method", "staff_id", "shipping_method_code", "call_notes", "email",
            "caller_phone", "total_cents")}
        values["staff_email"] = order.staff.email if order.staff else None
        values["lines"] = [(line.sku, line.quantity) for line in order.lines]
        db.session.remove()
    return values


def _submit(page, key="Enter"):
    """Press a key that submits a form, and wait until the next page has loaded (its scripts too)."""
    with page.expect_navigation():
        page.keyboard.press(key)


def _accessible(page):
    violations = wcag_violations(page)
    assert not violations, describe(violations)


def _placed_number(page):
    page.wait_for_url(re.compile(r"/backoffice/phone/orders/STR-\d+$"))
    return page.url.rsplit("/", 1)[1]


def test_keyboard_alone_existing_caller_book_by_sku_priority_shipping_check(live_app, live_shop, page,
                                                                               artifacts_dir):
    tag = uuid.uuid4().hex[:8]
    staff = _user(live_app, role="staff", email=f"staff-{tag}@example.com", full_name="Sam Staff")
    caller = _user(live_app, email=f"caller-{tag}@example.com", full_name=f"Casey {tag}", phone="207 555 0142")
    _log_in(page, live_shop, staff)
    page.goto(live_shop + "/backoffice/phone/new")
    keys = page.keyboard

    expect(page.get_by_label(re.compile("Find the caller"))).to_be_focused()
    keys.type(caller)
    _submit(page)  # search
    expect(page.get_by_role("button", name=re.compile(f"Use Casey {tag}"))).to_be_focused()
    _submit(page)  # use this caller
    expect(page.locator("#caller-card")).to_contain_text(caller)

    expect(page.get_by_label("SKU or title")).to_be_focused()
    keys.type("STR-BOOK")
    _submit(page)  # add one copy
    expect(page.locator(".phone-lines")).to_contain_text("Soft Tissue Release")
    expect(page.locator(".phone-lines")).to_contain_text("1 held")
    expect(page.get_by_label("SKU or title")).to_be_focused()

    keys.press("Alt+S")
    expect(page.get_by_label(re.compile("^USPS Media Mail"))).to_be_focused()
    keys.press("ArrowDown")  # USPS Priority Mail: the total follows
    expect(page.get_by_label(re.compile("^USPS Priority Mail"))).to_be_checked()
    expect(page.locator("#order-total")).to_have_text("$61.90")
    keys.press("Alt+O")
    keys.type("Keyboard-only test call.")
    keys.press("Alt+M")
    expect(page.get_by_label("Card over the phone")).to_be_focused()
    keys.press("ArrowDown")
    expect(page.get_by_label("Check or money order")).to_be_checked()
    expect(page.locator(".pay-panel[data-method=check]")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "phone-order-keyboard.png"), full_page=True)
    _accessible(page)
    keys.press("Alt+P")

    number = _placed_number(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {number}")
    expect(page.locator(".phone-head__status")).to_contain_text("Phone order")
    expect(page.locator(".phone-head__status")).to_contain_text("Awaiting payment")
    expect(page.get_by_role("link", name="Next phone order")).to_be_focused()
    page.screenshot(path=str(artifacts_dir / "phone-order-placed.png"), full_page=True)
    _accessible(page)
    order = _order(live_app, number)
    assert (order["channel"], order["status"], order["payment_method"]) == ("phone", "pending_payment", "check")
    assert order["staff_email"] == staff and order["email"] == caller and order["caller_phone"] == "207 555 0142"
    assert order["shipping_method_code"] == "us-priority" and order["call_notes"] == "Keyboard-only test call."
    assert order["lines"] == [("STR-BOOK", 1)] and order["total_cents"] == 4995 + 1195


def test_keyboard_alone_new_customer_and_a_card_typed_into_the_payment_element(live_app, live_shop, page):
    tag = uuid.uuid4().hex[:8]
    staff = _user(live_app, role="staff", email=f"staff2-{tag}@example.com")
    _log_in(page, live_shop, staff)
    page.goto(live_shop + "/backoffice/phone/new")
    keys = page.keyboard

    keys.type(f"nobody-{tag}@example.com")
    _submit(page)
    expect(page.get_by_role("status").filter(has_text="Nobody matches")).to_be_visible()
    _accessible(page)
    keys.press("Alt+N")
    expect(page.get_by_label("Full name")).to_be_focused()
    for value in (f"Nina {tag}", f"nina-{tag}@example.com", "503 555 0177"):
        keys.type(value)
        keys.press("Tab")
    keys.press("Tab")  # the country stays United States
    for value in ("9 Elm Street", "", "Salem", "OR", "97301"):
        keys.type(value)
        keys.press("Tab")
    expect(page.get_by_role("button", name="Create customer and use")).to_be_focused()
    _submit(page)  # create the customer
    expect(page.locator("#caller-card")).to_contain_text(f"nina-{tag}@example.com")

    keys.type("str-book")
    keys.press("Tab")
    keys.press("Control+A")
    keys.type("2")
    _submit(page)
    expect(page.locator(".phone-lines")).to_contain_text("2 held")
    keys.press("Alt+M")
    expect(page.get_by_label("Card over the phone")).to_be_checked()
    keys.press("Tab")
    expect(page.get_by_label("Card number")).to_be_focused()
    keys.type("4242424242424242")
    keys.press("Tab")
    keys.type("1234")
    keys.press("Tab")
    keys.type("123")
    keys.press("Tab")
    keys.type("97301")
    keys.press("Enter")  # charges the card

    number = _placed_number(page)
    expect(page.locator(".phone-head__status")).to_contain_text("Paid")
    order = _order(live_app, number)
    assert (order["channel"], order["status"], order["payment_method"]) == ("phone", "paid", "card")
    assert order["staff_email"] == staff and order["email"] == f"nina-{tag}@example.com"
    assert order["lines"] == [("STR-BOOK", 2)]


def test_the_call_log_page_is_accessible_and_logs_a_callback_from_the_keyboard(live_app, live_shop, page):
    tag = uuid.uuid4().hex[:8]
    _log_in(page, live_shop, _user(live_app, role="staff", email=f"staff3-{tag}@example.com"))
    page.goto(live_shop + "/backoffice/phone/calls")
    keys = page.keyboard
    expect(page.get_by_label("What was the call about?")).to_be_focused()
    keys.press("ArrowDown")  # a callback requested
    for value in (f"Cal {tag}", "503 555 0123", ""):
        keys.press("Tab")
        keys.type(value)
    keys.press("Tab")
    keys.type("03042030")  # Chromium's date and time input: month, day, year (up to 6 digits: Tab moves on),
    keys.press("Tab")
    keys.type("0330P")  # hour, minute, AM/PM
    expect(page.get_by_label("Call back at (for a callback)")).to_have_value("2030-03-04T15:30")
    keys.press("Tab")  # the input's calendar button
    keys.press("Tab")
    expect(page.get_by_label("Order number (optional)")).to_be_focused()
    keys.press("Tab")  # the order number stays empty
    keys.type("Wants a call back about the kit.")
    keys.press("Tab")
    _submit(page)
    expect(page.locator(".call-table")).to_contain_text(f"Cal {tag}")
    expect(page.locator(".call-table")).to_contain_text("call back Mar 4, 3:30 PM")
    _accessible(page)

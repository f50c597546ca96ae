"""A purchase end to end in Chromium: storefront, cart, checkout with the Payment Element stand-in on
localstripe, the confirmation page, localstripe's webhook, and the confirmation e-mail over SMTP."""

import re
import time
import uuid

import pytest
import stripe
from playwright.sync_api import expect
from sqlalchemy import func, select

from shop.extensions import db
from shop.mail import worker
from shop.mail.models import OutboxMessage
from shop.orders.models import Order, OrderEvent
from shop.payments.models import ProcessedEvent
from tests.support.browser import BOOK_TITLE, COURSE_TITLE, fill_card, fill_cart, fill_checkout

pytestmark = pytest.mark.e2e

CARD_OK = "4242 4242 4242 4242"
CARD_DECLINED = "4000 0000 0000 0341"
CARD_3DS = "4000 0027 6000 3184"


def unique_email(label):
    return f"{label}-{uuid.uuid4().hex[:10]}@example.com"


def go_to_checkout(page, base_url, email):
    fill_cart(page, base_url)
    page.get_by_role("link", name="Checkout").click()
    page.wait_for_url("**/checkout")
    page.wait_for_selector(".stripe-standin")
    fill_checkout(page, email)


def place_order(page):
    page.get_by_role("button", name="Place order").click()


def confirmed_number(page):
    page.wait_for_url(re.compile(r"/orders/[^/]+/thanks$"))
    heading = page.get_by_role("heading", level=1)
    text = heading.inner_text()
    assert "is confirmed" in text, text
    return re.search(r"Order (\S+) is confirmed", text).group(1)


def orders_for(app, email):
    """(number, status) of every order placed with this e-mail address."""
    with app.app_context():
        result = [(o.number, o.status) for o in db.session.scalars(select(Order).where(Order.email == email))]
        db.session.remove()
        return result


def webhook_events_for(app, intent_ids, timeout=6.0):
    """The ids of processed Stripe events about these PaymentIntents (asks localstripe what each event was)."""
    deadline = time.monotonic() + timeout
    about = {}  # event id -> the PaymentIntent it was about
    while True:
        with app.app_context():
            ids = db.session.scalars(select(ProcessedEvent.event_id)
                                     .where(ProcessedEvent.event_type == "payment_intent.succeeded")).all()
            db.session.remove()
        for event_id in ids:
            if event_id not in about:
                about[event_id] = stripe.Event.retrieve(event_id)["data"]["object"]["id"]
        found = [event_id for event_id, intent_id in about.items() if intent_id in intent_ids]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


def test_a_customer_buys_the_book_and_a_course(live_app, live_shop, live_smtp, page):
    email = unique_email("buyer")
    fill_cart(page, live_shop)
    rows = page.locator(".cart-table tbody tr").all_inner_texts()  # a new browser context: the cart began empty
    assert len(rows) == 2 and BOOK_TITLE in rows[0] + rows[1] and COURSE_TITLE in rows[0] + rows[1], rows
    page.get_by_role("link", name="Checkout").click()
    page.wait_for_url("**/checkout")
    page.wait_for_selector(".stripe-standin")
    fill_checkout(page, email)
    assert page.locator("[name=shipping_method]:checked").count() == 1
    fill_card(page, CARD_OK)
    place_order(page)

    number = confirmed_number(page)
    assert number in page.title()

    with live_app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        assert order.email == email and order.is_paid
        intent_ids = {p.intent_id for p in order.payments}
        order_id = order.id
        db.session.remove()

    # localstripe sends payment_intent.succeeded about a second later; it changes nothing twice
    assert webhook_events_for(live_app, intent_ids), "localstripe's webhook never reached the shop"
    with live_app.app_context():
        kinds = db.session.scalars(select(OrderEvent.kind).where(OrderEvent.order_id == order_id)).all()
        assert kinds.count("paid") == 1 and kinds.count("email_queued") == 1, kinds
        queued = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                   .where(OutboxMessage.to_address == email))
        assert queued == 1
        worker.send_all_due()
        db.session.remove()

    deadline = time.monotonic() + 5
    mine = []
    while time.monotonic() < deadline and not mine:
        mine = [m for m in live_smtp.messages if m["To"] == email]
        time.sleep(0.05)
    assert len(mine) == 1, [m["Subject"] for m in mine]
    message = mine[0]
    assert number in message["Subject"]
    parts = {part.get_content_type(): part.get_payload(decode=True).decode()
             for part in message.walk() if not part.is_multipart()}
    text = parts["text/plain"]
    assert number in text and BOOK_TITLE in text and COURSE_TITLE in text
    assert "HOW TO START YOUR COURSE" in text
    assert "How to start your course" in parts["text/html"]


def test_a_declined_card_can_be_replaced_on_the_same_page(live_app, live_shop, page):
    email = unique_email("declined")
    go_to_checkout(page, live_shop, email)
    fill_card(page, CARD_DECLINED)
    place_order(page)

    expect(page.locator("#payment-error")).to_have_text("Your card was declined.")
    button = page.get_by_role("button", name="Place order")
    expect(button).to_be_enabled()
    expect(page.get_by_label("Card number")).to_be_focused()
    assert page.url.endswith("/checkout")

    fill_card(page, CARD_OK)
    button.click()
    number = confirmed_number(page)
    assert orders_for(live_app, email) == [(number, "paid")]


def test_three_d_secure_is_completed_in_the_dialog(live_app, live_shop, page):
    email = unique_email("threeds")
    go_to_checkout(page, live_shop, email)
    fill_card(page, CARD_3DS)
    place_order(page)

    dialog = page.get_by_role("dialog", name="3D Secure authentication")
    dialog.wait_for()
    dialog.get_by_role("button", name="Complete authentication").click()
    number = confirmed_number(page)
    assert orders_for(live_app, email) == [(number, "paid")]

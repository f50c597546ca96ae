"""The outbox and the shop's e-mails: enqueueing in the caller's transaction, dedupe, contents, dev mailbox."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shop import create_app
from shop.accounts import emails as account_emails
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail import messages as mail_messages
from shop.mail import outbox
from shop.mail import views as routes
from shop.mail.models import MAIL_PENDING, MAIL_SENT, OutboxMessage
from shop.mail.outbox import BadAddressError, enqueue
from shop.orders import emails as messages
from tests.factories import BookFactory, OrderFactory, OrderLineFactory, ProductFactory


def _count():
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_enqueue_adds_a_pending_row_without_committing(app):
    message = enqueue("pat@example.com", "Hello", "Text body", "<p>HTML body</p>")
    assert message in db.session.new
    db.session.rollback()  # the caller's transaction failed: the e-mail goes with it
    assert _count() == 0

    enqueue("pat@example.com", "Hello", "Text body", "<p>HTML body</p>")
    db.session.commit()
    row = db.session.scalars(select(OutboxMessage)).one()
    assert (row.status, row.attempts, row.to_address, row.subject) == (MAIL_PENDING, 0, "pat@example.com", "Hello")
    assert row.next_attempt_at is not None and row.sent_at is None


def test_an_order_and_its_email_are_saved_together(app):
    order = OrderFactory.build(email="pat@example.com")
    db.session.add(order)
    db.session.flush()
    enqueue(order.email, "Your order", "Thanks", order_id=order.id, dedupe_key=f"order-confirmation:{order.id}")
    db.session.rollback()
    assert _count() == 0


def test_dedupe_key_adds_one_message(app):
    assert enqueue("a@example.com", "One", "x", dedupe_key="k:1") is not None
    assert enqueue("a@example.com", "One", "x", dedupe_key="k:1") is None  # same transaction
    db.session.commit()
    assert enqueue("a@example.com", "One", "x", dedupe_key="k:1") is None  # a later transaction
    db.session.commit()
    assert _count() == 1


def test_unique_constraint_is_the_final_guard(app):
    enqueue("a@example.com", "One", "x", dedupe_key="k:2")
    db.session.commit()
    db.session.add(OutboxMessage(to_address="a@example.com", subject="Two", text_body="x", dedupe_key="k:2"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert _count() == 1


@pytest.mark.parametrize("to", ["", "   ", "a@example.com\r\nBcc: b@example.com"])
def test_enqueue_refuses_unusable_recipients(app, to):
    with pytest.raises(BadAddressError):
        enqueue(to, "Subject", "Body")


def test_subject_cannot_carry_a_newline(app):
    message = enqueue("a@example.com", "Hello\r\nBcc: evil@example.com", "Body")
    assert "\n" not in message.subject and "\r" not in message.subject


def _book_and_course_order():
    book = BookFactory(title="Soft Tissue Release, 4th edition", price_cents=4995)
    course = ProductFactory(title="Trigger Points of the Neck", price_cents=12900, ce_hours=Decimal("8"))
    order = OrderFactory(
        number="STR-104211", email="pat@example.com", customer_name="Pat Buyer", requires_shipping=True,
        shipping_method_name="USPS Media Mail", ship_name="Pat Buyer", ship_line1="12 Elm Street",
        ship_line2="Suite 4", ship_city="Springfield", ship_region="IL", ship_postal_code="62701",
        ship_country="US", subtotal_cents=2 * 4995 + 12900, discount_cents=1290, shipping_cents=499,
        tax_cents=812, pricing_snapshot={"adjustments": [{"name": "Spring sale 10% off courses",
                                                          "amount_cents": -1290}]},
    )
    order.total_cents = order.subtotal_cents - order.discount_cents + order.shipping_cents + order.tax_cents
    OrderLineFactory(order=order, product_id=book.id, title=book.title, kind="book", is_physical=True,
                     unit_price_cents=4995, quantity=2)
    OrderLineFactory(order=order, product_id=course.id, title=course.title, kind="course",
                     unit_price_cents=12900, quantity=1, discount_cents=1290)
    db.session.commit()
    return order


def test_order_confirmation_contents(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://shop.example.com")
    order = _book_and_course_order()
    with app.test_request_context(base_url="http://evil.test"):  # links never follow the request's host
        message = messages.order_confirmation(order)
        # My courses when the learning blueprint is registered, else the home page
        start_url = (mail_messages.absolute_url(messages.ACCOUNT_ENDPOINT)
                     or mail_messages.absolute_url(messages.HOME_ENDPOINT))
    db.session.commit()
    assert start_url == "https://shop.example.com/my/courses"
    assert "evil.test" not in message.text_body + message.html_body
    assert message.to_address == "pat@example.com"
    assert message.order_id == order.id and message.dedupe_key == f"order-confirmation:{order.id}"
    assert "STR-104211" in message.subject

    for body in (message.text_body, message.html_body):
        for expected in (
            "STR-104211", "Soft Tissue Release, 4th edition", "Trigger Points of the Neck",
            "$49.95", "$99.90",  # unit price and line total of two books
            "$129.00", "-$12.90" if body is message.text_body else "−$12.90",  # course price, its discount
            "$228.90",  # subtotal
            "Spring sale 10% off courses", "$12.90",  # discount by name
            "USPS Media Mail", "$4.99", "$8.12",  # shipping, tax
            "$229.11",  # total
            "12 Elm Street", "Suite 4", "Springfield IL 62701",  # address
            start_url,  # where to log in
            "My courses", "pat@example.com",
            app.config["ORDER_PHONE"], app.config["CONTACT_EMAIL"],
        ):
            assert expected in body, (expected, body)
    assert "create an account" in message.text_body
    assert '<html lang="en">' in message.html_body and "<th scope=\"col\"" in message.html_body


def test_order_confirmation_is_sent_once_per_order(app):
    order = _book_and_course_order()
    with app.test_request_context():
        assert messages.order_confirmation(order) is not None
        db.session.commit()
        assert messages.order_confirmation(order) is None
    db.session.commit()
    assert _count() == 1


def test_order_confirmation_outside_a_request_also_uses_the_public_base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://shop.example.org")
    order = _book_and_course_order()
    message = messages.order_confirmation(order)
    assert "https://shop.example.org/" in message.text_body


def test_order_without_courses_or_shipping_says_neither(app):
    order = OrderFactory(requires_shipping=False, subtotal_cents=1995, total_cents=1995)
    OrderLineFactory(order=order, kind="book", title="A gift card", unit_price_cents=1995)
    db.session.commit()
    with app.test_request_context():
        message = messages.order_confirmation(order)
    for body in (message.text_body, message.html_body):
        assert "My courses" not in body and "Shipping" not in body
        assert "A gift card" in body and "$19.95" in body


def test_account_emails(app):
    class User:
        email = "sam@example.com"
        full_name = "Sam <Therapist>"

    reset = account_emails.password_reset(User(), "https://shop.example.com/reset/abc?x=1&y=2")
    verify = account_emails.email_verification(User(), "https://shop.example.com/verify/xyz")
    db.session.commit()
    assert reset.subject.startswith("Reset your password") and reset.to_address == "sam@example.com"
    assert "https://shop.example.com/reset/abc?x=1&y=2" in reset.text_body
    assert "https://shop.example.com/reset/abc?x=1&amp;y=2" in reset.html_body
    assert verify.subject.startswith("Confirm your e-mail address")
    assert "https://shop.example.com/verify/xyz" in verify.text_body and "Sam <Therapist>" in verify.text_body
    assert "Sam &lt;Therapist&gt;" in verify.html_body
    assert _count() == 2


# --- the development mailbox ---------------------------------------------------------------------------

def test_dev_mailbox_is_absent_when_off(app, client):
    assert app.config["DEV_MAILBOX"] is False
    routes.init_app(app)  # what create_app calls: does nothing while DEV_MAILBOX is off
    assert "dev_mail" not in app.blueprints
    enqueue("a@example.com", "Secret", "x")
    db.session.commit()
    assert client.get("/dev/mail").status_code == 404
    assert client.get("/dev/mail/1").status_code == 404


@pytest.fixture
def dev_app(app):
    """A second app on the same database with DEV_MAILBOX on."""
    application = create_app("test", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDIA_ROOT": app.config["MEDIA_ROOT"],
        "DEV_MAILBOX": True,
    })
    routes.init_app(application)
    routes.init_app(application)  # twice is harmless
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_dev_mailbox_lists_and_shows_messages(app, dev_app):
    first = enqueue("first@example.com", "First message", "first text", "<p>first</p>")
    db.session.commit()
    second = enqueue("second@example.com", "Second <message>", "line one\nline two",
                     '<p onclick="x()">Hi &amp; welcome</p><script>alert(1)</script>')
    db.session.commit()
    first_id, second_id = first.id, second.id
    client = dev_app.test_client()

    listing = client.get("/dev/mail")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert page.index("Second &lt;message&gt;") < page.index("First message")  # newest first
    assert "second@example.com" in page and "pending" in page
    assert f"/dev/mail/{second_id}" in page and f"/dev/mail/{first_id}" in page

    detail = client.get(f"/dev/mail/{second_id}")
    assert detail.status_code == 200
    page = detail.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page  # the HTML body only ever appears escaped
    assert "srcdoc=\"&lt;p onclick=&#34;x()&#34;&gt;Hi &amp;amp; welcome" in page
    assert "sandbox" in page
    assert "line one\nline two" in page
    assert client.get("/dev/mail/999999").status_code == 404


def test_sent_emails_lose_their_single_use_links_after_the_retention_period(app):
    now = utcnow()
    old = outbox.enqueue("pat@example.com", "Reset your password", "https://shop.example/account/reset/SECRET",
                         "<a href='https://shop.example/account/reset/SECRET'>Reset</a>")
    recent = outbox.enqueue("sam@example.com", "Reset your password", "https://shop.example/account/reset/NEW")
    waiting = outbox.enqueue("lee@example.com", "Pay for your order", "https://shop.example/pay/TOKEN")
    for message, sent_days_ago in ((old, 8), (recent, 2)):
        message.status, message.sent_at = MAIL_SENT, now - timedelta(days=sent_days_ago)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["prune-attempts"])
    assert result.exit_code == 0 and "1 sent e-mails emptied of their links" in result.output
    db.session.expire_all()
    assert "SECRET" not in old.text_body + old.html_body and old.subject == "Reset your password"
    assert old.text_body.startswith("[This message was sent on")
    assert "NEW" in recent.text_body and "TOKEN" in waiting.text_body  # too recent, or not sent yet
    assert app.test_cli_runner().invoke(args=["prune-attempts"]).output.count("0 sent e-mails") == 1

"""Every change a customer should hear about reaches them through the outbox and a real SMTP server, once:
a cancellation (with what was refunded and when), a refund (full or partial, by line or amount), a check
received, a course staff opened. Repeating the event (a form sent twice, a webhook delivered again) sends
nothing more."""

import contextlib
import time
from email.header import decode_header, make_header

from sqlalchemy import select

from shop.courses import access as course_access
from shop.extensions import db
from shop.mail import worker
from shop.orders import checks, refunds
from shop.orders.models import Order, Refund
from tests.factories import ProductFactory, UserFactory
from tests.support.desk_helpers import DESK, logged_in, page, post_page_form, quick_order, web_order

pytest_plugins = ("tests.support.smtp",)


def delivered(smtp_server, count):
    """Run the mail worker; the messages the SMTP server received (exactly `count`, no more after a pause)."""
    worker.send_all_due()
    smtp_server.wait_for(count)
    time.sleep(0.2)
    messages = smtp_server.messages
    assert len(messages) == count, [m["Subject"] for m in messages]
    return messages


def text_of(message):
    return "\n".join(part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart())


def subject(message):
    return str(make_header(decode_header(message["Subject"])))


def fresh(order):
    db.session.expire_all()
    return db.session.get(Order, order.id)


def test_cancelling_a_paid_order_sends_one_email_with_the_refund_and_when_it_reaches_the_card(
        app, payments_on, smtp_server):
    order, _ = web_order(app, payments_on, copies=1, email="cancel@example.com")
    delivered(smtp_server, 1)  # the order confirmation
    staff, _ = logged_in(app)
    response = post_page_form(staff, f"{DESK}/{order.number}/cancel", {"reason": "Ordered twice by mistake"})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    mail = delivered(smtp_server, 2)[1]
    assert mail["Subject"] == f"Your order {order.number} has been cancelled"
    body = text_of(mail)
    assert f"${fresh(order).total_cents / 100:.2f}" in body and "5 to 10 business days" in body
    assert "Refund of" not in " ".join(m["Subject"] for m in smtp_server.messages)  # one e-mail, not two


def test_a_partial_refund_by_line_and_then_by_amount_each_email_once(app, payments_on, smtp_server):
    order, _ = web_order(app, payments_on, copies=2, email="refund@example.com")
    delivered(smtp_server, 1)
    staff, _ = logged_in(app)
    line = order.lines[0]
    url = f"{DESK}/{order.number}/refund"
    html = page(staff, url)
    from tests.support.desk_helpers import page_fields

    fields = {**page_fields(html), "mode": "lines", f"refund-qty-{line.id}": "1", "reason": "Cover arrived torn"}
    assert staff.post(url, data=fields).status_code == 303
    assert staff.post(url, data=fields).status_code == 409  # the same form again: no second refund, no e-mail
    first = delivered(smtp_server, 2)[1]
    assert first["Subject"].startswith("Partial refund of $")
    assert "1 x " + line.title in text_of(first) and "Cover arrived torn" in text_of(first)

    rest = fresh(order).paid_cents - fresh(order).refunded_cents
    assert post_page_form(staff, url, {"mode": "amount", "amount": f"{rest / 100:.2f}",
                                       "reason": "Goodwill"}).status_code == 303
    last = delivered(smtp_server, 3)[2]
    assert last["Subject"].startswith("Refund of $")  # now the whole order is refunded


def test_a_refund_made_in_stripes_dashboard_is_emailed_once_however_often_stripe_says_so(app, smtp_server):
    order = quick_order(email="dash@example.com", payment_method="card")
    for _ in range(3):  # the webhook delivered three times
        refunds.record_processor_refund(fresh(order), "re_dashboard_1", 1500, "requested_by_customer")
        db.session.commit()
    assert db.session.scalar(select(db.func.count(Refund.id))) == 1
    (mail,) = delivered(smtp_server, 1)
    assert "$15.00" in mail["Subject"]


def test_a_check_received_is_acknowledged_once(app, smtp_server):
    order = quick_order(paid=False, payment_method="check", email="check@example.com")
    staff = UserFactory(role="staff")
    checks.record_check(order, f"{order.total_cents / 100:.2f}", "MO 1042", staff)
    with contextlib.suppress(checks.ManualPaymentError):
        checks.record_check(fresh(order), f"{order.total_cents / 100:.2f}", "MO 1043", staff)
    subjects = [m["Subject"] for m in delivered(smtp_server, 2)]
    assert f"We received your payment for order {order.number}" in subjects
    received = next(m for m in smtp_server.messages if m["Subject"].startswith("We received"))
    assert "MO 1042" in text_of(received) and "MO 1043" not in text_of(received)


def test_a_course_opened_by_staff_is_emailed_to_the_customer_and_a_repeat_sends_nothing(app, smtp_server):
    customer = UserFactory(email="learner@example.com", full_name="Lee Learner")
    course = ProductFactory(title="Trigger Point Therapy")
    staff = UserFactory(role="staff")
    course_access.grant(customer, course, actor=staff, note="Paid by check 1042")
    with contextlib.suppress(course_access.AccessRefused):
        course_access.grant(customer, course, actor=staff)
    (mail,) = delivered(smtp_server, 1)
    assert subject(mail) == "You can now take “Trigger Point Therapy”"
    body = text_of(mail)
    assert f"/my/courses/{course.slug}" in body and "Paid by check" not in body  # staff's note stays internal

"""My account → an order: its lines, discounts, tax, shipments with tracking links, refunds and payments; a
printable receipt and its PDF (read back) holding them, with the card's brand and last four or the check's
number; only the order's owner (and staff) may open them."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order, Payment
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.desk_helpers import DESK, logged_in, page, post_page_form, quick_order, web_order
from tests.support.forms import log_in


def pdf_text(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"] and "no-store" in response.headers["Cache-Control"]
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


def owner_client(app, order):
    user = UserFactory(email=order.email)
    db.session.get(Order, order.id).user_id = user.id
    db.session.commit()
    client = app.test_client()
    log_in(client, user.email, DEFAULT_PASSWORD)
    return client


def test_card_order_shipped_and_partly_refunded_shows_everything_on_the_page_receipt_and_pdf(app, payments_on):
    order, _ = web_order(app, payments_on, copies=2, email="reader@example.com")
    payment = db.session.scalar(select(Payment).where(Payment.order_id == order.id, Payment.status == "succeeded"))
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")  # from Stripe, never typed in
    staff, _ = logged_in(app)
    line = order.lines[0]
    assert post_page_form(staff, f"{DESK}/{order.number}/ship", {
        "carrier": "USPS", "tracking_number": "9400100000000000000001", f"qty-{line.id}": "2"}).status_code == 303
    assert post_page_form(staff, f"{DESK}/{order.number}/refund", {
        "mode": "lines", f"refund-qty-{line.id}": "1", "reason": "Cover arrived torn"}).status_code == 303

    customer = owner_client(app, order)
    html = page(customer, f"/account/orders/{order.number}")
    for text in (line.title, "Visa ending 4242", "USPS", "tools.usps.com", "9400100000000000000001",
                 "Cover arrived torn", "Net paid", f"/account/orders/{order.number}/receipt"):
        assert text in html, text
    receipt = page(customer, f"/account/orders/{order.number}/receipt")
    for text in ("Receipt", order.number, "Soft Tissue Release Education", "Columbus, OH", "Visa ending 4242",
                 "Cover arrived torn", "data-print"):
        assert text in receipt, text

    text = pdf_text(customer.get(f"/account/orders/{order.number}/receipt.pdf"))
    order = db.session.get(Order, order.id)
    for expected in ("Receipt", order.number, line.title, "Visa ending 4242", "Cover arrived torn", "USPS",
                     f"${order.total_cents / 100:,.2f}",
                     f"Net paid: ${(order.paid_cents - order.refunded_cents) / 100:,.2f}"):
        assert expected in text, (expected, text[:800])

    staff_pdf = pdf_text(staff.get(f"{DESK}/{order.number}/receipt.pdf"))
    assert "Visa ending 4242" in staff_pdf
    assert f"{DESK}/{order.number}/receipt" in page(staff, f"{DESK}/{order.number}")


def test_a_check_order_receipt_names_the_check(app):
    order = quick_order(payment_method="check", email="check@example.com")
    db.session.add(Payment(order_id=order.id, idempotency_key=f"check:{order.id}", amount_cents=order.total_cents,
                           status="succeeded", provider="check", reference="1042"))
    db.session.commit()
    customer = owner_client(app, order)
    assert "Check or money order no. 1042" in page(customer, f"/account/orders/{order.number}/receipt")
    assert "Check or money order no. 1042" in pdf_text(customer.get(f"/account/orders/{order.number}/receipt.pdf"))


def test_nobody_else_opens_a_receipt_and_an_unpaid_order_has_none(app):
    order = quick_order(email="mine@example.com")
    db.session.add(Payment(order_id=order.id, idempotency_key="k", amount_cents=order.total_cents,
                           status="succeeded", provider="check", reference="1"))
    db.session.commit()
    owner_client(app, order)
    other = app.test_client()
    log_in(other, UserFactory(email="other@example.com").email, DEFAULT_PASSWORD)
    for url in (f"/account/orders/{order.number}", f"/account/orders/{order.number}/receipt",
                f"/account/orders/{order.number}/receipt.pdf"):
        assert other.get(url).status_code == 404, url
        assert app.test_client().get(url).status_code in (302, 401), url
    unpaid = quick_order(paid=False, email="mine@example.com")
    unpaid.user_id = db.session.scalar(select(Order.user_id).where(Order.id == order.id))
    db.session.commit()
    mine = app.test_client()
    log_in(mine, "mine@example.com", DEFAULT_PASSWORD)
    assert "not a receipt" in page(mine, f"/account/orders/{unpaid.number}/receipt")
    assert mine.get(f"/account/orders/{unpaid.number}/receipt.pdf").status_code == 404

"""The e-mails about an order: the receipt when it is paid, each shipment, a phone order's payment link, a
cancellation, each refund, and a check received (a course staff open: shop.courses.emails)."""

from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import current_app

from shop.catalogue.models import KIND_COMBO, KIND_COURSE, KIND_MEMBERSHIP, Product
from shop.extensions import db
from shop.mail import messages
from shop.mail.models import OutboxMessage
from shop.money import format_cents
from shop.orders.models import FULFILMENT_SHIPPED, Order, Shipment

ACCOUNT_ENDPOINT = "learning.my_courses"  # the confirmation sends course buyers straight to My courses
HOME_ENDPOINT = "catalogue.home"
TRACKING_URLS = {  # carrier (lower case) -> the carrier's tracking page for a number
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "ups": "https://www.ups.com/track?tracknum={}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={}",
    "dhl": "https://www.dhl.com/en/express/tracking.html?AWB={}",
    "canada post": "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={}",
}


def _number(order: Order) -> str:
    return order.number or str(order.id)


def adjustments(order: Order) -> list[dict[str, Any]]:
    """Discounts by name from the pricing snapshot, as positive amounts to subtract."""
    rows = []
    for item in (order.pricing_snapshot or {}).get("adjustments") or []:
        try:
            rows.append({"name": str(item["name"]), "amount_cents": abs(int(item["amount_cents"]))})
        except (KeyError, TypeError, ValueError):
            continue
    return [row for row in rows if row["amount_cents"]]


def course_titles(order: Order) -> list[str]:
    """Titles of what this order opens online: its courses (a combo's too) and the membership."""
    titles = []
    for line in order.lines:
        if line.kind in (KIND_COURSE, KIND_MEMBERSHIP):
            titles.append(line.title)
        elif line.kind == KIND_COMBO and line.product_id is not None:
            combo = db.session.get(Product, line.product_id)
            if combo is not None:
                titles.extend(course.title for course in combo.courses)
    return titles


def order_confirmation(order: Order) -> OutboxMessage | None:
    """The receipt for a paid order, once per order (dedupe key `order-confirmation:<id>`)."""
    number = _number(order)
    context = {
        "order": order, "number": number, "lines": list(order.lines), "adjustments": adjustments(order),
        "address_lines": order.shipping_address_lines if order.requires_shipping else [],
        "courses": course_titles(order),
        "account_url": messages.absolute_url(ACCOUNT_ENDPOINT) or messages.absolute_url(HOME_ENDPOINT),
    }
    subject = f"Your order {number} from {current_app.config['SHOP_NAME']}"
    return messages.send("order_confirmation", order.email, subject, context,
                         dedupe_key=f"order-confirmation:{order.id}", order_id=order.id)


def payment_link(order: Order, pay_url: str, expires_at: datetime) -> OutboxMessage | None:
    """A phone order's secure payment link (each link sent is its own e-mail: no dedupe key)."""
    number = _number(order)
    context = {"order": order, "number": number, "lines": list(order.lines), "adjustments": adjustments(order),
               "pay_url": pay_url, "expires_at": expires_at}
    subject = f"Pay for your order {number} from {current_app.config['SHOP_NAME']}"
    return messages.send("payment_link", order.email, subject, context, order_id=order.id)


def tracking_url(carrier: str | None, tracking_number: str | None) -> str | None:
    """The carrier's tracking page for this number, or None for an unknown carrier or no number."""
    template = TRACKING_URLS.get(" ".join((carrier or "").lower().split()))
    return template.format(quote(tracking_number, safe="")) if template and tracking_number else None


def shipment_notification(order: Order, shipment: Shipment) -> OutboxMessage | None:
    """The customer's "your order has shipped" e-mail: what is in this parcel, carrier and tracking number.

    One per shipment (dedupe key `shipment:<id>`), so a partial shipment and the rest each send their own.
    """
    number = _number(order)
    shipped = {line.order_line_id: line.quantity for line in shipment.lines}
    lines = [(line, shipped[line.id]) for line in order.lines if line.id in shipped]
    left = order.fulfilment_status != FULFILMENT_SHIPPED
    context = {
        "order": order, "number": number, "shipment": shipment, "lines": lines, "more_to_come": left,
        "tracking_url": tracking_url(shipment.carrier, shipment.tracking_number),
        "address_lines": order.shipping_address_lines,
    }
    subject = f"Your order {number} has {'partly ' if left else ''}shipped"
    return messages.send("shipment", order.email, subject, context, dedupe_key=f"shipment:{shipment.id}",
                         order_id=order.id)


CARD_REFUND_DAYS = "5 to 10 business days"  # what Stripe tells cardholders a refund takes to appear


def _refund_lines(refund: Any) -> list[tuple[Any, int, int]]:
    """(order line, units, cents) of a refund made by line, in the order's line order."""
    by_line = {part.order_line_id: part for part in refund.lines}
    return [(part.order_line, part.quantity, part.amount_cents)
            for part in sorted(by_line.values(), key=lambda p: p.order_line_id) if part.quantity]


def order_cancelled(order: Order, refund: Any = None, refund_error: str = "") -> OutboxMessage | None:
    """The customer's "order cancelled" e-mail: what was refunded, how and when it reaches them; once per
    order (dedupe key `order-cancelled:<id>`)."""
    number = _number(order)
    context = {"order": order, "number": number, "refund": refund, "refund_pending": bool(refund_error),
               "by_card": refund is not None and refund.method == "stripe", "card_days": CARD_REFUND_DAYS,
               "lines": list(order.lines)}
    subject = f"Your order {number} has been cancelled"
    return messages.send("order_cancelled", order.email, subject, context, dedupe_key=f"order-cancelled:{order.id}",
                         order_id=order.id)


def refund_made(order: Order, refund: Any) -> OutboxMessage | None:
    """The customer's refund e-mail (full or partial, by line or by amount), once per refund (`refund:<id>`)."""
    number = _number(order)
    full = order.refunded_cents >= order.paid_cents > 0
    context = {"order": order, "number": number, "refund": refund, "lines": _refund_lines(refund), "full": full,
               "by_card": refund.method == "stripe", "card_days": CARD_REFUND_DAYS,
               "account_url": messages.absolute_url("my_account.order", number=number)}
    subject = f"{'Refund' if full else 'Partial refund'} of {format_cents(refund.amount_cents)} for order {number}"
    return messages.send("refund", order.email, subject, context, dedupe_key=f"refund:{refund.id}",
                         order_id=order.id)


def payment_received(order: Order, payment: Any) -> OutboxMessage | None:
    """A check or money order has arrived and paid the order, once per payment (`payment-received:<id>`)."""
    number = _number(order)
    context = {"order": order, "number": number, "payment": payment, "courses": course_titles(order),
               "balance_cents": max(0, order.total_cents - payment.amount_cents),
               "account_url": messages.absolute_url("my_account.order", number=number)}
    subject = f"We received your payment for order {number}"
    return messages.send("payment_received", order.email, subject, context,
                         dedupe_key=f"payment-received:{payment.id}", order_id=order.id)


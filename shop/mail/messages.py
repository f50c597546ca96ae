"""The shop's e-mails: each rendered from a pair of templates (HTML and plain text) and put in the outbox.

Like `outbox.enqueue`, these add a row to the current session and leave the commit to the caller.
Templates live under templates/mail/; they get the app's filters (`money`, `shop_date`) and the
shop settings (shop name, order phone, contact e-mail) from the context processors.
"""

import logging
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for

from shop.catalogue.models import KIND_COMBO, KIND_COURSE, KIND_MEMBERSHIP, Product
from shop.extensions import db
from shop.mail.outbox import enqueue

log = logging.getLogger(__name__)

ACCOUNT_ENDPOINT = "accounts.account"
HOME_ENDPOINT = "catalogue.home"


def order_confirmation(order):
    """The receipt for a paid order, once per order (dedupe key `order-confirmation:<id>`)."""
    number = order.number or str(order.id)
    context = {
        "order": order,
        "number": number,
        "lines": list(order.lines),
        "adjustments": _adjustments(order),
        "address_lines": order.shipping_address_lines if order.requires_shipping else [],
        "courses": _course_titles(order),
        "account_url": absolute_url(ACCOUNT_ENDPOINT) or absolute_url(HOME_ENDPOINT),
    }
    subject = f"Your order {number} from {current_app.config['SHOP_NAME']}"
    return _enqueue_rendered("order_confirmation", order.email, subject, context,
                             dedupe_key=f"order-confirmation:{order.id}", order_id=order.id)


def password_reset(user, reset_url):
    """A link to choose a new password. Every request sends its own (no dedupe key)."""
    subject = f"Reset your password for {current_app.config['SHOP_NAME']}"
    return _enqueue_rendered("password_reset", user.email, subject, {"user": user, "reset_url": reset_url})


def email_verification(user, verify_url):
    """A link that confirms the customer owns the e-mail address."""
    subject = f"Confirm your e-mail address for {current_app.config['SHOP_NAME']}"
    return _enqueue_rendered("email_verification", user.email, subject, {"user": user, "verify_url": verify_url})


def render(name, **context):
    """(text, html) for templates/mail/<name>.txt and .html."""
    return render_template(f"mail/{name}.txt", **context), render_template(f"mail/{name}.html", **context)


def _enqueue_rendered(name, to, subject, context, **options):
    text_body, html_body = render(name, subject=subject, **context)
    return enqueue(to, subject, text_body, html_body, **options)


def absolute_url(endpoint, **values):
    """An absolute URL for an e-mail, or None when the endpoint does not exist or no host is known.

    Inside a request (a webhook, a checkout) the request's host is used; outside one (the CLI, a
    worker) SERVER_NAME, or PUBLIC_BASE_URL such as https://shop.example.com.
    """
    app = current_app
    if endpoint not in app.view_functions:
        return None
    if has_request_context() or app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    base = app.config.get("PUBLIC_BASE_URL")
    if not base:
        log.warning("No request, SERVER_NAME or PUBLIC_BASE_URL: e-mail links to %s left out", endpoint)
        return None
    parts = urlsplit(base)
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def _adjustments(order):
    """Discounts by name from the pricing snapshot, as positive amounts to subtract."""
    snapshot = order.pricing_snapshot or {}
    rows = []
    for item in snapshot.get("adjustments") or []:
        try:
            rows.append({"name": str(item["name"]), "amount_cents": abs(int(item["amount_cents"]))})
        except (KeyError, TypeError, ValueError):
            continue
    return [row for row in rows if row["amount_cents"]]


def _course_titles(order):
    """Titles of what this order gives online course access to (courses, combos holding one, membership)."""
    titles = []
    for line in order.lines:
        if line.kind in (KIND_COURSE, KIND_MEMBERSHIP):
            titles.append(line.title)
        elif line.kind == KIND_COMBO and line.product_id is not None:
            combo = db.session.get(Product, line.product_id)
            if combo is not None:
                titles.extend(c.component.title for c in combo.components if c.component.kind == KIND_COURSE)
    return titles


def payment_link(order, pay_url, expires_at):
    """A phone order's secure payment link (each link sent is its own e-mail: no dedupe key)."""
    number = order.number or str(order.id)
    context = {"order": order, "number": number, "lines": list(order.lines), "adjustments": _adjustments(order),
               "pay_url": pay_url, "expires_at": expires_at}
    subject = f"Pay for your order {number} from {current_app.config['SHOP_NAME']}"
    return _enqueue_rendered("payment_link", order.email, subject, context, order_id=order.id)


TRACKING_URLS = {  # carrier (lower case) -> the carrier's tracking page for a number
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "ups": "https://www.ups.com/track?tracknum={}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={}",
    "dhl": "https://www.dhl.com/en/express/tracking.html?AWB={}",
    "canada post": "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={}",
}


def tracking_url(carrier, tracking_number):
    """The carrier's tracking page for this number, or None for an unknown carrier or no number."""
    from urllib.parse import quote

    template = TRACKING_URLS.get(" ".join((carrier or "").lower().split()))
    return template.format(quote(tracking_number, safe="")) if template and tracking_number else None


def shipment_notification(order, shipment):
    """The customer's "your order has shipped" e-mail: what is in this parcel, carrier and tracking number.

    One per shipment (dedupe key `shipment:<id>`), so a partial shipment and the rest each send their own.
    """
    number = order.number or str(order.id)
    shipped = {line.order_line_id: line.quantity for line in shipment.lines}
    lines = [(line, shipped[line.id]) for line in order.lines if line.id in shipped]
    left = order.fulfilment_status != "shipped"
    context = {
        "order": order, "number": number, "shipment": shipment, "lines": lines, "more_to_come": left,
        "tracking_url": tracking_url(shipment.carrier, shipment.tracking_number),
        "address_lines": order.shipping_address_lines,
    }
    subject = f"Your order {number} has {'partly ' if left else ''}shipped"
    return _enqueue_rendered("shipment", order.email, subject, context, dedupe_key=f"shipment:{shipment.id}",
                             order_id=order.id)

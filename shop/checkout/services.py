"""The place-order pipeline, in the order it runs:

1. load: the cart, the customer's details, the shipping method for the destination;
2. check: the cart can still be bought (stock, courses already owned), the details are complete;
3. price: the pure pricing module computes every amount from the catalogue, never from the form;
4. place: one transaction writes the order (a snapshot of lines and prices) and takes the books
   from stock; the checkout token makes a second click find this order instead of making another;
5. pay: the processor charges exactly the order's total (see shop.payments.services).
"""

import hashlib
import json
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy.exc import IntegrityError

from shop.cart import services as cart_services
from shop.extensions import db
from shop.orders import services as orders
from shop.orders.models import STATUS_PAID, STATUS_PENDING_PAYMENT, Order
from shop.payments import services as payments
from shop.pricing import engine
from shop.pricing.types import Cart as PricingCart
from shop.shipping import services as shipping


class CheckoutError(Exception):
    """Something the customer must fix; `errors` maps form fields to messages."""

    def __init__(self, message, errors=None, status=400):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.status = status


@dataclass
class CheckoutDetails:
    email: str
    name: str
    phone: str = ""
    password: str = ""
    address: dict = field(default_factory=dict)
    shipping_code: str = ""
    payment_method_id: str = ""
    checkout_token: str = ""


@dataclass(frozen=True)
class Quote:
    breakdown: object
    methods: list
    selected: object
    country: str


def quote(cart, country="US", shipping_code="", *, channel="web", email=""):
    """Price the cart for a destination and channel; picks the first shipping method when none fits."""
    lines = cart_services.pricing_lines(cart)
    requires_shipping = any(line.is_physical for line in lines)
    methods = shipping.methods_for(country) if requires_shipping else []
    selected = next((m for m in methods if m.code == shipping_code), methods[0] if methods else None)
    pricing_cart = PricingCart(lines=lines, shipping=shipping.as_rate(selected), channel=channel,
                               tax_rate_basis_points=current_app.config["TAX_RATE_BASIS_POINTS"],
                               timezone=current_app.config["SHOP_TIMEZONE"])
    return Quote(engine.price(pricing_cart), methods, selected, country)


def _check_details(details, requires_shipping, methods):
    errors = {}
    if requires_shipping:
        for name, label in (("line1", "Address"), ("city", "City"), ("postal_code", "ZIP or postal code"),
                            ("country", "Country")):
            if not details.address.get(name, "").strip():
                errors[f"ship_{name}"] = f"{label} is needed to send you the printed items."
        if details.address.get("country") in ("US", "CA") and not details.address.get("region", "").strip():
            errors["ship_region"] = "State or province is needed for this country."
        if not any(m.code == details.shipping_code for m in methods):
            errors["shipping_method"] = "Choose a shipping method for this country."
    if errors:
        raise CheckoutError("Please check the highlighted fields.", errors)


def _fingerprint(breakdown, details):
    data = {
        "pricing": breakdown.snapshot(),
        "email": details.email,
        "address": details.address if breakdown.requires_shipping else {},
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _existing_order(token, fingerprint):
    """The order an earlier click of this checkout made, if it still matches the cart."""
    order = db.session.execute(db.select(Order).filter_by(checkout_token=token)).scalar_one_or_none()
    if order is None:
        return None
    if order.status == STATUS_PAID or order.pricing_snapshot.get("fingerprint") == fingerprint:
        return order
    if order.status == STATUS_PENDING_PAYMENT:
        orders.abandon(order, "The customer changed the cart or details and checked out again.")
    return None


def place_order(cart, details, user=None, channel="web"):
    """Run the pipeline; returns a payments.PaymentOutcome or raises CheckoutError."""
    done = db.session.execute(
        db.select(Order).filter_by(checkout_token=details.checkout_token, status=STATUS_PAID)
    ).scalar_one_or_none()
    if done is not None:  # a second click after the first one paid
        return payments.PaymentOutcome(payments.RESULT_PAID, done)
    if cart is None or not cart.items:
        raise CheckoutError("Your cart is empty.", status=409)
    problems = cart_services.problems(cart, email=details.email)
    if problems:
        raise CheckoutError(" ".join(problems), status=409)
    country = details.address.get("country", "US")
    priced = quote(cart, country, details.shipping_code)
    _check_details(details, priced.breakdown.requires_shipping, priced.methods)
    breakdown = priced.breakdown
    if breakdown.total_cents > 0 and not details.payment_method_id:
        raise CheckoutError("Enter your card details.", {"payment": "Enter your card details."})
    fingerprint = _fingerprint(breakdown, details)
    order = _existing_order(details.checkout_token, fingerprint)
    if order is None:
        order = _create(cart, details, breakdown, fingerprint, user, channel)
    if order.total_cents == 0:
        return payments.pay_free_order(order)
    return payments.pay_with_card(order, details.payment_method_id)


def _create(cart, details, breakdown, fingerprint, user, channel):
    products = {p.id: p for p in (item.product for item in cart.items)}
    try:
        order = orders.create_order(
            breakdown=breakdown, products=products,
            customer={"email": details.email, "name": details.name, "phone": details.phone},
            shipping_address={**details.address, "name": details.name},
            checkout_token=details.checkout_token, cart_id=cart.id, user_id=user.id if user else None,
            channel=channel, reservation_minutes=current_app.config["RESERVATION_MINUTES"],
        )
        order.pricing_snapshot = {**order.pricing_snapshot, "fingerprint": fingerprint}
        db.session.commit()
    except orders.OutOfStock as error:
        raise CheckoutError(str(error), status=409) from error
    except IntegrityError:  # the other click of a double click created it first
        db.session.rollback()
        order = db.session.execute(
            db.select(Order).filter_by(checkout_token=details.checkout_token)
        ).scalar_one_or_none()
        if order is None:
            raise CheckoutError("Please try again.", status=409) from None
    return order

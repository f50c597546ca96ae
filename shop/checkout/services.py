"""The place-order pipeline, in the order it runs:

1. load: the cart, the customer's details, the shipping method for the destination;
2. check: the cart can still be bought (stock, courses already owned), the details are complete;
3. price: the pure pricing module computes every amount from the catalogue, never from the form, with
   the live promotions, the cart's codes and the customer (a code that stopped applying is reported
   and taken off the cart);
4. place: one transaction writes the order (a snapshot of lines, prices and discounts), takes the
   books from stock and counts the promotions' uses against their limits (a limit reached meanwhile
   rolls it all back); the checkout token makes a second click find this order instead of making another;
5. pay: the processor charges exactly the order's total (see shop.payments.services).
"""

import hashlib
import json
from dataclasses import dataclass, field, replace

from flask import current_app, has_request_context
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from shop.cart import services as cart_services
from shop.extensions import db
from shop.orders import services as orders
from shop.orders.models import STATUS_PAID, STATUS_PENDING_PAYMENT, Order
from shop.payments import services as payments
from shop.pricing import engine
from shop.pricing.types import Cart as PricingCart
from shop.promotions import codes as promo_codes
from shop.promotions import loader, redemptions
from shop.shipping import services as shipping
from shop.timeutil import utcnow


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
    codes: tuple = ()  # shop.promotions.codes.CodeStatus for every code entered: applied, or why not
    context: object = None  # shop.promotions.codes.PricingContext the cart was priced with

    @property
    def stale_codes(self):
        return [status for status in self.codes if not status.applied]


def _customer(user, email, channel):
    """Who the promotions are for: the given customer, or on the web the one logged in; and their e-mail."""
    if user is None and channel == "web" and has_request_context() and current_user.is_authenticated:
        user = current_user
    email = (email or (user.email if user is not None else "") or "").strip().lower()
    return user, email


def quote(cart, country="US", shipping_code="", *, channel="web", email="", user=None, codes=None, now=None):
    """Price the cart for a destination and channel with the live promotions, the cart's codes (or `codes`)
    and the customer; picks the first shipping method when none fits."""
    if codes is None:
        codes = promo_codes.entered(cart)
    return quote_lines(cart_services.pricing_lines(cart), country, shipping_code, channel=channel, email=email,
                       user=user, codes=codes, now=now)


def quote_lines(lines, country="US", shipping_code="", *, channel="web", email="", user=None, codes=(), now=None,
                extra=()):
    """Price pricing.types.Line objects as quote() does. `extra`: pricing Promotions to price as if live
    (replacing a live one with the same id) and, if they need a code, as if their code was entered."""
    now = now or utcnow()
    user, email = _customer(user, email, channel)
    requires_shipping = any(line.is_physical for line in lines)
    methods = shipping.methods_for(country) if requires_shipping else []
    selected = next((m for m in methods if m.code == shipping_code), methods[0] if methods else None)
    context = promo_codes.pricing_context([promo_codes.normalise(c) for c in codes], email=email,
                                          user_id=user.id if user is not None else None, now=now)
    if extra:
        extra_ids = {p.id for p in extra}
        context = replace(context, promotions=tuple(p for p in context.promotions if p.id not in extra_ids)
                          + tuple(extra),
                          pairs=context.pairs + tuple((p.id, "") for p in extra if p.requires_code))
    pricing_cart = PricingCart(lines=tuple(lines), shipping=shipping.as_rate(selected), channel=channel,
                               tax_rate_basis_points=current_app.config["TAX_RATE_BASIS_POINTS"],
                               timezone=current_app.config["SHOP_TIMEZONE"], customer=context.customer,
                               codes=context.pairs)
    breakdown = engine.price(pricing_cart, context.promotions, now)
    # uses and budget change with every order: the cached ones are checked for what applied
    fresh = loader.with_fresh_counters(context.promotions, {a.promotion_id for a in breakdown.adjustments})
    if fresh is not context.promotions:
        context = replace(context, promotions=fresh)
        breakdown = engine.price(pricing_cart, fresh, now)
    return Quote(breakdown, methods, selected, country, promo_codes.statuses(context, breakdown), context)


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
    priced = quote(cart, country, details.shipping_code, channel=channel, email=details.email, user=user)
    _drop_stale_codes(cart, priced)
    _check_details(details, priced.breakdown.requires_shipping, priced.methods)
    breakdown = priced.breakdown
    if breakdown.total_cents > 0 and not details.payment_method_id:
        raise CheckoutError("Enter your card details.", {"payment": "Enter your card details."})
    fingerprint = _fingerprint(breakdown, details)
    order = _existing_order(details.checkout_token, fingerprint)
    if order is None:
        order = _create(cart, details, breakdown, fingerprint, user, channel, priced.context.code_ids)
    if order.total_cents == 0:
        return payments.pay_free_order(order)
    return payments.pay_with_card(order, details.payment_method_id)


def _drop_stale_codes(cart, priced):
    """A code that stopped applying (used up, expired, not for this customer) is reported and taken off."""
    stale = priced.stale_codes
    if not stale:
        return
    promo_codes.drop(cart, [status.code for status in stale])
    db.session.commit()
    message = " ".join(status.message for status in stale)
    removed = "We took it off your cart" if len(stale) == 1 else "We took them off your cart"
    raise CheckoutError(f"{message} {removed}: your total has changed, please review it.",
                        {"promo_code": message}, status=409)


def _create(cart, details, breakdown, fingerprint, user, channel, code_ids):
    """One transaction: the order, its stock and its uses of promotions and codes (see promotions.redemptions)."""
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
        redemptions.hold(order, breakdown, code_ids)
        db.session.commit()
    except orders.OutOfStock as error:
        raise CheckoutError(str(error), status=409) from error
    except redemptions.LimitReached as error:
        db.session.rollback()
        raise CheckoutError(error.message, {"promo_code": error.message}, status=409) from error
    except IntegrityError:  # the other click of a double click created it first
        db.session.rollback()
        order = db.session.execute(
            db.select(Order).filter_by(checkout_token=details.checkout_token)
        ).scalar_one_or_none()
        if order is None:
            raise CheckoutError("Please try again.", status=409) from None
    return order

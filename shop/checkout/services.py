"""The place-order pipeline, in the order it runs:

1. load: the cart, the customer's details, the shipping method for the destination;
2. check: the cart can still be bought (stock, courses already owned), the details are complete;
3. price: the pure pricing module computes every amount from the catalogue, never from the form, with
   the live promotions, the cart's codes and the customer (a code that stopped applying is reported
   and taken off the cart);
4. place: one transaction writes the order (a snapshot of lines, prices and discounts), takes the
   books from stock and counts the promotions' uses against their limits (a limit reached meanwhile
   rolls it all back); the checkout token makes a second click find this order instead of making another;
5. pay: the processor charges exactly the order's total (see shop.orders.payment).

Pricing is shop.quote's: the same quote the cart page and the phone desk show.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from shop.accounts import consent, ratelimit
from shop.accounts import services as accounts
from shop.cart import services as cart_services
from shop.cart.models import Cart
from shop.core.errors import Refusal
from shop.courses.access import owned_course_ids
from shop.extensions import db
from shop.orders import payment as payments
from shop.orders import services as orders
from shop.orders.models import STATUS_PAID, STATUS_PENDING_PAYMENT, Order
from shop.orders.reservations import OutOfStock
from shop.pricing.types import Breakdown
from shop.promotions import codes as promo_codes
from shop.promotions import redemptions
from shop.quote import Quote, quote

CHECK_FIELDS = "Please check the highlighted fields."


class CheckoutError(Refusal):
    """Something the customer must fix; `errors` maps form fields to messages."""

    status = 400


@dataclass
class CheckoutDetails:
    email: str
    name: str
    phone: str = ""
    password: str = ""
    address: dict[str, str] = field(default_factory=dict)
    shipping_code: str = ""
    payment_method_id: str = ""
    checkout_token: str = ""
    marketing_consent: bool = False  # "Send me news and offers", ticked


def account_for(details: "CheckoutDetails", user: Any) -> Any:
    """The customer to place the order for: the one logged in, else a new account when they chose a password
    (CheckoutError on the password field when that is refused), else None for a guest."""
    if user is not None or not details.password:
        return user
    try:
        return accounts.register_at_checkout(details.email, details.password, details.name,
                                             ip=ratelimit.client_address())  # the registration limit too
    except accounts.AccountError as error:
        raise CheckoutError(error.message, errors={"password": error.message}) from error


def check_details(priced: Quote, details: "CheckoutDetails") -> None:
    errors = priced.missing_details(details.address, details.shipping_code)
    if errors:
        raise CheckoutError(CHECK_FIELDS, errors=errors)


def _fingerprint(breakdown: Breakdown, details: "CheckoutDetails") -> str:
    data = {
        "pricing": breakdown.snapshot(),
        "email": details.email,
        "address": details.address if breakdown.requires_shipping else {},
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _existing_order(token: str, fingerprint: str) -> Order | None:
    """The order an earlier click of this checkout made, if it still matches the cart."""
    order = db.session.execute(db.select(Order).filter_by(checkout_token=token)).scalar_one_or_none()
    if order is None:
        return None
    if order.status == STATUS_PAID or order.pricing_snapshot.get("fingerprint") == fingerprint:
        return order
    if order.status == STATUS_PENDING_PAYMENT and payments.settle_unanswered(order) is not None:
        return order  # an unanswered charge paid it, or may still: it is not replaced (pay_with_card says which)
    if order.status == STATUS_PENDING_PAYMENT:
        orders.abandon(order, "The customer changed the cart or details and checked out again.")
    return None


def checkout(cart: Cart | None, details: "CheckoutDetails", user: Any = None) -> tuple[payments.PaymentOutcome, Any]:
    """The web checkout: the customer (a new account if they chose a password), then the pipeline.
    Returns (the payment's outcome, the customer or None for a guest). An account is made only once the
    cart, the details and the card reference pass the checks that need no customer (_could_place), so a
    checkout refused for those leaves no account; one refused later (stock taken meanwhile, a limit reached,
    a declined card) keeps the account made for it, as a registration."""
    if user is None and details.password:
        _could_place(cart, details)
    user = account_for(details, user)
    outcome = place_order(cart, details, user)
    if details.marketing_consent and outcome.status in PLACED:
        _record_consent(details, user)
    return outcome, user


PLACED = (payments.RESULT_PAID, payments.RESULT_PENDING, payments.RESULT_REQUIRES_ACTION)


def _record_consent(details: "CheckoutDetails", user: Any) -> None:
    """The ticked box, once the order is placed: for the address typed (a guest has no account), unless another
    account holds that address (see consent.record_from_form)."""
    consent.record_from_form(details.email, consent.SOURCE_CHECKOUT, customer=user)
    db.session.commit()


def _could_place(cart: Cart | None, details: "CheckoutDetails") -> None:
    """The checks of place_order that need no customer, made before an account is made for one."""
    if cart is None or not cart.items:
        raise CheckoutError("Your cart is empty.", status=409)
    problems = cart_services.problems(cart, set())
    if problems:
        raise CheckoutError(" ".join(problems), status=409)
    priced = quote(cart, details.address.get("country", "US"), details.shipping_code, email=details.email,
                   region=details.address.get("region", ""))
    check_details(priced, details)
    if priced.breakdown.total_cents > 0 and not details.payment_method_id:
        raise CheckoutError("Enter your card details.", errors={"payment": "Enter your card details."})


def place_order(cart: Cart | None, details: "CheckoutDetails", user: Any = None,
                channel: str = "web") -> payments.PaymentOutcome:
    """Run the pipeline; returns a payments.PaymentOutcome or raises CheckoutError."""
    done = db.session.execute(
        db.select(Order).filter_by(checkout_token=details.checkout_token, status=STATUS_PAID)
    ).scalar_one_or_none()
    if done is not None:  # a second click after the first one paid
        return payments.PaymentOutcome(payments.RESULT_PAID, done)
    if cart is None or not cart.items:
        raise CheckoutError("Your cart is empty.", status=409)
    problems = cart_services.problems(cart, owned_course_ids(user=user))  # never what a typed address owns
    if problems:
        raise CheckoutError(" ".join(problems), status=409)
    country = details.address.get("country", "US")
    priced = quote(cart, country, details.shipping_code, channel=channel, email=details.email, user=user,
                   region=details.address.get("region", ""))
    _drop_stale_codes(cart, priced)
    check_details(priced, details)
    breakdown = priced.breakdown
    if breakdown.total_cents > 0 and not details.payment_method_id:
        raise CheckoutError("Enter your card details.", errors={"payment": "Enter your card details."})
    fingerprint = _fingerprint(breakdown, details)
    order = _existing_order(details.checkout_token, fingerprint)
    if order is None:
        order = _create(cart, details, breakdown, fingerprint, user, channel, priced.context.code_ids)
    if order.total_cents == 0:
        return payments.pay_free_order(order)
    return payments.pay_with_card(order, details.payment_method_id)


def _drop_stale_codes(cart: Cart, priced: Quote) -> None:
    """A code that stopped applying (used up, expired, not for this customer) is reported and taken off."""
    stale = priced.stale_codes
    if not stale:
        return
    promo_codes.drop(cart, [status.code for status in stale])
    db.session.commit()
    message = " ".join(status.message for status in stale)
    removed = "We took it off your cart" if len(stale) == 1 else "We took them off your cart"
    raise CheckoutError(f"{message} {removed}: your total has changed, please review it.",
                        errors={"promo_code": message}, status=409)


def _create(cart: Cart, details: "CheckoutDetails", breakdown: Breakdown, fingerprint: str, user: Any,
            channel: str, code_ids: dict[str, int]) -> Order:
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
    except OutOfStock as error:
        raise CheckoutError(f"{error.message} Please change your cart.", status=409) from error
    except redemptions.LimitReached as error:
        db.session.rollback()
        raise CheckoutError(error.message, errors={"promo_code": error.message}, status=409) from error
    except IntegrityError:  # the other click of a double click created it first
        db.session.rollback()
        order = db.session.execute(
            db.select(Order).filter_by(checkout_token=details.checkout_token)
        ).scalar_one_or_none()
        if order is None:
            raise CheckoutError("Please try again.", status=409) from None
    return order

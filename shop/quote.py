"""What a cart costs, and why: load, then price with the pure pricing package, then tell.

Saleor's way: everything pricing needs is loaded first into plain data (the cart's lines, the shipping
methods for the destination, the live promotions and the codes the customer entered, who the customer
is), then shop.pricing.engine.price computes every amount without touching the database, and the quote
tells the page what it needs to say: each entered code applied or why not, and what is missing before
the order can be placed. Checkout, the cart page, code entry and the phone desk all price through here,
so a cart costs the same wherever it is seen.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context
from flask_login import current_user

from shop.cart import services as cart_services
from shop.cart.models import Cart
from shop.core.regions import region_code
from shop.core.timeutil import utcnow
from shop.orders.customers import is_first_order
from shop.pricing import engine
from shop.pricing.types import Breakdown, Line
from shop.pricing.types import Cart as PricingCart
from shop.promotions import codes as promo_codes
from shop.promotions import loader
from shop.shipping import services as shipping
from shop.shipping.models import ShippingMethod
from shop.tax import rules as tax_rules

ADDRESS_NEEDED = (("line1", "Address"), ("city", "City"), ("postal_code", "ZIP or postal code"), ("country", "Country"))
REGION_NEEDED = ("US", "CA")


@dataclass(frozen=True)
class Quote:
    breakdown: Breakdown
    methods: list[ShippingMethod]
    selected: ShippingMethod | None
    country: str
    codes: tuple[promo_codes.CodeStatus, ...] = ()  # every code entered: applied, or why not
    context: promo_codes.PricingContext | None = None  # what the cart was priced with

    @property
    def stale_codes(self) -> list[promo_codes.CodeStatus]:
        return [status for status in self.codes if not status.applied]

    def missing_details(self, address: Mapping[str, str], shipping_code: str) -> dict[str, str]:
        """{form field: message} for what an order of this cart still needs: an address and a shipping
        method when something ships; the state or province where online goods are taxed (empty when
        nothing is missing)."""
        errors = {}
        country, region = address.get("country") or "", (address.get("region") or "").strip()
        if self.breakdown.requires_shipping:
            for name, label in ADDRESS_NEEDED:
                if not (address.get(name) or "").strip():
                    errors[f"ship_{name}"] = f"{label} is needed to send you the printed items."
            if country in REGION_NEEDED and not region:
                errors["ship_region"] = "State or province is needed for this country."
            if not any(m.code == shipping_code for m in self.methods):
                errors["shipping_method"] = "Choose a shipping method for this country."
        elif country in REGION_NEEDED and not region and tax_rules.digital_goods_taxed_in(country):
            errors["ship_region"] = "Your state or province is needed for sales tax."
        if country in REGION_NEEDED and region and not region_code(country, region):
            errors["ship_region"] = ("Enter the state as its name or two-letter code, like OH." if country == "US"
                                     else "Enter the province as its name or two-letter code, like ON.")
        return errors


def _customer(user: Any, email: str, channel: str) -> tuple[Any, str, bool]:
    """Who the promotions are for: the given customer, or on the web the one logged in; their e-mail; and
    whether that address is proven (the account's own, confirmed; or a caller staff key in by phone)."""
    if user is None and channel == "web" and has_request_context() and current_user.is_authenticated:
        user = current_user
    email = (email or (user.email if user is not None else "") or "").strip().lower()
    own = user is not None and getattr(user, "email_verified_at", None) is not None \
        and (user.email or "").lower() == email
    return user, email, channel == "phone" or own


def quote(cart: Cart | None, country: str = "US", shipping_code: str = "", *, channel: str = "web",
          email: str = "", user: Any = None, codes: Sequence[str] | None = None,
          now: datetime | None = None, region: str = "") -> Quote:
    """Price the cart for a destination and channel with the live promotions, the cart's codes (or `codes`)
    and the customer; picks the first shipping method when none fits."""
    if codes is None:
        codes = promo_codes.entered(cart)
    return quote_lines(cart_services.pricing_lines(cart), country, shipping_code, channel=channel, email=email,
                       user=user, codes=codes, now=now, region=region)


def quote_lines(lines: Iterable[Line], country: str = "US", shipping_code: str = "", *, channel: str = "web",
                email: str = "", user: Any = None, codes: Sequence[str] = (), now: datetime | None = None,
                region: str = "") -> Quote:
    """Price pricing.types.Line objects as quote() does; `region` is the state or province as typed (the
    destination's sales tax; none until it is known)."""
    lines = tuple(lines)
    now = now or utcnow()
    user, email, verified = _customer(user, email, channel)
    user_id = user.id if user is not None else None
    requires_shipping = any(line.is_physical for line in lines)
    methods = shipping.methods_for(country) if requires_shipping else []
    selected = next((m for m in methods if m.code == shipping_code), methods[0] if methods else None)
    context = promo_codes.pricing_context([promo_codes.normalise(c) for c in codes], email=email, user_id=user_id,
                                          now=now, first_order=lambda: is_first_order(email, user_id),
                                          verified=verified)
    pricing_cart = PricingCart(lines=lines, shipping=shipping.as_rate(selected), channel=channel,
                               tax=tax_rules.rules_for(country, region),
                               timezone=current_app.config["SHOP_TIMEZONE"], customer=context.customer,
                               codes=context.pairs)
    breakdown = engine.price(pricing_cart, context.promotions, now)
    # uses and budget change with every order: the cached ones are checked for what applied
    fresh = loader.with_fresh_counters(context.promotions, {a.promotion_id for a in breakdown.adjustments})
    if fresh is not context.promotions:
        context = replace(context, promotions=fresh)
        breakdown = engine.price(pricing_cart, fresh, now)
    return Quote(breakdown, methods, selected, country, promo_codes.statuses(context, breakdown), context)


def apply_code(cart: Cart | None, text: str | None, *, channel: str = "web", email: str = "", user: Any = None,
               visitor: str = "", ip: str = "", country: str = "US") -> str:
    """Enter a promo code on the cart if it gives something there (shop.promotions.codes.apply_code, priced
    here); returns the message for the customer, or raises CodeError."""

    def price(codes: list[str]) -> tuple[tuple[promo_codes.CodeStatus, ...], Breakdown]:
        priced = quote(cart, country, channel=channel, email=email, user=user, codes=codes)
        return priced.codes, priced.breakdown

    return promo_codes.apply_code(cart, text, price, visitor=visitor, ip=ip)

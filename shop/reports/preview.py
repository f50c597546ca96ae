"""A promotion tried on a cart before it goes live: what a customer would pay now, and why it applies or not.

The cart is products and quantities, or a past order's lines at today's prices. The promotion is priced as
if live (a draft, paused or scheduled one), beside the live promotions, with fresh counters and the
customer's own uses, as checkout would price it. It calls the pricing engine itself rather than shop.quote,
because it prices a promotion that is not live (the row as marketing saved it, with its own per-customer
limit) beside the live set; the engine and the loader's conversions are the same ones checkout uses.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import selectinload

from shop.catalogue.models import Product
from shop.core.errors import Refusal
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.orders.customers import is_first_order
from shop.orders.models import Order
from shop.pricing import engine
from shop.pricing.types import Breakdown, Cart, Customer
from shop.promotions import admin_codes, loader
from shop.promotions.models import Promotion
from shop.promotions.status import display_status
from shop.shipping import services as shipping


class PreviewError(Refusal):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()), errors=errors)


@dataclass
class Preview:
    breakdown: Breakdown
    promotion_id: int
    treated_as_live: bool
    customer_note: str
    shipping_note: str
    notes: list[str] = field(default_factory=list)
    per_line: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # {sku: [(offer name, cents)]}

    @property
    def applied_here(self) -> list[Any]:
        return [a for a in self.breakdown.adjustments if a.promotion_id == self.promotion_id]


def _products(ids: list[int]) -> list[Product]:
    return db.session.scalars(db.select(Product).where(Product.id.in_(ids))
                              .options(selectinload(Product.categories), selectinload(Product.components))).all()


def _from_order(number: str) -> tuple[Order, dict[int, int], list[str]]:
    order = db.session.scalar(db.select(Order).where(Order.number == number.strip().upper())
                              .options(selectinload(Order.lines)))
    if order is None:
        raise PreviewError({"order_number": f"No order numbered {number.strip().upper()}."})
    quantities, missing = {}, []
    for line in order.lines:
        if line.product_id is None:
            missing.append(line.title)
        else:
            quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    return order, quantities, missing


def _offers(promotion: Promotion, now: datetime, email: str) -> tuple[tuple[Any, ...], bool]:
    """The live promotions, and this one as if live, with fresh counters and this customer's uses left.

    Returns (offers, whether this one is really live). The bridge is shop.promotions.loader.
    """
    this = loader.to_pricing(promotion)
    live = display_status(promotion, now) == "live"
    if not live:
        this = replace(this, active=True, starts_at=None, ends_at=None)
    entries = dict(loader.live_set().entries)
    entries[promotion.id] = loader.Loaded(this, promotion.state, max_per_customer=promotion.max_per_customer)
    offers = [*(p for p in loader.live_promotions(now) if p.id != promotion.id), this]
    offers = loader.with_fresh_counters(offers, {p.id for p in offers})
    return loader.for_customer(offers, entries, email), live


def preview(promotion: Promotion, quantities: dict[int, int], order_number: str = "", channel: str = "web",
            email: str = "", now: datetime | None = None) -> "Preview":
    """Price a cart (products and quantities, or a past order's lines) as the customer would see it now."""
    now = now or utcnow()
    notes = []
    country = "US"
    if order_number:
        order, quantities, missing = _from_order(order_number)
        email = email or order.email.lower()
        country = order.ship_country or "US"
        notes.append(f"The cart of order {order.number}, at today's prices.")
        notes.extend(f"{title} is no longer in the catalogue and is left out." for title in missing)
    if not quantities:
        raise PreviewError({"lines": "Choose at least one product, or enter a past order number."})
    products = _products(list(quantities))
    lines = tuple(p.pricing_line(quantities[p.id]) for p in products)
    requires_shipping = any(line.is_physical for line in lines)
    method = next(iter(shipping.methods_for(country)), None) if requires_shipping else None
    shipping_note = (f"{method.name}, to {country}" if method else
                     "No shipping method for this destination" if requires_shipping else "Nothing to ship")
    first = is_first_order(email)
    customer_note = (f"{email} ({'first order' if first else 'has ordered before'})" if email
                     else "No e-mail given: conditions on the customer cannot be met")
    try:
        offers, live = _offers(promotion, now, email)
    except ValueError as error:  # a promotion pricing cannot use (saved before today's checks)
        raise PreviewError({"lines": f"This promotion cannot be priced: {error}. Edit it first."}) from None
    code = admin_codes.shared_code(promotion) if promotion.requires_code else None
    cart = Cart(lines=lines, shipping=shipping.as_rate(method), channel=channel,
                customer=Customer(email=email or "", is_first_order=first, verified=bool(email)),
                codes=((promotion.id, code.code if code else "PREVIEW"),) if promotion.requires_code else (),
                timezone=current_app.config["SHOP_TIMEZONE"])
    breakdown = engine.price(cart, offers, now)
    per_line = {}
    for adjustment in breakdown.adjustments:
        for sku, cents in adjustment.per_line:
            per_line.setdefault(sku, []).append((adjustment.name, cents))
    return Preview(breakdown, promotion.id, not live, customer_note, shipping_note, notes, per_line)

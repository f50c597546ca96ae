"""What marketing reads: how promotions performed (by channel, CSV), and a preview of one on a cart.

Performance counts redemptions that are held (order placed, not paid yet) or confirmed (paid); a
released redemption (the order expired or was cancelled) is left out. Revenue is the orders' totals.
Every figure comes from grouped queries, so the number of queries does not grow with the promotions.
"""

import csv
import io
from dataclasses import dataclass, field, replace

from flask import current_app
from sqlalchemy import case, func
from sqlalchemy.orm import selectinload

from shop.catalogue.models import Product
from shop.extensions import db
from shop.money import format_cents
from shop.orders.models import CHANNEL_PHONE, CHANNEL_WEB, Order
from shop.pricing import engine
from shop.pricing import promotions as pricing
from shop.pricing.types import Cart, Line
from shop.promotions import admin_codes, admin_services
from shop.promotions.models import (
    REDEMPTION_CONFIRMED,
    REDEMPTION_HELD,
    REDEMPTION_RELEASED,
    Promotion,
    PromotionRedemption,
)
from shop.shipping import services as shipping
from shop.timeutil import utcnow

CHANNELS = (CHANNEL_WEB, CHANNEL_PHONE)
CHANNEL_LABELS = {CHANNEL_WEB: "Web", CHANNEL_PHONE: "Phone"}


@dataclass(frozen=True)
class Figures:
    held: int = 0
    confirmed: int = 0
    discount_cents: int = 0
    orders: int = 0
    revenue_cents: int = 0

    @property
    def redemptions(self):
        return self.held + self.confirmed

    def __add__(self, other):
        return Figures(self.held + other.held, self.confirmed + other.confirmed,
                       self.discount_cents + other.discount_cents, self.orders + other.orders,
                       self.revenue_cents + other.revenue_cents)


@dataclass(frozen=True)
class Performance:
    promotion: object
    by_channel: dict  # {channel: Figures}, every channel present

    @property
    def total(self):
        return sum(self.by_channel.values(), Figures())


def _figures(promotion_ids=None):
    """{(promotion id, channel): Figures} in one grouped query."""
    statement = (
        db.select(
            PromotionRedemption.promotion_id, PromotionRedemption.channel,
            func.sum(case((PromotionRedemption.status == REDEMPTION_HELD, 1), else_=0)),
            func.sum(case((PromotionRedemption.status == REDEMPTION_CONFIRMED, 1), else_=0)),
            func.coalesce(func.sum(PromotionRedemption.discount_cents), 0),
            func.count(func.distinct(PromotionRedemption.order_id)),
            func.coalesce(func.sum(Order.total_cents), 0),
        )
        .join(Order, Order.id == PromotionRedemption.order_id)
        .where(PromotionRedemption.status != REDEMPTION_RELEASED)
        .group_by(PromotionRedemption.promotion_id, PromotionRedemption.channel)
    )
    if promotion_ids is not None:
        statement = statement.where(PromotionRedemption.promotion_id.in_(promotion_ids))
    return {(pid, channel): Figures(int(held or 0), int(confirmed or 0), int(discount), int(orders), int(revenue))
            for pid, channel, held, confirmed, discount, orders, revenue in db.session.execute(statement)}


def _by_channel(figures, promotion_id):
    channels = {channel: figures.get((promotion_id, channel), Figures()) for channel in CHANNELS}
    for (pid, channel), value in figures.items():  # a channel the shop may add later
        if pid == promotion_id and channel not in channels:
            channels[channel] = value
    return channels


def usage(promotion_ids):
    """{promotion id: Figures} over all channels, for the list page."""
    totals = {}
    for (pid, _channel), value in _figures(promotion_ids).items():
        totals[pid] = totals.get(pid, Figures()) + value
    return totals


def performance(promotion):
    return Performance(promotion, _by_channel(_figures([promotion.id]), promotion.id))


def overview(page=1, per_page=100):
    """(list of Performance, total promotions), newest promotion first."""
    total = db.session.scalar(db.select(func.count(Promotion.id)))
    promotions = db.session.scalars(db.select(Promotion).order_by(Promotion.id.desc())
                                    .offset((page - 1) * per_page).limit(per_page)).all()
    figures = _figures([p.id for p in promotions])
    return [Performance(p, _by_channel(figures, p.id)) for p in promotions], total


def _cell(value):
    """A CSV cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


HEADER = ["promotion_id", "promotion", "status", "channel", "redemptions_held", "redemptions_confirmed",
          "discount_given", "orders", "revenue"]


def _rows(performance_item, now):
    promotion = performance_item.promotion
    status = admin_services.display_status(promotion, now)
    items = [*performance_item.by_channel.items(), ("all", performance_item.total)]
    for channel, f in items:
        yield [promotion.id, _cell(promotion.name), status, channel, f.held, f.confirmed,
               format_cents(f.discount_cents, ""), f.orders, format_cents(f.revenue_cents, "")]


def performance_csv(items, now=None):
    now = now or utcnow()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for item in items:
        writer.writerows(_rows(item, now))
    return out.getvalue()


def all_performance_csv(now=None):
    promotions = db.session.scalars(db.select(Promotion).order_by(Promotion.id)).all()
    figures = _figures()
    return performance_csv([Performance(p, _by_channel(figures, p.id)) for p in promotions], now)


# ---- preview ------------------------------------------------------------------------------------

class PreviewError(Exception):
    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Preview:
    breakdown: object
    promotion_id: int
    treated_as_live: bool
    customer_note: str
    shipping_note: str
    notes: list = field(default_factory=list)
    per_line: dict = field(default_factory=dict)  # {sku: [(offer name, cents)]}

    @property
    def not_applied_here(self):
        return [n for n in self.breakdown.not_applied if n.promotion_id == self.promotion_id]

    @property
    def applied_here(self):
        return [a for a in self.breakdown.adjustments if a.promotion_id == self.promotion_id]


def _line(product, quantity):
    return Line(product_id=product.id, sku=product.sku, title=product.title, kind=product.kind,
                unit_price_cents=product.price_cents, quantity=quantity, is_physical=product.is_physical,
                categories=frozenset(c.slug for c in product.categories))


def _products(ids):
    return db.session.scalars(db.select(Product).where(Product.id.in_(ids))
                              .options(selectinload(Product.categories), selectinload(Product.components))).all()


def _from_order(number):
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


def _offers(promotion, now, email):
    """The live promotions, and this one as if live, with fresh counters and this customer's uses left.

    Returns (offers, whether this one is really live). The bridge is shop.promotions.loader.
    """
    from shop.promotions import loader

    this = loader.to_pricing(promotion)
    live = admin_services.display_status(promotion, now) == "live"
    if not live:
        this = replace(this, active=True, starts_at=None, ends_at=None)
    entries = dict(loader.live_set().entries)
    entries[promotion.id] = loader.Loaded(this, promotion.state, max_per_customer=promotion.max_per_customer)
    offers = [*(p for p in loader.live_promotions(now) if p.id != promotion.id), this]
    offers = loader.with_fresh_counters(offers, {p.id for p in offers})
    return loader.for_customer(offers, entries, email), live


def preview(promotion, quantities, order_number="", channel="web", email="", now=None):
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
    lines = tuple(_line(p, quantities[p.id]) for p in products)
    requires_shipping = any(line.is_physical for line in lines)
    method = next(iter(shipping.methods_for(country)), None) if requires_shipping else None
    shipping_note = (f"{method.name}, to {country}" if method else
                     "No shipping method for this destination" if requires_shipping else "Nothing to ship")
    from shop.promotions import loader

    first = loader.is_first_order(email)
    customer_note = (f"{email} ({'first order' if first else 'has ordered before'})" if email
                     else "No e-mail given: conditions on the customer cannot be met")
    try:
        offers, live = _offers(promotion, now, email)
    except ValueError as error:  # a promotion pricing cannot use (saved before today's checks)
        raise PreviewError({"lines": f"This promotion cannot be priced: {error}. Edit it first."}) from None
    code = admin_codes.shared_code(promotion) if promotion.requires_code else None
    cart = Cart(lines=lines, shipping=shipping.as_rate(method), channel=channel,
                customer=pricing.Customer(email=email or "", is_first_order=first),
                codes=((promotion.id, code.code if code else "PREVIEW"),) if promotion.requires_code else (),
                tax_rate_basis_points=current_app.config["TAX_RATE_BASIS_POINTS"],
                timezone=current_app.config["SHOP_TIMEZONE"])
    breakdown = engine.price(cart, offers, now)
    per_line = {}
    for adjustment in breakdown.adjustments:
        for sku, cents in adjustment.per_line:
            per_line.setdefault(sku, []).append((adjustment.name, cents))
    return Preview(breakdown, promotion.id, not live, customer_note, shipping_note, notes, per_line)

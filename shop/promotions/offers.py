"""What customers see of promotions: the special offers page, and a live offer on a product page.

Everything reads the live set of shop.promotions.loader (cached per process), so a page costs no query
for promotions once the set is loaded.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from flask import current_app

from shop.core.timeutil import to_shop_time, utcnow
from shop.pricing import engine
from shop.pricing import promotions as promo
from shop.pricing.bundles import compare_bundle
from shop.pricing.types import Cart
from shop.promotions import loader
from shop.promotions.models import STATE_ACTIVE


@dataclass(frozen=True)
class OfferCard:
    """A live public promotion on the special offers page."""

    id: int
    name: str
    description: str
    ends_label: str  # "Ends December 1, 2026" or "No end date"
    code: str = ""  # the shared code to enter, for a code promotion marked public
    needs_code: bool = False
    bundle: tuple[loader.BundlePart, ...] = ()  # for a fixed price on a set
    bundle_price_cents: int = 0
    separately_cents: int = 0


@dataclass(frozen=True)
class ProductOffer:
    """A live automatic offer on one product bought alone: the price before and after."""

    name: str
    before_cents: int
    after_cents: int
    ends_label: str = ""

    @property
    def saving_cents(self) -> int:
        return self.before_cents - self.after_cents


def ends_label(ends_at: datetime | None) -> str:
    """The last day an offer runs, in shop time: an end at midnight means the day before is the last."""
    if ends_at is None:
        return "No end date"
    local = to_shop_time(ends_at - timedelta(microseconds=1), current_app.config["SHOP_TIMEZONE"])
    return f"Ends {local:%B} {local.day}, {local.year}"


def _running(promotion: promo.Promotion, now: datetime) -> bool:
    return (promotion.active and "web" in promotion.channels
            and (promotion.starts_at is None or promotion.starts_at <= now)
            and (promotion.ends_at is None or promotion.ends_at > now)
            and promotion.uses_left != 0 and promotion.budget_left_cents != 0)


def _for_everyone(promotion: promo.Promotion) -> bool:
    conditions = promotion.conditions
    return not (conditions.first_order_only or conditions.email_domains or conditions.customer_emails)


def special_offers(now: datetime | None = None) -> list[OfferCard]:
    """Live public promotions for the offers page, highest priority first: automatic ones, and code ones
    marked public (with their shared code)."""
    now = now or utcnow()
    live = loader.live_set()
    cards = []
    for promotion in live.promotions:
        entry = live.get(promotion.id)
        if not entry.is_public or entry.state != STATE_ACTIVE or not _running(promotion, now):
            continue
        card = OfferCard(promotion.id, promotion.name, entry.description, ends_label(promotion.ends_at),
                         code=entry.shared_code, needs_code=promotion.requires_code)
        if promotion.benefit.kind == promo.FIXED_PRICE and entry.bundle:
            comparison = compare_bundle(((p.unit_price_cents, p.quantity) for p in entry.bundle),
                                        promotion.benefit.amount_cents)
            card = replace(card, bundle=entry.bundle, bundle_price_cents=comparison.bundle_cents,
                           separately_cents=comparison.separately_cents)
        cards.append(card)
    return cards


def product_offer(product: Any, now: datetime | None = None) -> ProductOffer | None:
    """The live automatic offers open to everyone, on this product bought alone online; None if none applies."""
    if product.price_cents <= 0 or product.kind == "membership":
        return None
    now = now or utcnow()
    live = loader.live_set()
    offers = [p for p in live.promotions if not p.requires_code and live.get(p.id).is_public and _running(p, now)
              and _for_everyone(p) and p.benefit.kind != promo.FREE_SHIPPING]
    if not offers:
        return None
    breakdown = engine.price(Cart(lines=(product.pricing_line(),), channel="web",
                                  timezone=current_app.config["SHOP_TIMEZONE"]), offers, now)
    if breakdown.discount_cents <= 0:
        return None
    applied = [a for a in breakdown.adjustments if a.amount_cents > a.shipping_cents]
    ends = [p.ends_at for p in offers if p.ends_at is not None and any(a.promotion_id == p.id for a in applied)]
    return ProductOffer(name=" + ".join(a.name for a in applied), before_cents=breakdown.subtotal_cents,
                        after_cents=breakdown.subtotal_cents - breakdown.discount_cents,
                        ends_label=ends_label(min(ends)) if ends else "")

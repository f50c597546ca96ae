"""Shipping methods offered for a destination, and the defaults the shop starts with."""

from shop.extensions import db
from shop.pricing.types import ShippingRate
from shop.shipping.countries import REGION_CANADA, REGION_DOMESTIC, REGION_INTERNATIONAL, region_for
from shop.shipping.models import ShippingMethod

DEFAULT_METHODS = [
    {"code": "us-media-mail", "name": "USPS Media Mail", "region": REGION_DOMESTIC, "price_cents": 595,
     "free_over_cents": 7500, "delivery_estimate": "5–8 business days", "position": 0},
    {"code": "us-priority", "name": "USPS Priority Mail", "region": REGION_DOMESTIC, "price_cents": 1195,
     "free_over_cents": None, "delivery_estimate": "2–3 business days", "position": 1},
    {"code": "canada", "name": "Canada Post via USPS First-Class International", "region": REGION_CANADA,
     "price_cents": 1895, "free_over_cents": None, "delivery_estimate": "7–14 business days", "position": 2},
    {"code": "international", "name": "International Priority", "region": REGION_INTERNATIONAL,
     "price_cents": 2995, "free_over_cents": None, "delivery_estimate": "10–21 business days", "position": 3},
]


def seed_defaults() -> int:
    """Create the default methods that are missing; never overwrite what an admin changed."""
    existing = set(db.session.execute(db.select(ShippingMethod.code)).scalars())
    added = 0
    for values in DEFAULT_METHODS:
        if values["code"] not in existing:
            db.session.add(ShippingMethod(**values))
            added += 1
    db.session.commit()
    return added


def methods_for(country_code: str) -> list[ShippingMethod]:
    region = region_for(country_code)
    statement = (
        db.select(ShippingMethod)
        .where(ShippingMethod.is_active.is_(True), ShippingMethod.region == region)
        .order_by(ShippingMethod.position, ShippingMethod.id)
    )
    return list(db.session.execute(statement).scalars().all())


def as_rate(method: ShippingMethod | None) -> ShippingRate | None:
    if method is None:
        return None
    return ShippingRate(code=method.code, name=method.name, region=method.region, price_cents=method.price_cents,
                        free_over_cents=method.free_over_cents)

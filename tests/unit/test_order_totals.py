"""An order's summary adds up when a free-shipping offer takes the shipping off."""

import shop.models  # noqa: F401  (every model, so Order's relationships resolve)
from shop.orders.models import Order
from shop.pricing import engine
from shop.pricing import promotions as promo
from shop.pricing.types import Cart, Line, ShippingRate
from tests.unit.test_pricing_engine import NOW


def test_shipping_shows_its_price_and_the_offer_shows_as_the_discount():
    breakdown = engine.price(
        Cart(lines=(Line(1, "BOOK", "Book", "book", 4995, 1, is_physical=True),),
             shipping=ShippingRate("m", "Media Mail", "domestic", 595)),
        [promo.Promotion(1, "Free shipping", promo.Benefit(promo.FREE_SHIPPING))], now=NOW)
    order = Order(subtotal_cents=breakdown.subtotal_cents, shipping_cents=breakdown.shipping_cents,
                  tax_cents=breakdown.tax_cents, total_cents=breakdown.total_cents,
                  pricing_snapshot=breakdown.snapshot())
    assert breakdown.shipping_before_offers_cents == order.shipping_before_offers_cents == 595
    offers = sum(a["amount_cents"] for a in order.pricing_snapshot["adjustments"])
    assert order.subtotal_cents + order.shipping_before_offers_cents - offers + order.tax_cents == order.total_cents

"""An order's totals and lines, as the order writer (shop.orders.lines.write) freezes a priced cart onto it, add
up: also when a free-shipping offer takes the shipping off and shows as a discount instead."""

import shop.models  # noqa: F401  (every model, so Order's relationships resolve)
from shop.orders import lines
from shop.orders.models import Order
from shop.pricing import engine
from shop.pricing import promotions as promo
from shop.pricing.types import Cart, Line, ShippingRate, TaxRules
from tests.support.pricing import NOW

BOOK = Line(1, "BOOK", "Soft Tissue Release", "book", 4995, 2, is_physical=True)
COURSE = Line(2, "CE-TP", "Trigger Points", "course", 11900, 1)
MEDIA_MAIL = ShippingRate("us-media-mail", "USPS Media Mail", "domestic", 595)
OFFERS = [promo.Promotion(1, "Free shipping", promo.Benefit(promo.FREE_SHIPPING)),
          promo.Promotion(2, "Ten percent", promo.Benefit(promo.PERCENT_OFF, basis_points=1000))]


EVERYTHING_TAXED = TaxRules("US", "XX", 6250, taxes_shipping=True, taxes_digital=True)


def _priced(*cart_lines):
    return engine.price(Cart(lines=cart_lines, shipping=MEDIA_MAIL, tax=EVERYTHING_TAXED), OFFERS, now=NOW)


def test_shipping_shows_its_price_and_the_offer_shows_as_the_discount():
    breakdown = _priced(BOOK, COURSE)
    order = lines.write(Order(), breakdown)

    # the order's totals are the breakdown's, and they add up
    assert (order.subtotal_cents, order.discount_cents, order.shipping_cents, order.tax_cents, order.total_cents) == (
        breakdown.subtotal_cents, breakdown.discount_cents, breakdown.shipping_cents, breakdown.tax_cents,
        breakdown.total_cents)
    assert order.discount_cents > 0 and order.tax_cents > 0 and order.requires_shipping
    assert order.total_cents == order.subtotal_cents - order.discount_cents + order.shipping_cents + order.tax_cents
    assert (order.shipping_method_code, order.shipping_method_name) == ("us-media-mail", "USPS Media Mail")

    # one line per cart line, each a snapshot that adds up, and together they make the order's goods total
    assert [(line.sku, line.quantity, line.unit_price_cents) for line in order.lines] == [
        ("BOOK", 2, 4995), ("CE-TP", 1, 11900)]
    for line in order.lines:
        assert line.subtotal_cents == line.unit_price_cents * line.quantity
        assert line.total_cents == line.subtotal_cents - line.discount_cents
    assert sum(line.subtotal_cents for line in order.lines) == order.subtotal_cents
    assert sum(line.discount_cents for line in order.lines) == order.discount_cents
    assert sum(line.total_cents for line in order.lines) + order.shipping_cents + order.tax_cents == order.total_cents

    # the summary a customer reads: shipping at its price, every offer as a discount, the same total
    assert order.shipping_cents == 0 and order.shipping_before_offers_cents == 595
    offers = sum(a["amount_cents"] for a in order.pricing_snapshot["adjustments"])
    assert offers == order.discount_cents + 595
    assert order.subtotal_cents + order.shipping_before_offers_cents - offers + order.tax_cents == order.total_cents


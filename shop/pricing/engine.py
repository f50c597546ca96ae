"""price(cart) -> Breakdown: the one place where totals are computed.

Order of work: line subtotals; discounts (allocated to lines to the cent); shipping, when
something physical is in the cart (free over the method's threshold, measured on goods after
discounts); tax on goods after discounts plus shipping; total. Deterministic and pure.
"""

from shop.pricing.types import Breakdown, PricedLine


class PricingError(ValueError):
    """The cart cannot be priced as it stands (for example: physical goods but no shipping method)."""


def _shipping_cents(cart, goods_total, requires_shipping):
    if not requires_shipping:
        return 0
    rate = cart.shipping
    if rate is None:
        return 0
    if rate.free_over_cents is not None and goods_total >= rate.free_over_cents:
        return 0
    return rate.price_cents


def _tax_cents(taxable_cents, basis_points):
    """Tax rounded half up to the cent, in integers."""
    if basis_points <= 0 or taxable_cents <= 0:
        return 0
    return (taxable_cents * basis_points + 5000) // 10000


def price(cart, adjustments=()):
    """Price the cart. `adjustments` are discounts already decided (promotions come later through here)."""
    lines = tuple(sorted(cart.lines, key=lambda line: line.sku))
    skus = [line.sku for line in lines]
    if len(set(skus)) != len(skus):
        raise PricingError("a product appears on two lines")
    discount_by_sku = dict.fromkeys(skus, 0)
    for adjustment in adjustments:
        for sku, cents in adjustment.per_line:
            discount_by_sku[sku] += cents
    priced = tuple(PricedLine(line, min(discount_by_sku[line.sku], line.subtotal_cents)) for line in lines)
    subtotal = sum(p.subtotal_cents for p in priced)
    discount = sum(p.discount_cents for p in priced)
    goods_total = subtotal - discount
    requires_shipping = any(line.is_physical for line in lines)
    full_shipping = cart.shipping.price_cents if (requires_shipping and cart.shipping) else 0
    shipping = _shipping_cents(cart, goods_total, requires_shipping)
    tax = _tax_cents(goods_total + shipping, cart.tax_rate_basis_points)
    return Breakdown(
        lines=priced,
        adjustments=tuple(adjustments),
        subtotal_cents=subtotal,
        discount_cents=discount,
        shipping_cents=shipping,
        shipping_discount_cents=full_shipping - shipping,
        tax_cents=tax,
        total_cents=goods_total + shipping + tax,
        requires_shipping=requires_shipping,
        shipping=cart.shipping if requires_shipping else None,
        currency=cart.currency,
    )

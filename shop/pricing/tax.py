"""Sales tax by destination, per line: pure, with the destination's rules passed in.

The order's tax is the rate applied to everything taxable there (goods after discounts; shipping after
shipping offers, where shipping is taxed; online goods only where they are taxed), rounded half up to
the cent once. That amount is then allocated over the taxed lines and shipping in proportion to their
taxable amounts (largest remainder, to the cent), so the lines' taxes add up to the order's exactly and
a refund can give back exactly the tax of what it refunds.
"""

from collections.abc import Sequence

from shop.money import allocate
from shop.pricing.types import PricedLine, TaxRules

MILLIPERCENT = 100_000  # 100% in thousandths of a percent


def tax_on(taxable_cents: int, rate_millipercent: int) -> int:
    """`taxable_cents` at the rate, rounded half up to the cent, in integers."""
    if rate_millipercent <= 0 or taxable_cents <= 0:
        return 0
    return (taxable_cents * rate_millipercent + MILLIPERCENT // 2) // MILLIPERCENT


def apply(lines: Sequence[PricedLine], shipping_cents: int, rules: TaxRules | None) -> tuple[tuple[PricedLine, ...],
                                                                                          int]:
    """(the lines with their tax, the tax on shipping) for a destination's rules (None: no tax)."""
    if rules is None or rules.rate_millipercent <= 0:
        return tuple(lines), 0
    bases = [line.total_cents if rules.taxes(line.line) else 0 for line in lines]
    shipping_base = shipping_cents if rules.taxes_shipping else 0
    total = tax_on(sum(bases) + shipping_base, rules.rate_millipercent)
    if total == 0:
        return tuple(lines), 0
    *per_line, shipping_tax = allocate(total, [*bases, shipping_base])
    taxed = tuple(PricedLine(line.line, line.discount_cents, tax) for line, tax in zip(lines, per_line, strict=True))
    return taxed, shipping_tax

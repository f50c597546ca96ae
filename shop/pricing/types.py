"""Plain, frozen data that pricing reads and returns. Money is integer cents throughout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict


@dataclass(frozen=True)
class Customer:
    """Who is buying. `verified`: the address is proven (a signed-in account whose e-mail is confirmed, or
    a caller staff identified on the phone); offers for an address, a domain, listed customers or a first
    order are only for a verified customer, never for whatever address a guest types."""

    email: str = ""
    is_first_order: bool = True
    verified: bool = False


@dataclass(frozen=True)
class NotApplied:
    promotion_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class Line:
    """One cart line as pricing sees it: a snapshot of the product, never a database row."""

    product_id: int
    sku: str
    title: str
    kind: str
    unit_price_cents: int
    quantity: int
    is_physical: bool = False
    categories: frozenset[str] = field(default_factory=frozenset)  # category slugs

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(f"{self.sku}: quantity must be at least 1")
        if self.unit_price_cents < 0:
            raise ValueError(f"{self.sku}: a price cannot be negative")

    @property
    def subtotal_cents(self) -> int:
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True)
class ShippingRate:
    code: str
    name: str
    region: str
    price_cents: int
    free_over_cents: int | None = None


@dataclass(frozen=True)
class TaxRules:
    """The sales tax of one destination (a US state or Canadian province), as the shop's admins set it.

    `rate_millipercent` is thousandths of a percent: 7.25% is 7250. Goods shipped are always taxed at the
    rate; shipping only if `taxes_shipping`; electronically delivered goods (online courses, the
    membership) only if `taxes_digital`."""

    country: str
    region: str
    rate_millipercent: int
    name: str = ""
    taxes_shipping: bool = False
    taxes_digital: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.rate_millipercent <= 100_000:
            raise ValueError("a tax rate is between 0% and 100%")

    @property
    def label(self) -> str:
        return self.name or f"Sales tax ({self.region})"

    def taxes(self, line: Line) -> bool:
        return line.is_physical or self.taxes_digital


@dataclass(frozen=True)
class Cart:
    lines: tuple[Line, ...]
    shipping: ShippingRate | None = None
    tax: TaxRules | None = None  # None: no tax where the order goes
    channel: str = "web"
    currency: str = "USD"
    customer: Customer | None = None
    codes: tuple[tuple[int, str], ...] = ()  # (promotion_id, code) pairs the customer unlocked with a code
    timezone: str = "UTC"  # for dates in reasons ("starts on December 1, 2026")


@dataclass(frozen=True)
class Adjustment:
    """A discount, by name, with its amount split over the lines it came from (to the cent)."""

    promotion_id: int | None
    name: str
    amount_cents: int
    per_line: tuple[tuple[str, int], ...] = ()  # (sku, cents) pairs
    shipping_cents: int = 0  # the part of amount_cents taken off shipping
    code: str = ""


@dataclass(frozen=True)
class PricedLine:
    line: Line
    discount_cents: int
    tax_cents: int = 0  # this line's share of the order's tax (not in total_cents)

    @property
    def subtotal_cents(self) -> int:
        return self.line.subtotal_cents

    @property
    def total_cents(self) -> int:
        return self.line.subtotal_cents - self.discount_cents


class ShippingSnapshot(TypedDict):
    code: str
    name: str
    price_cents: int


class LineSnapshot(TypedDict):
    sku: str
    quantity: int
    unit_price_cents: int
    discount_cents: int
    total_cents: int
    tax_cents: int


class TaxSnapshot(TypedDict):
    country: str
    region: str
    name: str
    rate_millipercent: int
    taxes_shipping: bool
    taxes_digital: bool


class AdjustmentSnapshot(TypedDict):
    promotion_id: int | None
    code: str
    name: str
    amount_cents: int
    per_line: list[list[str | int]]  # [sku, cents] pairs
    shipping_cents: int


class PricingSnapshot(TypedDict):
    """What Breakdown.snapshot() returns (JSON-ready)."""

    currency: str
    subtotal_cents: int
    discount_cents: int
    shipping_cents: int
    shipping_discount_cents: int
    tax_cents: int
    shipping_tax_cents: int
    tax: TaxSnapshot | None
    total_cents: int
    shipping: ShippingSnapshot | None
    lines: list[LineSnapshot]
    adjustments: list[AdjustmentSnapshot]


@dataclass(frozen=True)
class Breakdown:
    lines: tuple[PricedLine, ...]
    adjustments: tuple[Adjustment, ...]
    subtotal_cents: int
    discount_cents: int
    shipping_cents: int
    shipping_discount_cents: int
    tax_cents: int
    total_cents: int
    requires_shipping: bool
    shipping: ShippingRate | None
    currency: str = "USD"
    not_applied: tuple[NotApplied, ...] = ()  # each live offer that did not apply, and why
    shipping_tax_cents: int = 0  # the part of tax_cents charged on shipping
    tax: TaxRules | None = None  # the destination's rules the tax was computed with

    @property
    def shipping_before_offers_cents(self) -> int:
        return self.shipping_cents + self.shipping_discount_cents

    @property
    def goods_total_cents(self) -> int:
        return self.subtotal_cents - self.discount_cents

    def snapshot(self) -> PricingSnapshot:
        """A JSON-ready record of how the order was priced, kept with the order for ever."""
        return {
            "currency": self.currency,
            "subtotal_cents": self.subtotal_cents,
            "discount_cents": self.discount_cents,
            "shipping_cents": self.shipping_cents,
            "shipping_discount_cents": self.shipping_discount_cents,
            "tax_cents": self.tax_cents,
            "shipping_tax_cents": self.shipping_tax_cents,
            "tax": None if self.tax is None else {
                "country": self.tax.country, "region": self.tax.region, "name": self.tax.label,
                "rate_millipercent": self.tax.rate_millipercent, "taxes_shipping": self.tax.taxes_shipping,
                "taxes_digital": self.tax.taxes_digital,
            },
            "total_cents": self.total_cents,
            "shipping": None if self.shipping is None else {
                "code": self.shipping.code, "name": self.shipping.name, "price_cents": self.shipping.price_cents,
            },
            "lines": [
                {"sku": p.line.sku, "quantity": p.line.quantity, "unit_price_cents": p.line.unit_price_cents,
                 "discount_cents": p.discount_cents, "total_cents": p.total_cents, "tax_cents": p.tax_cents}
                for p in self.lines
            ],
            "adjustments": [
                {"promotion_id": a.promotion_id, "code": a.code, "name": a.name, "amount_cents": a.amount_cents,
                 "per_line": [list(pair) for pair in a.per_line], "shipping_cents": a.shipping_cents}
                for a in self.adjustments
            ],
        }

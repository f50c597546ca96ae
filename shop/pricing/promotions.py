"""Promotions as pricing sees them: what they give, to which lines, on which conditions.

Plain frozen data, filled by shop.promotions.loader from the database. Nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shop.pricing.types import Line

PERCENT_OFF = "percent"
AMOUNT_OFF = "amount"
FIXED_PRICE = "fixed_price"
BUY_X_GET_Y = "buy_x_get_y"
FREE_SHIPPING = "free_shipping"
BENEFITS = (PERCENT_OFF, AMOUNT_OFF, FIXED_PRICE, BUY_X_GET_Y, FREE_SHIPPING)
FULL = 10000  # basis points in 100 %

STACKING_RULES = (
    "Offers are tried from the highest priority down (ties: the older offer first).",
    "Combinable offers apply together, one after another, each to what is left to pay after the ones "
    "before it, so two offers never discount the same cent twice.",
    "An exclusive offer never applies with any other offer: the customer gets whichever is larger, the "
    "exclusive offer alone or all the combinable offers together (on a tie, the higher priority wins).",
    "Free shipping is applied after the discounts on goods, to the shipping that would otherwise be charged.",
    "A discount never exceeds what it applies to, nor the offer's remaining budget.",
)


@dataclass(frozen=True)
class Target:
    """Which lines an offer applies to. Exclusions win over inclusions."""

    everything: bool = True
    product_ids: frozenset[int] = field(default_factory=frozenset)
    categories: frozenset[str] = field(default_factory=frozenset)  # category slugs
    kinds: frozenset[str] = field(default_factory=frozenset)
    exclude_product_ids: frozenset[int] = field(default_factory=frozenset)
    exclude_categories: frozenset[str] = field(default_factory=frozenset)
    exclude_kinds: frozenset[str] = field(default_factory=frozenset)

    def matches(self, line: Line) -> bool:
        if (line.product_id in self.exclude_product_ids or line.kind in self.exclude_kinds
                or line.categories & self.exclude_categories):
            return False
        if self.everything:
            return True
        return line.product_id in self.product_ids or line.kind in self.kinds or bool(line.categories & self.categories)


@dataclass(frozen=True)
class Conditions:
    min_subtotal_cents: int = 0  # of the lines the offer applies to
    min_quantity: int = 0  # items among those lines
    first_order_only: bool = False
    email_domains: frozenset[str] = field(default_factory=frozenset)  # lower case, without "@"
    customer_emails: frozenset[str] = field(default_factory=frozenset)  # lower case


@dataclass(frozen=True)
class Benefit:
    kind: str
    basis_points: int = 0  # percent off (1500 = 15 %); for buy X get Y, the discount on the Y items
    amount_cents: int = 0  # amount off; for a fixed price, the price of one set
    bundle: tuple[tuple[int, int], ...] = ()  # fixed price: ((product_id, quantity), ...) that make one set
    buy_quantity: int = 0
    get_quantity: int = 0

    def __post_init__(self) -> None:
        if self.kind not in BENEFITS:
            raise ValueError(f"unknown benefit {self.kind!r}")
        if not 0 <= self.basis_points <= FULL or self.amount_cents < 0:
            raise ValueError("a benefit needs 0-100 % and a non-negative amount")


@dataclass(frozen=True)
class Promotion:
    id: int
    name: str
    benefit: Benefit
    target: Target = field(default_factory=Target)
    conditions: Conditions = field(default_factory=Conditions)
    requires_code: bool = False
    channels: frozenset[str] = frozenset({"web", "phone"})
    active: bool = True  # False when draft, paused or ended by marketing
    starts_at: datetime | None = None  # naive UTC
    ends_at: datetime | None = None
    exclusive: bool = False
    priority: int = 0
    uses_left: int | None = None  # None: no limit
    budget_left_cents: int | None = None
    customer_uses_left: int | None = None  # for this cart's customer

    @property
    def sort_key(self) -> tuple[int, int]:
        return (-self.priority, self.id)

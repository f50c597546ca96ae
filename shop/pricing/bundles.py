"""What a combo deal costs against buying its parts separately."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class BundleComparison:
    separately_cents: int
    bundle_cents: int

    @property
    def saving_cents(self) -> int:
        return max(0, self.separately_cents - self.bundle_cents)

    @property
    def saving_percent(self) -> int:
        """Whole percent saved, rounded down so the shop never overstates a saving."""
        if self.separately_cents <= 0:
            return 0
        return self.saving_cents * 100 // self.separately_cents


def compare_bundle(parts: Iterable[tuple[int, int]], bundle_cents: int) -> BundleComparison:
    """parts: iterable of (unit_price_cents, quantity)."""
    separately = 0
    for unit_cents, quantity in parts:
        if unit_cents < 0 or quantity < 1:
            raise ValueError("a bundle part needs a price of zero or more and a quantity of one or more")
        separately += unit_cents * quantity
    if bundle_cents < 0:
        raise ValueError("a bundle price cannot be negative")
    return BundleComparison(separately_cents=separately, bundle_cents=bundle_cents)

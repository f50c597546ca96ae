"""price(cart, promotions, now) -> Breakdown: the one place where totals are computed.

Order of work: line subtotals; which offers can apply (and why the others cannot); the best
allowed combination of offers (see promotions.STACKING_RULES), each discount allocated to the lines
it came from to the cent; shipping (free over the method's threshold, measured on goods after
discounts), then free-shipping offers; tax by the destination's rules, per line (shop.pricing.tax); total.
Deterministic: lines are taken in SKU order and offers in priority order, whatever order they come in.

Over 300 lines: every amount the shop charges is computed here and nowhere else, in the order above;
keeping the steps in one module keeps that order readable from top to bottom.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeAlias, TypeVar
from zoneinfo import ZoneInfo

from shop.money import allocate, format_cents
from shop.pricing import promotions as promo
from shop.pricing import tax as sales_tax
from shop.pricing.types import Adjustment, Breakdown, Cart, Customer, Line, NotApplied, PricedLine

# What _apply returns: (adjustments, goods discount {sku: cents}, shipping before offers, shipping discount, skipped)
_Applied: TypeAlias = tuple[list[Adjustment], dict[str, int], int, int, list[NotApplied]]
_Key = TypeVar("_Key", int, str)


class PricingError(ValueError):
    """The cart cannot be priced as it stands."""


def _date(value: datetime, timezone: str) -> str:
    local = value.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    return f"{local:%B} {local.day}, {local.year}"


def _union_of(index_map: dict[_Key, set[int]], keys: frozenset[_Key]) -> set[int]:
    """The indexes of the lines that any of these keys leads to."""
    chosen: set[int] = set()
    for key in keys:
        chosen |= index_map.get(key, set())
    return chosen


class _Matcher:
    """Which lines each target matches, through an index of the cart (the hot path with many offers)."""

    def __init__(self, lines: tuple[Line, ...]) -> None:
        self.lines = lines
        self.by_id: dict[int, set[int]] = {}
        self.by_kind: dict[str, set[int]] = {}
        self.by_category: dict[str, set[int]] = {}
        for index, line in enumerate(lines):
            self.by_id.setdefault(line.product_id, set()).add(index)
            self.by_kind.setdefault(line.kind, set()).add(index)
            for category in line.categories:
                self.by_category.setdefault(category, set()).add(index)
        self.memo: dict[int, tuple[Line, ...]] = {}

    def _indexes(self, target: promo.Target) -> set[int]:
        if target.everything:
            chosen = set(range(len(self.lines)))
        else:
            chosen = (_union_of(self.by_id, target.product_ids) | _union_of(self.by_kind, target.kinds)
                      | _union_of(self.by_category, target.categories))
        if chosen and (target.exclude_product_ids or target.exclude_kinds or target.exclude_categories):
            chosen = {i for i in chosen if target.matches(self.lines[i])}
        return chosen

    def __call__(self, promotion: promo.Promotion) -> tuple[Line, ...]:
        found = self.memo.get(promotion.id)
        if found is None:
            found = self.memo[promotion.id] = tuple(self.lines[i] for i in sorted(self._indexes(promotion.target)))
        return found

    def ceiling(self, promotion: promo.Promotion, cart: Cart) -> int:
        """The most this offer could possibly give on this cart (its lines, plus shipping if it is free shipping)."""
        if promotion.benefit.kind == promo.FREE_SHIPPING:
            return cart.shipping.price_cents if cart.shipping else 0
        return sum(line.subtotal_cents for line in self(promotion))


def _why_not(promotion: promo.Promotion, cart: Cart, eligible: Sequence[Line], now: datetime) -> str | None:
    """None if the offer may apply to this cart; otherwise the reason, in words for people."""
    if not promotion.active:
        return "not running (paused or ended)"
    if promotion.starts_at and now < promotion.starts_at:
        return f"not started yet: starts on {_date(promotion.starts_at, cart.timezone)}"
    if promotion.ends_at and now >= promotion.ends_at:
        return f"expired on {_date(promotion.ends_at, cart.timezone)}"
    if cart.channel not in promotion.channels:
        return "not available for " + ("phone orders" if cart.channel == "phone" else "online orders")
    if promotion.uses_left is not None and promotion.uses_left <= 0:
        return "used up"
    if promotion.budget_left_cents is not None and promotion.budget_left_cents <= 0:
        return "used up (its budget is spent)"
    if promotion.customer_uses_left is not None and promotion.customer_uses_left <= 0:
        return "already used by this customer"
    conditions = promotion.conditions
    customer = cart.customer or Customer()
    email = (customer.email or "").lower()
    about_the_customer = conditions.first_order_only or conditions.email_domains or conditions.customer_emails
    if about_the_customer and not customer.verified:
        return "for signed-in customers whose e-mail address is confirmed: log in to use it"
    if conditions.first_order_only and not customer.is_first_order:
        return "for a customer's first order only"
    if conditions.email_domains and email.rpartition("@")[2] not in conditions.email_domains:
        domains = ", ".join(sorted(conditions.email_domains))
        return f"only for email addresses at {domains}" if email else "needs your email address first"
    if conditions.customer_emails and email not in conditions.customer_emails:
        return "only for selected customers"
    if not eligible:
        return "nothing in the cart that it applies to"
    if conditions.min_subtotal_cents and sum(line.subtotal_cents for line in eligible) < \
            conditions.min_subtotal_cents:
        return f"minimum subtotal {format_cents(conditions.min_subtotal_cents)} not reached"
    if conditions.min_quantity and sum(line.quantity for line in eligible) < conditions.min_quantity:
        return f"minimum quantity of {conditions.min_quantity} not reached"
    return None


def _goods_discount(promotion: promo.Promotion, matched: Sequence[Line],
                    remaining: dict[str, int]) -> tuple[dict[str, int], None] | tuple[None, str]:
    """{sku: cents} this offer takes off its lines, given what is left to pay on each; or a reason."""
    benefit = promotion.benefit
    eligible = [line for line in matched if remaining[line.sku] > 0]
    if not eligible:
        return None, "nothing left to discount"
    if benefit.kind == promo.PERCENT_OFF:
        base = sum(remaining[line.sku] for line in eligible)
        total = (base * benefit.basis_points + promo.FULL // 2) // promo.FULL
        weights = [remaining[line.sku] for line in eligible]
    elif benefit.kind == promo.AMOUNT_OFF:
        base = sum(remaining[line.sku] for line in eligible)
        total = min(benefit.amount_cents, base)
        weights = [remaining[line.sku] for line in eligible]
    elif benefit.kind == promo.FIXED_PRICE:
        by_id = {line.product_id: line for line in eligible}
        sets = min((by_id[pid].quantity // qty if pid in by_id else 0) for pid, qty in benefit.bundle) \
            if benefit.bundle else 0
        if sets == 0:
            return None, "needs every product of the set in the cart"
        in_set = [by_id[pid] for pid, _ in sorted(benefit.bundle)]
        regular = sum(by_id[pid].unit_price_cents * qty for pid, qty in benefit.bundle)
        total = sets * max(0, regular - benefit.amount_cents)
        eligible = sorted(in_set, key=lambda line: line.sku)
        weights = [by_id[line.product_id].unit_price_cents * dict(benefit.bundle)[line.product_id]
                   for line in eligible]
        total = min(total, sum(remaining[line.sku] for line in eligible))
    elif benefit.kind == promo.BUY_X_GET_Y:
        group = benefit.buy_quantity + benefit.get_quantity
        units = sorted(((line.unit_price_cents, line.sku) for line in eligible for _ in range(line.quantity)),
                       key=lambda unit: (-unit[0], unit[1]))
        if benefit.get_quantity < 1 or len(units) < group:
            return None, f"buy {benefit.buy_quantity} to get {benefit.get_quantity}: not enough items"
        per_sku: dict[str, int] = {}
        for start in range(0, len(units) - group + 1, group):
            for price, sku in units[start + benefit.buy_quantity:start + group]:
                per_sku[sku] = per_sku.get(sku, 0) + (price * benefit.basis_points + promo.FULL // 2) // promo.FULL
        discounts = {sku: min(cents, remaining[sku]) for sku, cents in per_sku.items()}
        return _capped(promotion, discounts), None
    else:
        return {}, None
    if total <= 0:
        return None, "gives nothing on this cart"
    shares = allocate(total, weights)
    discounts = {line.sku: min(share, remaining[line.sku]) for line, share in zip(eligible, shares, strict=True)}
    return _capped(promotion, discounts), None


def _capped(promotion: promo.Promotion, discounts: dict[str, int]) -> dict[str, int]:
    """Keep within the offer's remaining budget, taking the excess back from the last lines."""
    budget = promotion.budget_left_cents
    if budget is None or sum(discounts.values()) <= budget:
        return discounts
    capped: dict[str, int] = {}
    left = budget
    for sku in sorted(discounts):
        capped[sku] = min(discounts[sku], left)
        left -= capped[sku]
    return capped


def _shipping_before_offers(cart: Cart, goods_total: int, requires_shipping: bool) -> int:
    rate = cart.shipping
    if not requires_shipping or rate is None:
        return 0
    if rate.free_over_cents is not None and goods_total >= rate.free_over_cents:
        return 0
    return rate.price_cents


def _code_for(promotion: promo.Promotion, cart: Cart) -> str:
    return next((code for pid, code in cart.codes if pid == promotion.id), "")


def _apply(option: Iterable[promo.Promotion], cart: Cart, lines: tuple[Line, ...], matcher: _Matcher) -> _Applied:
    """Apply these offers one after another; returns (adjustments, goods {sku: cents}, shipping cents, skipped)."""
    remaining = {line.sku: line.subtotal_cents for line in lines}
    adjustments: list[Adjustment] = []
    skipped: list[NotApplied] = []
    shipping_offers: list[promo.Promotion] = []
    for promotion in option:
        if promotion.benefit.kind == promo.FREE_SHIPPING:
            shipping_offers.append(promotion)
            continue
        discounts, reason = _goods_discount(promotion, matcher(promotion), remaining)
        if reason or not discounts or sum(discounts.values()) <= 0:
            skipped.append(NotApplied(promotion.id, promotion.name, reason or "gives nothing on this cart"))
            continue
        for sku, cents in discounts.items():
            remaining[sku] -= cents
        per_line = tuple(sorted((sku, cents) for sku, cents in discounts.items() if cents))
        adjustments.append(Adjustment(promotion.id, promotion.name, sum(discounts.values()), per_line,
                                      code=_code_for(promotion, cart)))
    goods_discount = {line.sku: line.subtotal_cents - remaining[line.sku] for line in lines}
    requires_shipping = any(line.is_physical for line in lines)
    goods_total = sum(remaining.values())
    shipping = _shipping_before_offers(cart, goods_total, requires_shipping)
    shipping_discount = 0
    for promotion in shipping_offers:
        if not requires_shipping:
            skipped.append(NotApplied(promotion.id, promotion.name, "nothing in the cart needs shipping"))
        elif shipping - shipping_discount <= 0:
            skipped.append(NotApplied(promotion.id, promotion.name, "shipping is already free"))
        else:
            cents = shipping - shipping_discount
            if promotion.budget_left_cents is not None:
                cents = min(cents, promotion.budget_left_cents)
            shipping_discount += cents
            adjustments.append(Adjustment(promotion.id, promotion.name, cents, (), shipping_cents=cents,
                                          code=_code_for(promotion, cart)))
    return adjustments, goods_discount, shipping, shipping_discount, skipped


def price(cart: Cart, promotions: Sequence[promo.Promotion] = (), now: datetime | None = None) -> Breakdown:
    """Price the cart with the offers that apply; report each one that does not, and why."""
    lines = tuple(sorted(cart.lines, key=lambda line: line.sku))
    skus = [line.sku for line in lines]
    if len(set(skus)) != len(skus):
        raise PricingError("a product appears on two lines")
    if promotions and now is None:
        raise PricingError("pricing with promotions needs the time (now)")
    unlocked = {pid for pid, _ in cart.codes}
    candidates = sorted((p for p in promotions if not p.requires_code or p.id in unlocked),
                        key=lambda p: p.sort_key)
    not_applied: list[NotApplied] = []
    eligible: list[promo.Promotion] = []
    matcher = _Matcher(lines)
    for promotion in candidates:
        assert now is not None  # there are promotions, and promotions without the time were refused above
        reason = _why_not(promotion, cart, matcher(promotion), now)
        if reason:
            not_applied.append(NotApplied(promotion.id, promotion.name, reason))
        else:
            eligible.append(promotion)

    def value(result: _Applied) -> int:
        return sum(a.amount_cents for a in result[0])

    # The combinable offers together first; then each exclusive offer alone, skipping any that could
    # not beat the best so far even if it took everything it applies to.
    options = [[p for p in eligible if not p.exclusive]]
    results = [_apply(options[0], cart, lines, matcher)]
    best_index, best_value = 0, value(results[0])
    for promotion in (p for p in eligible if p.exclusive):
        options.append([promotion])
        if matcher.ceiling(promotion, cart) <= best_value:
            results.append(([], {}, 0, 0, [NotApplied(promotion.id, promotion.name,
                                                             "gives less than the other offers")]))
            continue
        results.append(_apply([promotion], cart, lines, matcher))
        if value(results[-1]) > best_value:
            best_index, best_value = len(results) - 1, value(results[-1])
    adjustments, goods_discount, shipping_before, shipping_discount, skipped = results[best_index]
    chosen = options[best_index]
    not_applied.extend(skipped)
    applied_ids = {a.promotion_id for a in adjustments}
    winner = next((p for p in chosen if p.id in applied_ids), None)
    for index, option in enumerate(options):
        if index == best_index:
            continue
        if winner is None:
            not_applied.extend(results[index][4])
            continue
        for promotion in option:
            not_applied.append(NotApplied(promotion.id, promotion.name, f"not combinable with {winner.name}"))

    shipping = shipping_before - shipping_discount
    priced, shipping_tax = sales_tax.apply([PricedLine(line, goods_discount[line.sku]) for line in lines], shipping,
                                           cart.tax)
    subtotal = sum(p.subtotal_cents for p in priced)
    discount = sum(p.discount_cents for p in priced)
    tax = sum(p.tax_cents for p in priced) + shipping_tax
    requires_shipping = any(line.is_physical for line in lines)
    return Breakdown(
        lines=priced,
        adjustments=tuple(adjustments),
        subtotal_cents=subtotal,
        discount_cents=discount,
        shipping_cents=shipping,
        shipping_discount_cents=shipping_discount,
        tax_cents=tax,
        total_cents=subtotal - discount + shipping + tax,
        requires_shipping=requires_shipping,
        shipping=cart.shipping if requires_shipping else None,
        currency=cart.currency,
        not_applied=tuple(sorted(not_applied, key=lambda n: (n.promotion_id, n.reason))),
        shipping_tax_cents=shipping_tax,
        tax=cart.tax,
    )

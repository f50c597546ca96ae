"""Promotion rows become pricing data: targets, exclusions, sets, conditions, channels and limits left;
codes are normalised and the engine's reasons read as messages for customers."""

from datetime import datetime
from types import SimpleNamespace

import pytest

from shop.pricing import engine
from shop.pricing import promotions as promo
from shop.pricing.types import Cart, Line
from shop.promotions.codes import explain, normalise
from shop.promotions.loader import to_pricing


def row(**values):
    fields = dict(
        id=7, name="Spring Sale", state="active", starts_at=None, ends_at=None, channel_web=True, channel_phone=True,
        requires_code=False, is_public=True, exclusive=False, priority=0, benefit_kind="percent", basis_points=1500,
        amount_cents=0, buy_quantity=0, get_quantity=0, applies_to_everything=True, target_kinds="",
        exclude_kinds="", min_subtotal_cents=0, min_quantity=0, first_order_only=False, email_domains="",
        max_redemptions=None, max_per_customer=None, budget_cents=None, redemption_count=0, discount_given_cents=0,
        products=[], categories=[], customers=[],
    )
    fields.update(values)
    return SimpleNamespace(**fields)


def entry(product_id, role="target", quantity=1):
    return SimpleNamespace(product_id=product_id, role=role, quantity=quantity, product=None)


def category(slug, role="target"):
    return SimpleNamespace(role=role, category=SimpleNamespace(slug=slug))


def test_targets_exclusions_and_kinds():
    p = to_pricing(row(applies_to_everything=False, target_kinds="course, combo", exclude_kinds="membership",
                       products=[entry(1), entry(2, "exclude")], categories=[category("mfr"), category("kits", "x")]))
    assert p.target == promo.Target(everything=False, product_ids=frozenset({1}), categories=frozenset({"mfr"}),
                                    kinds=frozenset({"course", "combo"}), exclude_product_ids=frozenset({2}),
                                    exclude_categories=frozenset({"kits"}), exclude_kinds=frozenset({"membership"}))


def test_a_fixed_price_set_applies_to_its_products():
    p = to_pricing(row(benefit_kind="fixed_price", amount_cents=20000, applies_to_everything=False,
                       products=[entry(3, "bundle", 2), entry(2, "bundle")]))
    assert p.benefit.bundle == ((2, 1), (3, 2))
    assert p.target.product_ids == frozenset({2, 3})


def test_conditions_channels_and_limits_left():
    p = to_pricing(row(min_subtotal_cents=5000, min_quantity=2, first_order_only=True,
                       email_domains="Clinic.example\n@physio.example, ", channel_phone=False,
                       customers=[SimpleNamespace(email=" Pat@Example.com ")], max_redemptions=10,
                       redemption_count=4, budget_cents=10000, discount_given_cents=12000, state="paused",
                       starts_at=datetime(2026, 1, 1), requires_code=True, exclusive=True, priority=5))
    assert p.conditions == promo.Conditions(5000, 2, True, frozenset({"clinic.example", "physio.example"}),
                                            frozenset({"pat@example.com"}))
    assert p.channels == frozenset({"web"})
    assert (p.uses_left, p.budget_left_cents) == (6, 0)
    assert (p.active, p.requires_code, p.exclusive, p.priority) == (False, True, True, 5)
    assert p.starts_at == datetime(2026, 1, 1)


def test_an_unknown_benefit_is_refused():
    with pytest.raises(ValueError):
        to_pricing(row(benefit_kind="mystery"))


def test_codes_are_upper_case_without_spaces():
    assert normalise("  spring 15 ") == "SPRING15"
    assert normalise(None) == ""


def test_reasons_read_as_messages():
    line = Line(1, "A", "A", "course", 10000, 1)
    big = promo.Promotion(1, "Big Sale", promo.Benefit("percent", basis_points=5000), exclusive=True)
    small = promo.Promotion(2, "Ten off", promo.Benefit("percent", basis_points=1000), requires_code=True)
    b = engine.price(Cart(lines=(line,), codes=((2, "TEN"),)), [big, small], now=datetime(2026, 1, 1))
    reason = {n.promotion_id: n.reason for n in b.not_applied}[2]
    assert explain("TEN", reason, b) == "TEN can't be combined with Big Sale, which saves you more."
    assert explain("X", "gives less than the other offers", b) == \
        "X can't be combined with Big Sale, which saves you more."
    assert explain("X", "minimum subtotal $50.00 not reached", b) == \
        "X doesn't apply to this cart: minimum subtotal $50.00 not reached."
    assert explain("X", "used up", b) == "X has been used up."
    assert explain("X", "already used by this customer", b) == "You have already used X."

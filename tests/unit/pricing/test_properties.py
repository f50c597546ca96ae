"""Properties of the pricing engine that hold for any cart and any set of offers (Hypothesis)."""

import random
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shop.pricing import engine
from shop.pricing import promotions as promo
from shop.pricing.types import Cart, Line, ShippingRate, TaxRules

NOW = datetime(2026, 11, 24, 12, 0)
KINDS = ["book", "course", "combo"]
CATEGORIES = ["str", "trigger", "mfr", "stretch"]


@st.composite
def lines(draw):
    count = draw(st.integers(1, 8))
    ids = draw(st.lists(st.integers(1, 40), min_size=count, max_size=count, unique=True))
    return [
        Line(product_id=pid, sku=f"SKU-{pid:03d}", title=f"P{pid}", kind=draw(st.sampled_from(KINDS)),
             unit_price_cents=draw(st.integers(0, 30000)), quantity=draw(st.integers(1, 5)),
             is_physical=draw(st.booleans()),
             categories=frozenset(draw(st.lists(st.sampled_from(CATEGORIES), max_size=2))))
        for pid in ids
    ]


@st.composite
def offers(draw, max_size=6):
    result = []
    for pid in range(1, draw(st.integers(0, max_size)) + 1):
        kind = draw(st.sampled_from(promo.BENEFITS))
        benefit = promo.Benefit(
            kind,
            basis_points=draw(st.integers(0, 10000)),
            amount_cents=draw(st.integers(0, 40000)),
            bundle=tuple(sorted({(draw(st.integers(1, 40)), draw(st.integers(1, 2))) for _ in range(2)})),
            buy_quantity=draw(st.integers(1, 3)),
            get_quantity=draw(st.integers(1, 2)),
        )
        everything = draw(st.booleans())
        target = promo.Target(
            everything=everything,
            kinds=frozenset(draw(st.lists(st.sampled_from(KINDS), max_size=2))),
            categories=frozenset(draw(st.lists(st.sampled_from(CATEGORIES), max_size=2))),
            exclude_product_ids=frozenset(draw(st.lists(st.integers(1, 40), max_size=3))),
        )
        result.append(promo.Promotion(
            id=pid, name=f"Offer {pid}", benefit=benefit, target=target,
            conditions=promo.Conditions(min_subtotal_cents=draw(st.sampled_from([0, 0, 5000, 20000]))),
            exclusive=draw(st.booleans()), priority=draw(st.integers(0, 3)),
            budget_left_cents=draw(st.sampled_from([None, None, 0, 500, 10000])),
            ends_at=draw(st.sampled_from([None, NOW + timedelta(days=1), NOW - timedelta(days=1)])),
        ))
    return result


shipping = st.sampled_from([None, ShippingRate("m", "Media Mail", "domestic", 595, 7500),
                            ShippingRate("i", "International", "international", 2995, None)])


def _price(cart_lines, cart_offers, rate, tax=None):
    return engine.price(Cart(lines=tuple(cart_lines), shipping=rate, tax=tax), cart_offers, now=NOW)


tax_rules = st.one_of(st.none(), st.builds(TaxRules, st.just("US"), st.just("OH"),
                                           st.sampled_from([0, 5750, 6875, 10000]),
                                           taxes_shipping=st.booleans(), taxes_digital=st.booleans()))


@settings(max_examples=200, deadline=None)
@given(lines(), offers(), shipping, tax_rules)
def test_amounts_are_whole_cents_never_negative_and_add_up_exactly(cart_lines, cart_offers, rate, tax):
    b = _price(cart_lines, cart_offers, rate, tax)
    amounts = [b.subtotal_cents, b.discount_cents, b.shipping_cents, b.shipping_discount_cents, b.tax_cents,
               b.total_cents] + [a.amount_cents for a in b.adjustments]
    assert all(isinstance(a, int) and a >= 0 for a in amounts)
    assert sum(p.total_cents for p in b.lines) + b.shipping_cents + b.tax_cents == b.total_cents
    assert b.subtotal_cents - b.discount_cents + b.shipping_cents + b.tax_cents == b.total_cents
    assert sum(a.amount_cents for a in b.adjustments) == b.discount_cents + b.shipping_discount_cents


@settings(max_examples=200, deadline=None)
@given(lines(), offers(), shipping)
def test_no_discount_is_above_what_it_applies_to(cart_lines, cart_offers, rate):
    b = _price(cart_lines, cart_offers, rate)
    by_id = {p.id: p for p in cart_offers}
    for priced in b.lines:
        assert 0 <= priced.discount_cents <= priced.subtotal_cents
    for adjustment in b.adjustments:
        offer = by_id[adjustment.promotion_id]
        for sku, cents in adjustment.per_line:
            line = next(p.line for p in b.lines if p.line.sku == sku)
            assert offer.target.matches(line) and 0 < cents <= line.subtotal_cents
        if offer.budget_left_cents is not None:
            assert adjustment.amount_cents <= offer.budget_left_cents
    assert b.shipping_discount_cents <= (b.shipping.price_cents if b.shipping else 0)


@settings(max_examples=150, deadline=None)
@given(lines(), offers(), shipping, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_lines_or_offers(cart_lines, cart_offers, rate, rnd):
    first = _price(cart_lines, cart_offers, rate)
    shuffled_lines, shuffled_offers = list(cart_lines), list(cart_offers)
    rnd.shuffle(shuffled_lines)
    rnd.shuffle(shuffled_offers)
    assert _price(shuffled_lines, shuffled_offers, rate) == first


@settings(max_examples=200, deadline=None)
@given(lines(), offers(), shipping)
def test_an_exclusive_offer_never_stacks(cart_lines, cart_offers, rate):
    b = _price(cart_lines, cart_offers, rate)
    by_id = {p.id: p for p in cart_offers}
    applied = {a.promotion_id for a in b.adjustments}
    if any(by_id[pid].exclusive for pid in applied):
        assert len(applied) == 1


@settings(max_examples=200, deadline=None)
@given(lines(), offers(), shipping)
def test_every_offer_either_applies_or_says_why_not(cart_lines, cart_offers, rate):
    b = _price(cart_lines, cart_offers, rate)
    applied = {a.promotion_id for a in b.adjustments}
    explained = {n.promotion_id for n in b.not_applied}
    assert applied | explained == {p.id for p in cart_offers}
    assert not applied & explained
    assert all(n.reason for n in b.not_applied)


def test_a_large_random_cart_is_stable():
    rnd = random.Random(3)
    cart_lines = [Line(i, f"S{i:03d}", "x", "course", rnd.randrange(100, 20000), rnd.randrange(1, 4))
                  for i in range(1, 21)]
    assert _price(cart_lines, [], None).total_cents == sum(line.subtotal_cents for line in cart_lines)

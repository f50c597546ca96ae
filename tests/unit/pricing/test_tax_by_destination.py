"""Sales tax by destination: per line, with and without taxable shipping and online goods, after discounts,
rounded once and allocated to the cent."""

from hypothesis import given, settings
from hypothesis import strategies as st

from shop.pricing import engine
from shop.pricing import promotions as promo
from shop.pricing.tax import tax_on
from shop.pricing.types import Cart, Line, ShippingRate, TaxRules
from tests.support.pricing import NOW

BOOK = Line(1, "BOOK", "Soft Tissue Release", "book", 4995, 2, is_physical=True)
KIT = Line(2, "KIT", "Release kit", "combo", 15000, 1, is_physical=True)
COURSE = Line(3, "CE-TP", "Trigger Points", "course", 11900, 1)
MEDIA_MAIL = ShippingRate("us-media-mail", "USPS Media Mail", "domestic", 595)
OHIO = TaxRules("US", "OH", 5750, "Ohio sales tax", taxes_shipping=True, taxes_digital=False)
TEXAS = TaxRules("US", "TX", 6250, "Texas sales tax", taxes_shipping=True, taxes_digital=True)
CALIFORNIA = TaxRules("US", "CA", 7250, "California sales tax", taxes_shipping=False, taxes_digital=False)


def price(lines, tax, offers=(), shipping=MEDIA_MAIL):
    return engine.price(Cart(lines=tuple(lines), shipping=shipping, tax=tax), offers, now=NOW)


def by_sku(breakdown):
    return {p.line.sku: p.tax_cents for p in breakdown.lines}


def test_no_rules_for_the_destination_means_no_tax():
    b = price([BOOK, COURSE], None)
    assert b.tax_cents == 0 and b.shipping_tax_cents == 0 and set(by_sku(b).values()) == {0}
    assert b.total_cents == 2 * 4995 + 11900 + 595


def test_shipped_goods_and_shipping_taxed_online_course_not_where_digital_goods_are_exempt():
    b = price([BOOK, COURSE], OHIO)
    assert b.tax_cents == tax_on(2 * 4995 + 595, 5750) == 609  # 5.75% of $105.85 = $6.086
    assert by_sku(b)["CE-TP"] == 0 and by_sku(b)["BOOK"] + b.shipping_tax_cents == 609
    assert b.shipping_tax_cents == 34  # $5.95 of the $105.85 taxed
    assert b.total_cents == 2 * 4995 + 11900 + 595 + 609


def test_shipping_untaxed_where_the_state_does_not_tax_it():
    b = price([BOOK], CALIFORNIA)
    assert b.shipping_tax_cents == 0 and b.tax_cents == tax_on(2 * 4995, 7250) == 724


def test_online_goods_taxed_where_the_state_taxes_them():
    b = price([COURSE], TEXAS, shipping=None)
    assert b.tax_cents == by_sku(b)["CE-TP"] == tax_on(11900, 6250) == 744


def test_a_rate_of_three_decimals_is_exact():
    minnesota = TaxRules("US", "MN", 6875, taxes_shipping=True)
    assert price([KIT], minnesota, shipping=None).tax_cents == 1031  # 6.875% of $150 = $10.3125


def test_tax_is_on_the_price_after_discounts():
    ten_off = promo.Promotion(1, "Ten percent", promo.Benefit(promo.PERCENT_OFF, basis_points=1000))
    b = price([BOOK], CALIFORNIA, offers=[ten_off])
    assert b.discount_cents == 999
    assert b.tax_cents == tax_on(2 * 4995 - 999, 7250)


def test_breakdown_records_the_rules_it_used_in_its_snapshot():
    snapshot = price([BOOK, COURSE], OHIO).snapshot()
    assert snapshot["tax"]["region"] == "OH" and snapshot["tax"]["name"] == "Ohio sales tax"
    assert snapshot["shipping_tax_cents"] == 34
    assert {line["sku"]: line["tax_cents"] for line in snapshot["lines"]}["CE-TP"] == 0


rules = st.builds(TaxRules, st.just("US"), st.sampled_from(["OH", "TX", "CA"]),
                  st.integers(min_value=0, max_value=15_000), taxes_shipping=st.booleans(),
                  taxes_digital=st.booleans())
cart_lines = st.lists(st.builds(Line, st.integers(1, 10**6), st.text("ABCDEFGH", min_size=1, max_size=6), st.just("x"),
                                st.sampled_from(["book", "course", "combo"]), st.integers(0, 50_000),
                                st.integers(1, 5), is_physical=st.booleans()),
                      min_size=1, max_size=5, unique_by=lambda line: line.sku)


@settings(max_examples=300, deadline=None)
@given(cart_lines, rules, st.sampled_from([None, MEDIA_MAIL]))
def test_line_taxes_add_up_to_the_order_tax_which_is_rounded_once(lines, tax, shipping):
    b = price(lines, tax, shipping=shipping)
    taxable = sum(p.total_cents for p in b.lines if tax.taxes(p.line))
    taxable += b.shipping_cents if tax.taxes_shipping else 0
    assert b.tax_cents == tax_on(taxable, tax.rate_millipercent)
    assert sum(p.tax_cents for p in b.lines) + b.shipping_tax_cents == b.tax_cents
    assert all(p.tax_cents == 0 for p in b.lines if not tax.taxes(p.line))
    assert all(p.tax_cents >= 0 for p in b.lines) and b.shipping_tax_cents >= 0
    if not tax.taxes_shipping:
        assert b.shipping_tax_cents == 0

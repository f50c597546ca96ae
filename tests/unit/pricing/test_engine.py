"""The pricing engine: what each benefit and condition does, and why an offer does not apply."""

from datetime import timedelta

import pytest

from shop.pricing import engine
from shop.pricing import promotions as promo
from shop.pricing.types import Cart, Customer, Line, ShippingRate, TaxRules
from tests.support.pricing import NOW

BOOK = Line(1, "BOOK", "Soft Tissue Release", "book", 4995, 1, is_physical=True, categories=frozenset({"str"}))
COURSE = Line(2, "CE-TP", "Trigger Points", "course", 11900, 1, categories=frozenset({"trigger"}))
COURSE2 = Line(3, "CE-MFR", "Myofascial", "course", 12900, 1, categories=frozenset({"mfr"}))
MEDIA_MAIL = ShippingRate("us-media-mail", "USPS Media Mail", "domestic", 595, free_over_cents=7500)


EVERYTHING_TAXED = TaxRules("US", "XX", 6250, taxes_shipping=True, taxes_digital=True)


def offer(pid=1, kind=promo.PERCENT_OFF, name=None, **kwargs):
    benefit_fields = {k: kwargs.pop(k) for k in ("basis_points", "amount_cents", "bundle", "buy_quantity",
                                                 "get_quantity") if k in kwargs}
    return promo.Promotion(id=pid, name=name or f"Offer {pid}", benefit=promo.Benefit(kind, **benefit_fields),
                           **kwargs)


def price(lines, offers=(), **cart):
    return engine.price(Cart(lines=tuple(lines), **cart), offers, now=NOW)


def reasons(breakdown):
    return {n.name: n.reason for n in breakdown.not_applied}


def test_no_offers_prices_lines_shipping_and_tax():
    b = engine.price(Cart(lines=(BOOK,), shipping=MEDIA_MAIL, tax=EVERYTHING_TAXED))
    assert (b.subtotal_cents, b.shipping_cents) == (4995, 595)
    assert b.tax_cents == 349  # 6.25 % of $55.90 is $3.49375
    assert b.total_cents == 4995 + 595 + b.tax_cents


def test_percent_off_is_split_over_its_lines_to_the_cent():
    b = price([BOOK, COURSE], [offer(kind=promo.PERCENT_OFF, basis_points=1500)])
    assert b.discount_cents == 2534  # 15 % of $168.95 is $25.3425: rounded half up to the cent
    assert sum(p.discount_cents for p in b.lines) == b.discount_cents
    assert b.total_cents == b.subtotal_cents - b.discount_cents


def test_amount_off_never_exceeds_what_it_applies_to():
    b = price([BOOK], [offer(kind=promo.AMOUNT_OFF, amount_cents=10_000)])
    assert b.discount_cents == 4995 and b.total_cents == b.shipping_cents


def test_offers_apply_only_to_their_targets_and_exclusions_win():
    only_courses = offer(kind=promo.PERCENT_OFF, basis_points=5000, target=promo.Target(
        everything=False, kinds=frozenset({"course"}), exclude_product_ids=frozenset({3})))
    b = price([BOOK, COURSE, COURSE2], [only_courses])
    assert {p.line.sku: p.discount_cents for p in b.lines} == {"BOOK": 0, "CE-TP": 5950, "CE-MFR": 0}


def test_fixed_price_for_a_set_of_products():
    bundle = offer(kind=promo.FIXED_PRICE, amount_cents=20000, bundle=((2, 1), (3, 1)), name="TP + MFR for $200")
    b = price([COURSE, COURSE2, BOOK], [bundle])
    assert b.discount_cents == 11900 + 12900 - 20000
    assert {p.line.sku: p.discount_cents for p in b.lines}["BOOK"] == 0
    assert reasons(price([COURSE], [bundle]))["TP + MFR for $200"] == "needs every product of the set in the cart"


def test_buy_two_get_one_free_discounts_the_cheapest():
    books = Line(1, "BOOK", "Book", "book", 1000, 3, is_physical=True)
    b = price([books], [offer(kind=promo.BUY_X_GET_Y, buy_quantity=2, get_quantity=1, basis_points=10000)])
    assert b.discount_cents == 1000
    mixed = price([COURSE, COURSE2, Line(9, "CHEAP", "Cheap", "course", 3900, 1)],
                  [offer(kind=promo.BUY_X_GET_Y, buy_quantity=2, get_quantity=1, basis_points=5000)])
    assert mixed.discount_cents == 1950  # half off the cheapest of the three


def test_free_shipping_takes_off_the_shipping_that_would_be_charged():
    b = price([BOOK], [offer(kind=promo.FREE_SHIPPING, name="Free shipping")], shipping=MEDIA_MAIL)
    assert b.shipping_cents == 0 and b.shipping_discount_cents == 595
    assert b.total_cents == 4995
    assert [a.name for a in b.adjustments] == ["Free shipping"]
    assert reasons(price([COURSE], [offer(kind=promo.FREE_SHIPPING, name="F")]))["F"] == \
        "nothing in the cart needs shipping"


def test_conditions_say_why_they_are_not_met():
    b = price([BOOK], [
        offer(1, name="Min $50", conditions=promo.Conditions(min_subtotal_cents=5000), basis_points=1000),
        offer(2, name="Two items", conditions=promo.Conditions(min_quantity=2), basis_points=1000),
        offer(3, name="First order", conditions=promo.Conditions(first_order_only=True), basis_points=1000),
        offer(4, name="Clinic", conditions=promo.Conditions(email_domains=frozenset({"clinic.org"})),
              basis_points=1000),
        offer(5, name="VIP", conditions=promo.Conditions(customer_emails=frozenset({"vip@x.org"})), basis_points=1),
    ], customer=Customer("pat@example.com", is_first_order=False, verified=True))
    assert reasons(b) == {
        "Min $50": "minimum subtotal $50.00 not reached",
        "Two items": "minimum quantity of 2 not reached",
        "First order": "for a customer's first order only",
        "Clinic": "only for email addresses at clinic.org",
        "VIP": "only for selected customers",
    }
    assert b.discount_cents == 0


def test_offers_about_the_customer_are_only_for_a_proven_address():
    offers = [
        offer(3, name="First order", conditions=promo.Conditions(first_order_only=True), basis_points=1000),
        offer(4, name="Clinic", conditions=promo.Conditions(email_domains=frozenset({"clinic.org"})),
              basis_points=1000),
        offer(5, name="VIP", conditions=promo.Conditions(customer_emails=frozenset({"vip@clinic.org"})),
              basis_points=1),
    ]
    typed_by_a_guest = price([BOOK], offers, customer=Customer("vip@clinic.org", is_first_order=True))
    assert typed_by_a_guest.adjustments == ()
    assert set(reasons(typed_by_a_guest).values()) == {
        "for signed-in customers whose e-mail address is confirmed: log in to use it"}
    proven = price([BOOK], offers, customer=Customer("vip@clinic.org", is_first_order=True, verified=True))
    assert {a.name for a in proven.adjustments} <= {"First order", "Clinic", "VIP"} and proven.adjustments


def test_schedule_channel_and_limits_say_why():
    b = price([COURSE], [
        offer(1, name="Later", starts_at=NOW + timedelta(days=7), basis_points=1000),
        offer(2, name="Over", ends_at=NOW - timedelta(days=1), basis_points=1000),
        offer(3, name="Phone only", channels=frozenset({"phone"}), basis_points=1000),
        offer(4, name="Gone", uses_left=0, basis_points=1000),
        offer(5, name="Paused", active=False, basis_points=1000),
        offer(6, name="Once each", customer_uses_left=0, basis_points=1000),
    ], timezone="America/New_York")
    assert reasons(b) == {
        "Later": "not started yet: starts on December 1, 2026",
        "Over": "expired on November 23, 2026",
        "Phone only": "not available for online orders",
        "Gone": "used up",
        "Paused": "not running (paused or ended)",
        "Once each": "already used by this customer",
    }


def test_a_code_offer_applies_only_when_its_code_was_entered():
    coded = offer(7, name="NEWSLETTER", requires_code=True, basis_points=1000)
    assert price([COURSE], [coded]).discount_cents == 0
    b = price([COURSE], [coded], codes=((7, "NEWS10"),))
    assert b.discount_cents == 1190 and b.adjustments[0].code == "NEWS10"


def test_combinable_offers_stack_on_what_is_left_and_an_exclusive_never_stacks():
    spring = offer(1, name="Spring Sale", basis_points=2000, priority=5)
    ten_off = offer(2, kind=promo.AMOUNT_OFF, name="$10 off", amount_cents=1000)
    b = price([COURSE], [spring, ten_off])
    assert b.discount_cents == 2380 + 1000
    vip = offer(3, name="VIP 30%", basis_points=3000, exclusive=True)
    b = price([COURSE], [spring, ten_off, vip])
    assert [a.name for a in b.adjustments] == ["VIP 30%"]
    assert reasons(b) == {"Spring Sale": "not combinable with VIP 30%", "$10 off": "not combinable with VIP 30%"}
    small_exclusive = offer(4, name="Small", basis_points=500, exclusive=True)
    b = price([COURSE], [spring, ten_off, small_exclusive])
    assert sorted(a.name for a in b.adjustments) == ["$10 off", "Spring Sale"]
    assert reasons(b) == {"Small": "not combinable with Spring Sale"}


def test_a_budget_caps_the_discount():
    b = price([COURSE], [offer(kind=promo.PERCENT_OFF, basis_points=5000, budget_left_cents=700)])
    assert b.discount_cents == 700


def test_a_discount_makes_shipping_chargeable_again_below_the_free_threshold():
    two_books = Line(1, "BOOK", "Book", "book", 4000, 2, is_physical=True)
    assert price([two_books], shipping=MEDIA_MAIL).shipping_cents == 0
    b = price([two_books], [offer(kind=promo.AMOUNT_OFF, amount_cents=1000)], shipping=MEDIA_MAIL)
    assert b.shipping_cents == 595


def test_promotions_need_the_time():
    with pytest.raises(engine.PricingError):
        engine.price(Cart(lines=(COURSE,)), [offer()])

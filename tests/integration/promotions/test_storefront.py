"""What customers see of promotions before the cart: the special offers page and a live offer on product pages,
also on cached pages."""

from datetime import datetime, timedelta

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.promotions import loader
from tests.factories import CategoryFactory, ProductFactory, PromotionCodeFactory, PromotionFactory


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_offers_page_lists_live_public_promotions_with_end_dates_and_public_codes(client, app):
    app.config["SHOP_TIMEZONE"] = "America/New_York"
    PromotionFactory(name="Autumn Sale", public_description="15% off every course.",
                     ends_at=datetime(2099, 12, 2, 5, 0))  # midnight in New York: December 1 is the last day
    PromotionFactory(name="Always on", ends_at=None)
    PromotionCodeFactory(code="NEWS15", promotion__name="Newsletter offer", promotion__is_public=True)
    PromotionCodeFactory(code="SECRET", promotion__name="Private code", promotion__is_public=False)
    PromotionFactory(name="Hidden automatic", is_public=False)
    PromotionFactory(name="Paused one", state="paused")
    PromotionFactory(name="Draft one", state="draft")
    PromotionFactory(name="Not yet", starts_at=utcnow() + timedelta(days=3))
    PromotionFactory(name="Over", starts_at=utcnow() - timedelta(days=9), ends_at=utcnow() - timedelta(days=1))
    PromotionFactory(name="Phone only", channel_web=False)
    PromotionFactory(name="Used up", max_redemptions=2, redemption_count=2)
    html = page(client, "/offers")
    assert "Autumn Sale" in html and "15% off every course." in html and "Ends December 1, 2099" in html
    assert "Always on" in html and "No end date" in html
    assert "Newsletter offer" in html and "NEWS15" in html
    for name in ("Private code", "SECRET", "Hidden automatic", "Paused one", "Draft one", "Not yet", "Over",
                 "Phone only", "Used up"):
        assert name not in html, name
    assert "Combo deals" in html


def test_a_fixed_price_set_is_shown_with_its_parts_on_the_offers_page(client):
    one = ProductFactory(title="Trigger Points", price_cents=10000)
    two = ProductFactory(title="Myofascial Release", price_cents=12000)
    PromotionFactory(name="Pair them", benefit_kind="fixed_price", amount_cents=18000, applies_to_everything=False,
                     bundle=[(one, 1), (two, 1)])
    html = page(client, "/offers")
    assert "Pair them" in html and "Trigger Points" in html and "Myofascial Release" in html
    assert "for $180.00" in html and "bought separately $220.00" in html


def test_a_product_page_shows_a_live_automatic_offer_with_the_price_before_and_after(client, app):
    courses = CategoryFactory(name="Courses", slug="ce-courses")
    ProductFactory(title="Trigger Points", slug="tp", price_cents=11900, categories=[courses])
    other = ProductFactory(title="Another", slug="another", price_cents=5000)
    PromotionFactory(name="Course week", basis_points=2000, applies_to_everything=False, categories=[courses],
                     ends_at=datetime(2099, 3, 10, 12, 0))
    PromotionFactory(name="Big carts only", basis_points=5000, min_subtotal_cents=50000)
    PromotionFactory(name="First order", basis_points=5000, first_order_only=True)
    PromotionCodeFactory(code="CODE50", promotion__basis_points=5000)
    html = page(client, "/products/tp")
    assert "<del><span class=\"visually-hidden\">Was </span>$119.00</del>" in html
    assert "<span class=\"visually-hidden\">Now </span>$95.20</strong>" in html
    assert "Course week: you save $23.80. Ends March 10, 2099." in html
    assert "Big carts only" not in html and "First order" not in html
    assert "<del>" not in page(client, "/products/another") and other.price_cents == 5000


def test_a_cached_product_page_changes_as_soon_as_a_promotion_does(client, app):
    app.config["PAGE_CACHE"] = True
    ProductFactory(title="Trigger Points", slug="tp", price_cents=10000)
    assert "<del>" not in page(client, "/products/tp")
    promotion = PromotionFactory(name="Flash sale", basis_points=1000)
    assert "Flash sale: you save $10.00." in page(client, "/products/tp")
    promotion.basis_points = 3000
    db.session.commit()
    assert "Flash sale: you save $30.00." in page(client, "/products/tp")
    promotion.state = "paused"
    db.session.commit()
    assert "Flash sale" not in page(client, "/products/tp")


def test_a_promotion_changed_by_another_process_shows_once_the_stamp_is_checked(client, app):
    app.config.update(PAGE_CACHE=True, PAGE_CACHE_CHECK_SECONDS=0)
    ProductFactory(title="Trigger Points", slug="tp", price_cents=10000)
    PromotionFactory(name="Flash sale", basis_points=1000)
    assert "$90.00" in page(client, "/products/tp")
    with db.engine.begin() as conn:  # another process: no ORM events in this one
        conn.execute(db.text("UPDATE promotions SET basis_points = 2500, updated_at = CURRENT_TIMESTAMP"))
    assert "$75.00" in page(client, "/products/tp")


def test_a_change_to_what_a_promotion_applies_to_changes_the_stamp(client, app):
    app.config["PAGE_CACHE"] = True
    course = ProductFactory(title="Trigger Points", slug="tp", price_cents=10000)
    other = ProductFactory(title="Another", slug="another", price_cents=5000)
    promotion = PromotionFactory(name="Only that one", basis_points=1000, applies_to_everything=False,
                                 products=[other])
    assert "<del>" not in page(client, "/products/tp")
    before = db.session.execute(db.select(db.text("updated_at")).select_from(db.text("promotions"))).scalar_one()
    from shop.promotions.models import PromotionProduct

    db.session.add(PromotionProduct(promotion_id=promotion.id, product_id=course.id, role="target"))
    db.session.commit()
    after = db.session.execute(db.select(db.text("updated_at")).select_from(db.text("promotions"))).scalar_one()
    assert after != before  # other processes see the change through the stamp
    assert "Only that one: you save $10.00." in page(client, "/products/tp")
    assert len(loader.live_set().promotions) == 1

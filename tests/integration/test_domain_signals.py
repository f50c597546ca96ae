"""A lower domain asks or tells the higher ones through a signal; each answer comes from the domain that owns
the data (shop.catalogue.signals, shop.accounts.signals, Flask-Login's user_logged_in)."""

from datetime import timedelta

from flask_login import user_logged_in

from shop.accounts.signals import email_verified
from shop.catalogue import admin as catalogue_admin
from shop.catalogue.signals import course_publishing, product_in_use
from shop.core.timeutil import utcnow
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.orders.models import StockReservation
from tests.factories import BookFactory, OrderFactory, OrderLineFactory, ProductFactory, PromotionFactory


def _receivers(signal):
    return {f"{r.__module__}.{r.__name__}" for r in signal.receivers_for(object())}


def test_each_signal_reaches_the_domains_that_own_the_data(app):
    assert _receivers(product_in_use) == {"shop.orders.lines._orders_refer_to",
                                          "shop.courses.access._access_refers_to",
                                          "shop.promotions.models._promotion_refers_to"}
    assert _receivers(email_verified) == {"shop.orders.customers._link_guest_orders",
                                          "shop.courses.access._link_guest_access"}
    assert "shop.storefront.cart._merge_after_login" in _receivers(user_logged_in)
    assert _receivers(course_publishing) == {"shop.courses.authoring._refuse_without_lessons"}


def test_a_product_is_in_use_when_an_order_a_hold_a_course_or_a_promotion_refers_to_it(app):
    on_order, held, owned, promoted, unused = (ProductFactory() for _ in range(5))
    OrderLineFactory(product_id=on_order.id)
    order = OrderFactory()
    db.session.add(StockReservation(order_id=order.id, product_id=held.id, quantity=1,
                                    expires_at=utcnow() + timedelta(minutes=30)))
    db.session.add(CourseAccess(email="pat@example.com", product_id=owned.id))
    PromotionFactory(products=[promoted])
    db.session.commit()
    assert [catalogue_admin.was_sold(p.id) for p in (on_order, held, owned, promoted, unused)] == [
        True, True, True, True, False]


def test_a_book_nobody_refers_to_is_not_in_use(app):
    assert catalogue_admin.was_sold(BookFactory().id) is False

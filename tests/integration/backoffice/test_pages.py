"""Each back-office page opens for the roles it is for, with the demo catalogue loaded; the dashboard's counts."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.catalogue import seeding
from shop.catalogue.models import Category, Product
from shop.core import storage
from shop.core.timeutil import local_midnight, local_today, utcnow
from shop.extensions import db
from shop.reports.dashboard import counts
from shop.shipping import services as shipping_services
from shop.shipping.models import ShippingMethod
from tests.factories import DEFAULT_PASSWORD, OrderFactory, UserFactory
from tests.support.forms import log_in

STAFF, MARKETING, ADMIN = {"staff", "admin"}, {"marketing", "admin"}, {"admin"}


@pytest.fixture
def demo(app):
    seeding.load_demo(storage.public())
    shipping_services.seed_defaults()


def _pages():
    book = db.session.scalar(select(Product).where(Product.kind == "book"))
    product_ids = db.session.scalars(select(Product.id)).all()
    category = db.session.scalar(select(Category))
    method = db.session.scalar(select(ShippingMethod))
    pages = [("/backoffice/", STAFF | MARKETING), ("/backoffice/products", MARKETING),
             ("/backoffice/products?q=release&kind=course&status=active&page=2", MARKETING),
             ("/backoffice/products/new", MARKETING), ("/backoffice/categories", MARKETING),
             (f"/backoffice/categories/{category.id}", MARKETING),
             ("/backoffice/stock", STAFF), (f"/backoffice/stock/{book.id}", STAFF),
             ("/backoffice/users", ADMIN), ("/backoffice/users?q=example&role=staff", ADMIN),
             ("/backoffice/settings", ADMIN), ("/backoffice/settings/shipping/new", ADMIN),
             (f"/backoffice/settings/shipping/{method.id}", ADMIN)]
    pages += [(f"/backoffice/products/new/{kind}", MARKETING) for kind in ("book", "course", "combo", "membership")]
    pages += [(f"/backoffice/products/{pid}", MARKETING) for pid in product_ids]
    return pages


@pytest.mark.parametrize("role", ["customer", "staff", "marketing", "admin"])
def test_each_page_opens_for_its_roles_and_refuses_the_others(client, demo, role):
    user = UserFactory(role=role)
    log_in(client, user.email, DEFAULT_PASSWORD)
    for url, roles in _pages():
        response = client.get(url)
        expected = 200 if role in roles else 403
        assert response.status_code == expected, (url, role)
        if expected == 200:
            html = response.get_data(as_text=True)
            assert '<nav class="office-nav"' in html and "<h1" in html, url


def test_the_navigation_shows_each_role_its_own_areas(client, demo):
    marketing = UserFactory(role="marketing")
    log_in(client, marketing.email, DEFAULT_PASSWORD)
    nav = client.get("/backoffice/").get_data(as_text=True).split('class="office-nav"')[1].split("</nav>")[0]
    assert "Catalogue" in nav and "Stock" not in nav and "Users" not in nav and "Settings" not in nav


def test_dashboard_counts_today_awaiting_payment_and_to_ship(app, client):
    now = utcnow()
    OrderFactory(status="paid", requires_shipping=True, fulfilment_status="unfulfilled", placed_at=now)
    OrderFactory(status="paid", requires_shipping=True, fulfilment_status="partially_shipped",
                 placed_at=now - timedelta(days=3))
    OrderFactory(status="paid", requires_shipping=True, fulfilment_status="shipped", placed_at=now)
    OrderFactory(status="paid", requires_shipping=False, fulfilment_status="not_needed", placed_at=now)
    OrderFactory(status="pending_payment", payment_method="check", placed_at=now - timedelta(days=2))
    OrderFactory(status="expired", placed_at=now)
    result = counts(app.config["SHOP_TIMEZONE"])
    assert (result.today, result.awaiting_payment, result.to_ship) == (3, 1, 2)  # expired orders do not count
    staff = UserFactory(role="staff")
    log_in(client, staff.email, DEFAULT_PASSWORD)
    page = client.get("/backoffice/").get_data(as_text=True)
    assert "awaiting payment" in page and "to ship" in page and "orders today" in page


def test_start_of_today_is_midnight_in_the_shops_time_zone():
    from datetime import datetime

    # 03:00 UTC on 2 March is still 1 March in New York (UTC-5): the day began at 05:00 UTC on 1 March
    zone = "America/New_York"
    assert local_midnight(local_today(zone, datetime(2025, 3, 2, 3, 0)), zone) == datetime(2025, 3, 1, 5, 0)
    assert local_midnight(local_today(zone, datetime(2025, 3, 2, 6, 0)), zone) == datetime(2025, 3, 2, 5, 0)

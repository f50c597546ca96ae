"""Stock in the back office: adjustments with a reason, never below zero, stock = the sum of movements."""

import pytest
from sqlalchemy import select

from shop.catalogue import stock, stock_admin
from shop.catalogue.models import Product, StockMovement
from shop.core import settings as shop_settings
from shop.core.models import AuditEntry
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, BookFactory, ProductFactory, UserFactory
from tests.support.forms import log_in, post_form


@pytest.fixture
def staff(client):
    user = UserFactory(role="staff", email="staff@example.com")
    log_in(client, user.email, DEFAULT_PASSWORD)
    return user


def _adjust(client, book, reason, quantity, note=""):
    return post_form(client, f"/backoffice/stock/{book.id}", {"reason": reason, "quantity": str(quantity),
                                                               "note": note})


def _stock(book_id):
    return db.session.scalar(select(Product.stock).where(Product.id == book_id))


def _sum(book_id):
    return stock_admin.movement_sum(book_id)


def test_adjustments_take_their_sign_from_the_reason_and_are_recorded(client, staff):
    book = BookFactory(stock=10)
    assert _adjust(client, book, "received", 25, "Delivery from the printer").status_code == 302
    assert _adjust(client, book, "damaged", 3, "Water damage").status_code == 302
    assert _adjust(client, book, "correction", -2, "Shelf count").status_code == 302
    assert _adjust(client, book, "correction", 1).status_code == 302
    assert _stock(book.id) == 10 + 25 - 3 - 2 + 1 == _sum(book.id)
    movements = db.session.scalars(select(StockMovement).filter_by(product_id=book.id).order_by(StockMovement.id))
    assert [(m.change, m.reason, m.actor_id) for m in movements][1:] == [
        (25, "received", staff.id), (-3, "damaged", staff.id), (-2, "correction", staff.id),
        (1, "correction", staff.id)]
    page = client.get(f"/backoffice/stock/{book.id}").get_data(as_text=True)
    assert "Water damage" in page and "staff@example.com" in page and "+25" in page
    assert db.session.scalars(select(AuditEntry).filter_by(entity_id=str(book.id), action="stock adjusted")).all()


def test_a_movement_below_zero_is_refused_and_nothing_changes(client, staff):
    book = BookFactory(stock=4)
    response = _adjust(client, book, "damaged", 5)
    assert response.status_code == 422
    assert "below 0" in response.get_data(as_text=True) and "there are 4" in response.get_data(as_text=True)
    assert _adjust(client, book, "correction", -9).status_code == 422
    assert _stock(book.id) == 4 == _sum(book.id)
    assert _adjust(client, book, "received", 0).status_code == 422
    assert _adjust(client, book, "received", -3).status_code == 422
    assert _adjust(client, book, "stolen", 1).status_code == 422
    assert _adjust(client, book, "received", "lots").status_code == 422
    assert _stock(book.id) == 4


def test_stock_always_equals_the_sum_of_movements_through_adjustments_and_sales(client, staff):
    book = BookFactory(stock=8)
    steps = [("received", 12), ("sale", 5), ("damaged", 1), ("sale", 9), ("release", 2), ("correction", -3),
             ("sale", 4), ("received", 6), ("sale", 50)]
    for step, quantity in steps:
        if step == "sale":
            stock.take(book.id, quantity)  # a sale that finds too few copies takes nothing
            db.session.commit()
        elif step == "release":
            stock.give_back(book.id, quantity)
            db.session.commit()
        else:
            _adjust(client, book, step, quantity)
        assert _stock(book.id) == _sum(book.id) >= 0, step
    assert _stock(book.id) == 8 + 12 - 5 - 1 - 9 + 2 - 3 - 4 + 6


def test_the_stock_page_lists_books_with_threshold_and_latest_movements(client, staff):
    low = BookFactory(title="Nearly gone", stock=2)
    BookFactory(title="Plenty", stock=40, low_stock_threshold=10)
    ProductFactory(title="A course has no stock")
    page = client.get("/backoffice/stock").get_data(as_text=True)
    assert "Nearly gone" in page and "Plenty" in page and "A course has no stock" not in page
    assert page.count(">Reorder<") == 1 and "Opening stock" in page
    assert client.get(f"/backoffice/stock/{low.id}").status_code == 200
    assert client.get("/backoffice/stock?q=plenty").get_data(as_text=True).count("Nearly gone") == 0
    course = ProductFactory()
    assert client.get(f"/backoffice/stock/{course.id}").status_code == 404


def test_dashboard_flags_books_at_or_below_their_threshold(app, client, staff):
    BookFactory(title="Two left", stock=2)  # the shop's default threshold (5)
    BookFactory(title="Five left", stock=5)
    BookFactory(title="Own threshold", stock=3, low_stock_threshold=2)
    BookFactory(title="Retired book", stock=0, is_active=False)
    page = client.get("/backoffice/").get_data(as_text=True)
    assert "Two left" in page and "Five left" in page and "Reorder" in page
    assert "Own threshold" not in page and "Retired book" not in page
    shop_settings.set_setting("LOW_STOCK_THRESHOLD", 2)
    db.session.commit()
    page = client.get("/backoffice/").get_data(as_text=True)
    assert "Two left" in page and "Five left" not in page


def test_marketing_cannot_adjust_stock(client):
    user = UserFactory(role="marketing")
    log_in(client, user.email, DEFAULT_PASSWORD)
    book = BookFactory()
    assert client.get("/backoffice/stock").status_code == 403
    response = post_form(client, f"/backoffice/stock/{book.id}", {"reason": "received", "quantity": "5"},
                         page="/backoffice/")
    assert response.status_code == 403
    assert _stock(book.id) == 20

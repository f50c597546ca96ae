"""Cached storefront pages never show a stale catalogue."""

from shop.extensions import db
from tests.factories import BookFactory


def test_an_edit_shows_at_once_on_cached_pages(app, client):
    app.config["PAGE_CACHE"] = True
    book = BookFactory(slug="book", title="Old title", stock=20)
    assert "Old title" in client.get("/products/book").get_data(as_text=True)
    book.title = "New title"
    book.stock = 2
    db.session.commit()
    html = client.get("/products/book").get_data(as_text=True)
    assert "New title" in html and "Only 2 left" in html
    assert "New title" in client.get("/catalogue").get_data(as_text=True)


def test_a_change_made_elsewhere_shows_once_the_stamp_is_checked(app, client):
    app.config.update(PAGE_CACHE=True, PAGE_CACHE_CHECK_SECONDS=0)
    BookFactory(slug="book", title="Old title")
    client.get("/products/book")
    with db.engine.begin() as conn:  # another process: no ORM events in this one
        conn.execute(db.text("UPDATE products SET title = 'Other title', updated_at = CURRENT_TIMESTAMP"))
    assert "Other title" in client.get("/products/book").get_data(as_text=True)

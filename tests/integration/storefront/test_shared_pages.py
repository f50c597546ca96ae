"""Storefront pages are cached once and shared by every visitor, signed in or not: what differs between
visitors (the account links, the cart count, form tokens, whether they own a course) is filled in per request,
so nobody ever sees another visitor's part of a page."""

import pytest

from shop.catalogue import seeding
from shop.core import storage
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.web import pagecache
from tests.factories import DEFAULT_PASSWORD, BookFactory, ProductFactory, UserFactory
from tests.support.checkout_helpers import add_to_cart
from tests.support.forms import log_in, main_of, text


@pytest.fixture
def page_cache(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE", True)
    monkeypatch.setitem(app.config, "PAGE_CACHE_CHECK_SECONDS", 0)
    pagecache.clear()
    yield
    pagecache.clear()


def _signed_in(app, user):
    client = app.test_client()
    log_in(client, user.email, DEFAULT_PASSWORD)
    return client


def _owner_of(course):
    user = UserFactory()
    db.session.add(CourseAccess(email=user.email, user_id=user.id, product_id=course.id))
    db.session.commit()
    return user


def test_one_cached_course_page_tells_its_owner_and_offers_it_to_everyone_else(app, client, page_cache):
    course = ProductFactory(title="Trigger Points", slug="tp")
    owner, other = _signed_in(app, _owner_of(course)), _signed_in(app, UserFactory())
    for _ in range(2):  # rendered once, then served from the cache to each of them
        visitor_page, owner_page, other_page = (text(c.get("/products/tp")) for c in (client, owner, other))
        assert pagecache.size()[0] == 1
        assert "You own this course" in owner_page and 'action="/cart/add"' not in str(main_of(owner_page))
        for page in (visitor_page, other_page):
            assert "You own this course" not in page and 'action="/cart/add"' in str(main_of(page))


def test_the_header_is_each_visitors_own_on_a_shared_page(app, client, page_cache):
    book = BookFactory(stock=9, slug="the-book")
    customer = UserFactory(email="jo@example.com")
    signed_in = _signed_in(app, customer)
    add_to_cart(signed_in, book, 2)
    visitor_page = text(client.get("/products/the-book"))
    customer_page = text(signed_in.get("/products/the-book"))
    assert "Log in" in visitor_page and "Log out" not in visitor_page
    assert "Log out" in customer_page and "My account" in customer_page and ">Log in<" not in customer_page
    assert 'class="cart-count">0<' in visitor_page and 'class="cart-count">2<' in customer_page
    assert text(client.get("/products/the-book")) == visitor_page  # nothing of the customer's stayed behind


def test_a_staff_member_sees_the_back_office_link_and_a_customer_does_not(app, page_cache):
    BookFactory(slug="the-book")
    staff, customer = _signed_in(app, UserFactory(role="staff")), _signed_in(app, UserFactory())
    assert "Back office" in text(staff.get("/products/the-book"))
    assert "Back office" not in text(customer.get("/products/the-book"))


def test_an_unknown_choice_is_refused_when_a_page_is_rendered():
    with pytest.raises(ValueError):
        pagecache.choice("no-such-condition", 1, "a", "b")


def test_the_page_cache_is_bounded_in_bytes(app, client, page_cache, monkeypatch):
    monkeypatch.setattr(pagecache, "MAX_BYTES", 30_000)  # a few product pages
    for n in range(8):
        BookFactory(slug=f"book-{n}")
    for n in range(8):
        assert client.get(f"/products/book-{n}").status_code == 200
    pages, size = pagecache.size()
    assert size <= 30_000 and 0 < pages < 8
    assert ("product", "book-7") in pagecache._entries and ("product", "book-0") not in pagecache._entries


SIGNED_IN_PAGES = ["/", "/catalogue", "/catalogue?kind=course&sort=price-asc&page=2", "/products/str-starter-combo",
                   "/products/soft-tissue-release-book", "/search?q=myofacial", "/offers"]


def _queries(client, count_queries):
    counts = {}
    for url in SIGNED_IN_PAGES:
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts[url] = counter.count
    return counts


@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "cached"])
def test_signed_in_pages_issue_a_constant_number_of_queries(app, count_queries, cached, monkeypatch):
    for key, value in {"PAGE_CACHE": cached, "CATALOGUE_PAGE_SIZE": 6, "PAGE_CACHE_CHECK_SECONDS": 0}.items():
        monkeypatch.setitem(app.config, key, value)
    pagecache.clear()
    seeding.load_demo(storage.public())
    seeding.load_bulk(5)
    customer = UserFactory()
    client = _signed_in(app, customer)
    add_to_cart(client, db.session.execute(db.select(seeding.Product).filter_by(slug="soft-tissue-release-book"))
                .scalar_one())
    small = _queries(client, count_queries)
    seeding.load_bulk(1980)
    large = _queries(client, count_queries)
    pagecache.clear()
    assert small == large
    assert max(small.values()) <= 14


def test_a_sale_refreshes_the_stock_on_the_page_but_keeps_the_search_words_and_the_promotions(app, client, page_cache):
    from shop.catalogue import search, stock
    from shop.promotions import loader

    book = BookFactory(slug="the-book", title="Soft Tissue Release", stock=50)
    assert "In stock" in text(client.get("/products/the-book"))
    words, promotions = search.vocabulary()["stamp"], loader.live_set()
    assert stock.take(book.id, 49)
    db.session.commit()
    assert "Only 1 left" in text(client.get("/products/the-book"))  # the page shows the stock as it is now
    assert search.vocabulary()["stamp"] == words  # not read again: a sale edits no product
    assert loader.live_set() is promotions
    book.title = "Soft Tissue Release, second edition"
    db.session.commit()
    assert search.vocabulary()["stamp"] != words  # an edit is read again

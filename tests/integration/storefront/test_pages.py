"""What a customer sees on the home, catalogue, search, product and offers pages."""

import re

import pytest

from shop.catalogue import seeding
from shop.core import storage
from tests.factories import BookFactory, CategoryFactory, ComboFactory, MembershipFactory, ProductFactory


@pytest.fixture
def demo(app):
    seeding.load_demo(storage.public())


def titles(response):
    return re.findall(r'class="card__title">([^<]+)<', response.get_data(as_text=True))


def test_home_shows_the_order_line_featured_book_and_sections(client, demo):
    html = client.get("/").get_data(as_text=True)
    assert "Order by phone (USA)" in html and "1 800 741 5716" in html
    assert 'href="tel:+18007415716"' in html
    assert "Soft Tissue Release" in html and "Mary Sanderson" in html
    for heading in ("Latest home study courses", "Combo deals", "Special offers"):
        assert f">{heading}</h2>" in html
    assert "not medical advice" in html
    for policy in ("Shipping", "Returns and refunds", "Privacy", "Terms of sale"):
        assert policy in html


def test_order_line_comes_from_configuration(app, client, demo):
    app.config["ORDER_PHONE"] = "1 888 555 0100"
    assert "1 888 555 0100" in client.get("/").get_data(as_text=True)


def test_catalogue_paginates(app, client):
    ProductFactory.create_batch(30)
    app.config["CATALOGUE_PAGE_SIZE"] = 24
    first, second = client.get("/catalogue"), client.get("/catalogue?page=2")
    assert len(titles(first)) == 24 and len(titles(second)) == 6
    assert not set(titles(first)) & set(titles(second))
    assert "page 1 of 2" in first.get_data(as_text=True)


def test_catalogue_filters_by_kind_and_category(client):
    stretching = CategoryFactory(name="Stretching", slug="stretching")
    ProductFactory(title="Stretch course", categories=[stretching])
    ProductFactory(title="Other course")
    BookFactory(title="The book")
    assert titles(client.get("/catalogue?kind=book")) == ["The book"]
    assert titles(client.get("/catalogue?category=stretching")) == ["Stretch course"]
    assert sorted(titles(client.get("/catalogue?kind=course"))) == ["Other course", "Stretch course"]


def test_catalogue_sorts_by_price_title_and_newest(client):
    ProductFactory(title="Bravo", price_cents=300)
    ProductFactory(title="Alpha", price_cents=200)
    ProductFactory(title="Charlie", price_cents=100)
    assert titles(client.get("/catalogue?sort=price-asc")) == ["Charlie", "Alpha", "Bravo"]
    assert titles(client.get("/catalogue?sort=price-desc")) == ["Bravo", "Alpha", "Charlie"]
    assert titles(client.get("/catalogue?sort=title")) == ["Alpha", "Bravo", "Charlie"]
    assert titles(client.get("/catalogue?sort=newest")) == ["Charlie", "Alpha", "Bravo"]


def test_retired_products_are_not_listed_or_shown(client):
    ProductFactory(title="Retired course", slug="retired", is_active=False)
    assert titles(client.get("/catalogue")) == []
    assert client.get("/products/retired").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("myofascial", "Myofascial Release: Principles and Practice"),
        ("myofacial", "Myofascial Release: Principles and Practice"),
        ("sanderson", "Soft Tissue Release"),
        ("CE-ETHICS", "Ethics for Massage Therapists"),
        ("contract-relax", "Assisted Stretching for Manual Therapists"),
        ("triger point", "Trigger Point Therapy for the Neck and Shoulders"),
    ],
)
def test_search_finds_by_title_author_sku_and_description_despite_typos(client, demo, query, expected):
    assert expected in titles(client.get("/search", query_string={"q": query}))


def test_search_ranks_title_matches_first(client, demo):
    found = titles(client.get("/search?q=myofascial"))
    assert found[0].startswith("Myofascial")


def test_search_for_nonsense_finds_nothing_and_says_so(client, demo):
    response = client.get("/search?q=zzzqqqxxx")
    assert response.status_code == 200
    assert titles(response) == []
    assert "Nothing matched" in response.get_data(as_text=True)


def test_search_treats_like_wildcards_as_text(client, demo):
    assert titles(client.get("/search", query_string={"q": "100%_"})) == []


def test_book_page_shows_stock_levels(app, client):
    app.config["LOW_STOCK_THRESHOLD"] = 5
    BookFactory(slug="plenty", stock=20)
    BookFactory(slug="few", stock=3)
    BookFactory(slug="none", stock=0)
    assert "In stock" in client.get("/products/plenty").get_data(as_text=True)
    assert "Only 3 left" in client.get("/products/few").get_data(as_text=True)
    assert "Out of stock" in client.get("/products/none").get_data(as_text=True)


def test_course_page_shows_format_and_ce_hours(client):
    ProductFactory(slug="kit", course_format="online_with_kit", ce_hours=12)
    ProductFactory(slug="online", course_format="online", ce_hours=3)
    kit = client.get("/products/kit").get_data(as_text=True)
    assert "printed kit" in kit and "12 CE hours" in kit
    online = client.get("/products/online").get_data(as_text=True)
    assert "Instant online access" in online and "3 CE hours" in online


def test_product_description_is_rendered_markdown_without_scripts(client):
    ProductFactory(slug="md", description_md="Learn **locks**.\n\n<script>steal()</script>")
    html = client.get("/products/md").get_data(as_text=True)
    assert "<strong>locks</strong>" in html
    assert "steal()" not in html or "<script>steal()" not in html


def test_combo_page_lists_components_separate_prices_and_saving(client):
    book = BookFactory(title="STR book", price_cents=4995)
    course = ProductFactory(title="STR course", price_cents=14900)
    ComboFactory(slug="combo", title="Starter", price_cents=16900, parts=[(book, 1), (course, 1)])
    html = client.get("/products/combo").get_data(as_text=True)
    assert "STR book" in html and "STR course" in html
    assert "$198.95" in html and "$169.00" in html and "$29.95" in html


def test_combo_is_out_of_stock_when_its_book_is(client):
    book = BookFactory(stock=0)
    ComboFactory(slug="combo", parts=[(book, 1), (ProductFactory(), 1)])
    assert "Out of stock" in client.get("/products/combo").get_data(as_text=True)


def test_membership_page_shows_monthly_price(client):
    MembershipFactory(slug="member")
    html = client.get("/products/member").get_data(as_text=True)
    assert "$19.95" in html and "a month" in html


def test_offers_page_lists_combo_deals_and_membership(client, demo):
    html = client.get("/offers").get_data(as_text=True)
    assert "Trigger Point Complete" in html and "All-Access Course Membership" in html and "You save" in html


@pytest.mark.parametrize("name", ["about", "contact", "shipping", "returns", "privacy", "terms", "disclaimer"])
def test_information_pages_exist(client, name):
    assert client.get(f"/pages/{name}").status_code == 200


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/catalogue?page=abc", 400, "whole number"),
        ("/catalogue?page=0", 400, "whole number"),
        ("/catalogue?page=99999999999", 400, "whole number"),
        ("/catalogue?page=5", 404, "past the end"),
        ("/catalogue?kind=vegetable", 400, "no product kind"),
        ("/catalogue?sort=random", 400, "cannot be sorted"),
        ("/catalogue?category=nope", 404, "category does not exist"),
        ("/products/does-not-exist", 404, "could not find"),
        ("/products/" + "x" * 500, 404, "Page not found"),
        ("/pages/secret", 404, "no page"),
        ("/media/../config.py", 404, "Page not found"),
    ],
)
def test_bad_requests_get_a_clear_message_and_the_right_status(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_state_changing_methods_are_refused_on_pages(client):
    assert client.post("/catalogue").status_code in (400, 405)

"""What search engines and link previews read: the sitemap, robots.txt, canonical links, meta descriptions, Open
Graph and Twitter tags, and the JSON-LD of the product, listing and home pages, checked against the database."""

import itertools
import json
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from shop.catalogue.models import Product
from shop.extensions import db
from shop.storefront import seo
from shop.web.metadata import lastmod
from tests.factories import (
    BookFactory,
    CategoryFactory,
    ComboFactory,
    MembershipFactory,
    ProductFactory,
    PromotionFactory,
)
from tests.support.xss import active_content

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
BASE = "http://localhost"  # the test settings' PUBLIC_BASE_URL
PRIVATE = ("/backoffice/", "/marketing/", "/cart", "/checkout", "/account", "/my/", "/pay/", "/dev/")


def _sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)  # noqa: S314 (the shop's own sitemap, no entities)
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    entries = {}
    for url in root:
        assert url.tag == f"{{{SITEMAP_NS}}}url"
        changed = url.find(f"{{{SITEMAP_NS}}}lastmod")
        entries[url.find(f"{{{SITEMAP_NS}}}loc").text] = changed.text if changed is not None else None
    return entries


def _head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").head


def _canonical(client, url):
    links = _head(client, url).find_all("link", rel="canonical")
    return links[0]["href"] if len(links) == 1 else links


def _meta(head, key):
    tag = head.find("meta", attrs={"property": key}) or head.find("meta", attrs={"name": key})
    return tag["content"] if tag is not None else None


def _json_ld(client, url):
    """{@type (joined with +): data} of the page's JSON-LD blocks."""
    found = {}
    for script in _head(client, url).find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        kind = data["@type"]
        found["+".join(kind) if isinstance(kind, list) else kind] = data
    return found


def _price(cents):
    return f"{cents // 100}.{cents % 100:02d}"


def test_the_sitemap_lists_every_product_on_sale_and_each_category_with_lastmod(client):
    stretching, ethics = CategoryFactory(slug="stretching"), CategoryFactory(slug="ethics")
    on_sale = [ProductFactory(categories=[stretching]), BookFactory(), MembershipFactory(slug="membership"),
               ComboFactory(categories=[ethics])]
    ProductFactory(slug="retired-course", is_active=False, categories=[ethics])
    entries = _sitemap(client)

    for product in on_sale:
        row = db.session.get(Product, product.id)
        assert entries[f"{BASE}/products/{row.slug}"] == lastmod(row.updated_at)
    assert not [url for url in entries if "retired-course" in url]
    assert len([url for url in entries if "/products/" in url]) == len(on_sale)
    assert entries[f"{BASE}/catalogue?category=stretching"] == lastmod(
        max(db.session.get(Product, on_sale[0].id).updated_at, stretching.updated_at))
    assert entries[f"{BASE}/catalogue?category=ethics"] is not None
    for path in ("/", "/catalogue", "/catalogue?kind=course", "/catalogue?kind=book", "/catalogue?kind=combo",
                 "/offers", "/membership", "/pages/shipping", "/pages/returns", "/pages/privacy", "/pages/terms",
                 "/pages/about", "/pages/contact"):
        assert f"{BASE}{path}" in entries, path
    assert entries[f"{BASE}/"] is not None and entries[f"{BASE}/pages/terms"] is None  # a template has no row


def test_sitemap_links_are_absolute_from_the_public_address_or_else_the_request_host(app, client):
    ProductFactory(slug="neck")
    app.config["PUBLIC_BASE_URL"] = "https://shop.example.com/store"
    assert "https://shop.example.com/store/products/neck" in _sitemap(client)
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /store/backoffice/" in robots and "Sitemap: https://shop.example.com/store/sitemap.xml" in robots
    app.config["PUBLIC_BASE_URL"] = ""
    response = client.get("/sitemap.xml", base_url="http://127.0.0.1:8080")
    assert b"<loc>http://127.0.0.1:8080/products/neck</loc>" in response.data
    assert _canonical_at(client, "/products/neck", "http://127.0.0.1:8080") == "http://127.0.0.1:8080/products/neck"


def _canonical_at(client, url, base_url):
    html = client.get(url, base_url=base_url).get_data(as_text=True)
    return BeautifulSoup(html, "html.parser").head.find("link", rel="canonical")["href"]


def test_the_sitemap_stops_at_its_limit_however_long_a_source_is(app, monkeypatch):
    ProductFactory.create_batch(3)
    endless = (("https://shop.test/n/" + str(n), None) for n in itertools.count())
    monkeypatch.setattr(seo, "SITEMAP_SOURCES", [*seo.SITEMAP_SOURCES, lambda: endless])
    with app.test_request_context("/sitemap.xml"):
        entries = seo.sitemap_entries(limit=40)
        assert len(entries) == 40 and entries[-1][0].startswith("https://shop.test/n/")
        assert len(seo.sitemap_entries(limit=5)) == 5
    assert seo.MAX_URLS == 50_000


def test_a_new_sitemap_source_is_one_decorated_function(client, monkeypatch):
    monkeypatch.setattr(seo, "SITEMAP_SOURCES", list(seo.SITEMAP_SOURCES))

    @seo.sitemap_source
    def articles():
        return [(f"{BASE}/articles/fascia", date(2025, 3, 1))]

    assert seo.sitemap_source(articles) is articles and seo.SITEMAP_SOURCES.count(articles) == 1
    assert _sitemap(client)[f"{BASE}/articles/fascia"] == "2025-03-01"


def test_robots_disallows_the_private_areas_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")}
    assert set(PRIVATE) <= disallowed
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /" not in lines and "Disallow: /products/" not in lines


def test_a_filtered_or_sorted_listing_is_canonical_to_the_plain_listing(app, client):
    stretching = CategoryFactory(slug="stretching")
    ProductFactory.create_batch(3, categories=[stretching])
    app.config["CATALOGUE_PAGE_SIZE"] = 2
    assert _canonical(client, "/catalogue?sort=price-asc&page=1") == f"{BASE}/catalogue"
    assert _canonical(client, "/catalogue?category=stretching&kind=course&sort=title") == (
        f"{BASE}/catalogue?category=stretching")
    assert _canonical(client, "/catalogue?kind=course&sort=price-desc") == f"{BASE}/catalogue?kind=course"
    assert _canonical(client, "/catalogue?page=2") == f"{BASE}/catalogue?page=2"  # a later page lists others
    assert _canonical(client, "/catalogue?sort=title&page=2") == f"{BASE}/catalogue"
    assert _canonical(client, "/search?q=course&sort=price-asc&page=2") == f"{BASE}/search"


def test_a_product_page_is_canonical_to_the_product_without_its_query(client):
    ProductFactory(slug="neck-and-shoulders")
    head = _head(client, "/products/neck-and-shoulders?utm_source=mail&ref=x")
    assert head.find("link", rel="canonical")["href"] == f"{BASE}/products/neck-and-shoulders"
    assert _meta(head, "og:url") == f"{BASE}/products/neck-and-shoulders"


def test_private_and_error_pages_carry_no_canonical_link(client):
    assert _canonical(client, "/cart") == []
    error = BeautifulSoup(client.get("/products/nothing-here").get_data(as_text=True), "html.parser")
    assert error.find("link", rel="canonical") is None
    assert _canonical(client, "/pages/terms") == f"{BASE}/pages/terms"


def test_a_product_page_describes_itself_for_search_results_and_link_previews(app, client):
    summary = "Release tight muscles with the lock and stretch method, step by step, " * 4
    ProductFactory(slug="long", title="Long course", summary=summary, with_image=True)
    head = _head(client, "/products/long")
    description = _meta(head, "description")
    assert summary.startswith(description[:-1]) and description.endswith("…") and len(description) <= 160
    assert _meta(head, "og:description") == _meta(head, "twitter:description") == description
    assert _meta(head, "og:title") == _meta(head, "twitter:title") == "Long course"
    assert _meta(head, "og:type") == "product" and _meta(head, "og:site_name") == app.config["SHOP_NAME"]
    assert _meta(head, "og:image") == f"{BASE}/media/products/long.svg"
    assert _meta(head, "twitter:card") == "summary_large_image"

    ProductFactory(slug="plain", summary="")
    plain = _head(client, "/products/plain")
    assert _meta(plain, "og:image") is None and _meta(plain, "twitter:card") == "summary"
    assert _meta(plain, "description")  # a sentence saying what it is, not nothing


def test_a_category_listing_is_described_by_its_category(client):
    CategoryFactory(slug="stretching", name="Stretching", description="Assisted and active stretching for clients.")
    head = _head(client, "/catalogue?category=stretching&sort=title")
    assert _meta(head, "description") == _meta(head, "og:description") == "Assisted and active stretching for clients."
    assert _meta(head, "og:type") == "website"


def test_the_book_is_a_product_and_a_book_with_its_offer_and_author(client):
    book = BookFactory(slug="str-book", title="Soft Tissue Release", author="Mary Sanderson", page_count=224)
    BookFactory(slug="sold-out", stock=0)
    row = db.session.get(Product, book.id)
    data = _json_ld(client, "/products/str-book")["Product+Book"]
    assert data["@context"] == "https://schema.org" and data["name"] == row.title
    assert data["author"] == {"@type": "Person", "name": row.author} and data["isbn"] == row.isbn
    assert data["numberOfPages"] == 224 and data["url"] == f"{BASE}/products/str-book"
    offer = data["offers"]
    assert offer["price"] == _price(row.price_cents) == "49.95" and offer["priceCurrency"] == row.currency
    assert offer["availability"] == "https://schema.org/InStock"
    assert _json_ld(client, "/products/sold-out")["Product+Book"]["offers"]["availability"] == (
        "https://schema.org/OutOfStock")


def test_a_course_is_a_course_from_the_shop_with_its_ce_hours(app, client):
    course = ProductFactory(slug="ethics", title="Ethics for Massage Therapists", price_cents=4900,
                            ce_hours="3.5", summary="Boundaries and consent.")
    row = db.session.get(Product, course.id)
    data = _json_ld(client, "/products/ethics")["Course"]
    assert data["name"] == row.title and data["provider"]["name"] == app.config["SHOP_NAME"]
    assert "3.5 CE hours" in data["description"] and data["description"].startswith("Boundaries and consent.")
    assert data["hasCourseInstance"]["courseWorkload"] == "PT3H30M"
    assert data["hasCourseInstance"]["courseMode"] == "online"
    assert data["offers"]["price"] == _price(row.price_cents) and data["offers"]["priceCurrency"] == "USD"
    assert data["offers"]["availability"] == "https://schema.org/InStock" and data["offers"]["category"] == "Paid"


def test_a_combo_is_a_product_whose_availability_follows_its_books(client):
    book, course = BookFactory(stock=20), ProductFactory()
    combo = ComboFactory(slug="bundle", parts=[(book, 1), (course, 1)])
    data = _json_ld(client, "/products/bundle")["Product"]
    row = db.session.get(Product, combo.id)
    assert data["name"] == row.title and data["offers"]["price"] == _price(row.price_cents) == "150.00"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    ComboFactory(slug="short", parts=[(BookFactory(stock=0), 1)])
    assert _json_ld(client, "/products/short")["Product"]["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_the_offer_is_at_the_price_the_page_shows_during_a_promotion(client):
    ProductFactory(slug="on-offer", price_cents=9900)
    PromotionFactory()  # 10 % off everything, for everyone
    assert _json_ld(client, "/products/on-offer")["Course"]["offers"]["price"] == "89.10"


def test_product_and_category_pages_have_breadcrumbs(client):
    CategoryFactory(slug="stretching", name="Stretching")
    BookFactory(slug="str-book", title="Soft Tissue Release")
    crumbs = _json_ld(client, "/products/str-book")["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", f"{BASE}/"), (2, "Books", f"{BASE}/catalogue?kind=book"),
        (3, "Soft Tissue Release", f"{BASE}/products/str-book")]
    listing = _json_ld(client, "/catalogue?category=stretching&sort=title")["BreadcrumbList"]["itemListElement"]
    assert [(c["name"], c["item"]) for c in listing] == [
        ("Home", f"{BASE}/"), ("All products", f"{BASE}/catalogue"),
        ("Stretching", f"{BASE}/catalogue?category=stretching")]


def test_the_home_page_names_the_organization_and_its_order_line(app, client):
    app.config["ORDER_PHONE"] = "1 888 555 0100"
    data = _json_ld(client, "/")["Organization"]
    assert data["telephone"] == app.config["ORDER_PHONE"] == data["contactPoint"]["telephone"]
    assert data["name"] == app.config["SHOP_NAME"] and data["url"] == f"{BASE}/"
    assert urlsplit(data["logo"]).path == "/static/favicon.svg"


def test_a_title_that_closes_the_script_cannot_break_out_of_the_json_ld(client):
    title = "</script><script>alert(1)</script>"
    ProductFactory(slug="break-out", title=title, summary="<!-- <script>alert(2)</script>")
    html = client.get("/products/break-out").get_data(as_text=True)
    page = BeautifulSoup(html, "html5lib")  # as a browser parses it
    scripts = page.find_all("script")
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in scripts)
    blocks = [json.loads(s.string) for s in scripts if s.get("type") == "application/ld+json"]
    assert [b["name"] for b in blocks if b["@type"] == "Course"] == [title]
    assert blocks[-1]["itemListElement"][-1]["name"] == title
    assert len(blocks) == 2 and active_content(html) == []
    assert page.head.find("meta", attrs={"property": "og:title"})["content"] == title

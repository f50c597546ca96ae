"""Storefront pages cost the same number of queries with 20 products as with 2,000."""

import pytest

from shop.catalogue import seeding
from shop.core import storage

PAGES = ["/", "/catalogue", "/catalogue?kind=course&sort=price-asc&page=2", "/products/str-starter-combo",
         "/products/soft-tissue-release-book", "/search?q=myofacial", "/offers"]


def _queries_per_page(client, count_queries):
    counts = {}
    for url in PAGES:
        client.get(url)  # warm the search vocabulary, like a running server
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts[url] = counter.count
    return counts


@pytest.mark.parametrize("page_cache", [False, True], ids=["rendered", "cached"])
def test_pages_issue_a_constant_number_of_queries(app, client, count_queries, page_cache, monkeypatch):
    # the stamp is read on every request here, so that no count depends on the clock
    for key, value in {"PAGE_CACHE": page_cache, "CATALOGUE_PAGE_SIZE": 6, "PAGE_CACHE_CHECK_SECONDS": 0}.items():
        monkeypatch.setitem(app.config, key, value)
    seeding.load_demo(storage.public())
    seeding.load_bulk(5)  # 20 products
    small = _queries_per_page(client, count_queries)
    seeding.load_bulk(1980)  # 2,000 products
    large = _queries_per_page(client, count_queries)
    assert small == large
    assert max(small.values()) <= 10

"""A listing's canonical URL: the plain listing, keeping only a later page of an unfiltered, unsorted one."""

import pytest

from shop.catalogue.services import ListingQuery
from shop.storefront.seo_pages import listing_canonical_args


@pytest.mark.parametrize(("query", "args"), [
    (ListingQuery(), {}),
    (ListingQuery(page=1), {}),
    (ListingQuery(sort="price-asc"), {}),
    (ListingQuery(page=3), {"page": 3}),
    (ListingQuery(sort="title", page=3), {}),
    (ListingQuery(kind="course", sort="price-desc"), {"kind": "course"}),
    (ListingQuery(kind="course", page=2), {"kind": "course", "page": 2}),
    (ListingQuery(category="stretching", sort="newest", page=1), {"category": "stretching"}),
    (ListingQuery(category="stretching", page=2), {"category": "stretching", "page": 2}),
    (ListingQuery(category="stretching", kind="book"), {"category": "stretching"}),
    (ListingQuery(category="stretching", kind="book", page=2), {"category": "stretching"}),
    (ListingQuery(q="stretch", page=2), {}),
])
def test_a_catalogue_listing_is_canonical_to_the_plain_listing(query, args):
    assert listing_canonical_args(query) == args


def test_search_results_are_canonical_to_the_search_page():
    assert listing_canonical_args(ListingQuery(q="trigger point", kind="course", page=2), searching=True) == {}

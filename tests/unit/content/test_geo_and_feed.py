"""The directory's distances and ZIP-code places, and the articles' Atom feed, without a database."""

from datetime import datetime
from xml.etree import ElementTree as ET

import pytest

from shop.content import feed, geo
from shop.content.text import render_article_markdown

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_known_zip_code_is_a_place_and_an_unknown_or_malformed_one_is_none():
    portland = geo.place_for_zip("04101")
    assert (portland.city, portland.state) == ("Portland", "ME")
    assert geo.place_for_zip("04101-1234") == portland
    for text in ("00000", "4101", "abcde", "", "041011", "٠٤١٠١"):
        assert geo.place_for_zip(text) is None, text


def test_distances_are_great_circle_miles():
    assert geo.miles_between(43.6606, -70.2589, 43.6606, -70.2589) == 0
    portland, new_york = geo.place_for_zip("04101"), geo.place_for_zip("10001")
    miles = geo.miles_between(portland.latitude, portland.longitude, new_york.latitude, new_york.longitude)
    assert 270 < miles < 285  # about 277 miles as the crow flies


@pytest.mark.parametrize("miles", [10, 25, 50, 100])
def test_the_bounding_box_holds_every_point_within_the_radius(miles):
    low_lat, high_lat, low_lng, high_lng = geo.bounding_box(43.66, -70.26, miles)
    for bearing_lat, bearing_lng in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        lat = 43.66 + bearing_lat * miles / 69.5
        lng = -70.26 + bearing_lng * miles / (69.5 * 0.7237)
        assert geo.miles_between(43.66, -70.26, lat, lng) <= miles * 1.01
        assert low_lat <= lat <= high_lat and low_lng <= lng <= high_lng


def test_the_feed_is_atom_with_each_entry_and_the_newest_time_as_its_own():
    entries = [feed.FeedEntry("https://x.test/articles/a", "A <b>", "Sum & more", "Mary", datetime(2026, 11, 1),
                              datetime(2026, 11, 3)),
               feed.FeedEntry("https://x.test/articles/b", "B", "", "", datetime(2026, 10, 1), datetime(2026, 10, 1))]
    document = ET.fromstring(feed.atom(title="Articles", feed_url="https://x.test/articles/feed.xml",  # noqa: S314
                                       site_url="https://x.test/articles", author="Shop", entries=entries))
    assert document.findtext(f"{ATOM}updated") == "2026-11-03T00:00:00Z"
    first = document.find(f"{ATOM}entry")
    assert first.findtext(f"{ATOM}title") == "A <b>" and first.findtext(f"{ATOM}summary") == "Sum & more"
    assert first.find(f"{ATOM}link").get("href") == "https://x.test/articles/a"


def test_article_images_come_only_from_the_shops_article_store():
    html = render_article_markdown("![a](/media/articles/x-image-0a1b2c3d.png) ![b](/media/products/y.png) "
                                   "![c](https://elsewhere.test/z.png) ![d](/media/articles/../../etc/passwd.png)")
    assert html.count("<img") == 1 and 'src="/media/articles/x-image-0a1b2c3d.png"' in html

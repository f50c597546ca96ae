"""Meta descriptions cut to what a search result shows, and sitemap dates in the W3C form."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shop.web.metadata import DESCRIPTION_LIMIT, lastmod, meta_description


def test_a_short_description_is_kept_on_one_line():
    assert meta_description("  Lock and\n\tstretch   muscles. ") == "Lock and stretch muscles."
    assert meta_description(None) == meta_description("") == ""


def test_a_long_description_is_cut_at_a_word_with_an_ellipsis():
    text = "Soft tissue release, " + "the lock and stretch technique for muscles that stay tight " * 5
    cut = meta_description(text)
    assert len(cut) <= DESCRIPTION_LIMIT and cut.endswith("…")
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] == " "  # a whole word before the ellipsis
    assert meta_description("x" * 400) == "x" * (DESCRIPTION_LIMIT - 1) + "…"  # one long word is cut inside


@pytest.mark.parametrize("limit", [20, 60, 160])
def test_the_limit_holds_whatever_the_text(limit):
    for n in range(1, 300, 7):
        assert len(meta_description("word " * n + "x" * n, limit)) <= limit


def test_lastmod_is_a_w3c_datetime_in_utc():
    assert lastmod(datetime(2025, 3, 1, 14, 5, 9, 123456)) == "2025-03-01T14:05:09+00:00"  # stored naive UTC
    eastern = timezone(timedelta(hours=-5))
    assert lastmod(datetime(2025, 3, 1, 9, 5, tzinfo=eastern)) == "2025-03-01T14:05:00+00:00"
    assert lastmod(datetime(2025, 3, 1, tzinfo=UTC)) == "2025-03-01T00:00:00+00:00"
    assert lastmod(date(2025, 3, 1)) == "2025-03-01"
    assert lastmod(None) is None

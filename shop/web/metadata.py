"""What pages tell search engines and link previews: absolute public URLs, meta description text, sitemap dates.

`public_url(endpoint, **values)` is the one way a page builds an absolute link to itself or another page (the
canonical link, Open Graph URLs and images, JSON-LD, the sitemap and robots.txt): from PUBLIC_BASE_URL when it
is set, as e-mails build theirs, otherwise from the host the request came to.
"""

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for

DESCRIPTION_LIMIT = 160  # about what a search result shows of a page's description
ELLIPSIS = "…"


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of `endpoint` (values left as None are left out of it)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    values = {key: value for key, value in values.items() if value is not None}
    if not base:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def meta_description(text: str | None, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` as one line of at most `limit` characters, cut at a word with an ellipsis when it is longer."""
    words = " ".join(str(text or "").split())
    if len(words) <= limit:
        return words
    cut = words[: limit - len(ELLIPSIS) + 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut[: limit - len(ELLIPSIS)]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def lastmod(value: datetime | date | None) -> str | None:
    """A stored time (naive UTC) or a date as a sitemap's W3C datetime: '2025-03-01T14:05:00+00:00'."""
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="seconds")
    return value.isoformat()

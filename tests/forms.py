"""Posting forms in tests the way a browser does: fetch the page, take its CSRF token, post."""

import html as html_lib
import re

_TOKEN_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE_RE = re.compile(r'value="([^"]*)"')


def csrf_token(html):
    """The first csrf_token hidden input's value in a page's <main> (the header has forms of its own)."""
    main = html.find('id="main"')
    tag = _TOKEN_RE.search(html, main if main >= 0 else 0) or _TOKEN_RE.search(html)
    if tag is None:
        raise AssertionError("no csrf_token input on the page")
    return html_lib.unescape(_VALUE_RE.search(tag.group(0)).group(1))


def post_form(client, url, data=None, *, page=None, follow_redirects=False, **kwargs):
    """GET `page` (default: `url`), then POST `data` to `url` with that page's CSRF token."""
    response = client.get(page or url)
    assert response.status_code in (200, 400, 422), f"GET {page or url} answered {response.status_code}"
    fields = dict(data or {})
    fields["csrf_token"] = csrf_token(response.get_data(as_text=True))
    return client.post(url, data=fields, follow_redirects=follow_redirects, **kwargs)


def log_in(client, email, password, *, next_url=None, remember=False):
    url = "/account/login" + (f"?next={next_url}" if next_url else "")
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return post_form(client, url, data)

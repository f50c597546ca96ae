"""A first visit costs no session: storefront pages set no cookie and hold no token, and the first Add to cart
is accepted by the browser's word that it came from the shop's own page, and from nowhere else."""

import pytest

from shop.cart.models import CartItem
from shop.extensions import db
from tests.factories import BookFactory
from tests.support.forms import csrf_token, input_value, text

OWN_PAGE = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}


def _add(client, book, headers, token=""):
    return client.post("/cart/add", data={"csrf_token": token, "product_id": book.id, "quantity": 1},
                       headers=headers)


def _items():
    return db.session.query(CartItem).count()


@pytest.mark.parametrize("path", ["/", "/catalogue", "/products/{slug}", "/search?q=release", "/offers"])
def test_a_first_visit_to_a_storefront_page_sets_no_cookie(client, path):
    book = BookFactory(title="Soft Tissue Release", stock=5)
    response = client.get(path.format(slug=book.slug))
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []


def test_the_add_to_cart_form_of_a_first_visit_holds_no_token(client):
    book = BookFactory(stock=5)
    assert input_value(text(client.get(f"/products/{book.slug}")), "csrf_token") == ""


def test_a_first_visitor_adds_to_the_cart_from_the_shops_own_page(client):
    book = BookFactory(stock=5)
    response = _add(client, book, OWN_PAGE)
    assert response.status_code == 303
    assert _items() == 1
    assert any(c.startswith("session=") for c in response.headers.getlist("Set-Cookie"))
    # from now on this visitor has a session, and its pages carry its token
    assert csrf_token(text(client.get(f"/products/{book.slug}"))) != ""


def test_a_first_visit_post_whose_referer_is_the_shops_own_page_is_accepted(client):
    book = BookFactory(stock=5)
    headers = {"Origin": "", "Referer": f"http://localhost/products/{book.slug}", "Sec-Fetch-Site": "same-origin"}
    assert _add(client, book, headers).status_code == 303
    assert _items() == 1


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.test", "Sec-Fetch-Site": "cross-site"},
    {"Origin": "https://evil.test", "Sec-Fetch-Site": ""},
    {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"},  # a forged Origin cannot hide where it came from
    {"Origin": "http://localhost", "Sec-Fetch-Site": "same-site"},  # a neighbouring subdomain is another site
    {"Origin": "null", "Sec-Fetch-Site": "same-origin"},  # a sandboxed frame or a data: page
    {"Origin": "", "Referer": "", "Sec-Fetch-Site": "same-origin"},  # says nothing of where it came from
    {"Origin": "", "Referer": "https://evil.test/products/x", "Sec-Fetch-Site": "same-origin"},
], ids=["other-site", "other-origin", "cross-site-fetch", "same-site-fetch", "null-origin", "no-origin",
        "other-referer"])
def test_a_first_visit_post_from_anywhere_else_is_refused(client, headers):
    book = BookFactory(stock=5)
    response = _add(client, book, headers)
    assert response.status_code == 400
    assert "form expired or came from another site" in text(response)
    assert _items() == 0


def test_a_visitor_with_a_session_needs_the_token_even_from_the_shops_own_page(client):
    book = BookFactory(stock=5)
    assert _add(client, book, OWN_PAGE).status_code == 303  # now this browser has a session
    response = _add(client, book, OWN_PAGE)
    assert response.status_code == 400
    assert _items() == 1
    token = csrf_token(text(client.get(f"/products/{book.slug}")))
    assert _add(client, book, OWN_PAGE, token=token).status_code == 303


def test_a_remembered_login_cookie_counts_as_a_session(client):
    book = BookFactory(stock=5)
    client.set_cookie("remember_token", "1|anything")
    assert _add(client, book, OWN_PAGE).status_code == 400
    assert _items() == 0


@pytest.mark.parametrize("url", ["/cart/code", "/account/login", "/account/register", "/checkout/place"])
def test_no_other_form_is_taken_from_a_first_visit_without_its_token(client, url):
    response = client.post(url, data={"csrf_token": ""}, headers=OWN_PAGE)
    assert response.status_code == 400
    assert "form expired or came from another site" in text(response)

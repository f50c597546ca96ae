"""The cart: what may be added, changed and removed, and how it follows the customer through login."""

import re

import pytest

from shop.cart.models import Cart, CartItem
from shop.courses.models import CourseAccess
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, BookFactory, ComboFactory, MembershipFactory, ProductFactory, UserFactory
from tests.support.checkout_helpers import add_to_cart
from tests.support.forms import csrf_token, log_in


def _count(client):
    html = client.get("/").get_data(as_text=True)
    return int(re.search(r'class="cart-count">(\d+)<', html).group(1))


def _post(client, url, **data):
    """Post as the page's form would, with the CSRF token of this visitor's session."""
    ProductFactory(title="Something to list")
    token = csrf_token(client.get("/catalogue").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_adding_shows_in_the_header_count_and_the_cart(client):
    book = BookFactory(title="STR book", stock=10)
    assert _count(client) == 0
    response = add_to_cart(client, book, 2)
    assert response.status_code == 303
    assert _count(client) == 2
    assert "STR book" in client.get("/cart").get_data(as_text=True)


def test_a_book_cannot_be_added_beyond_its_stock(client):
    book = BookFactory(title="STR book", stock=3)
    add_to_cart(client, book, 2)
    response = add_to_cart(client, book, 2)
    assert response.status_code == 409
    assert "Only 3 copies of STR book are in stock." in response.get_data(as_text=True)
    assert _count(client) == 2


def test_an_out_of_stock_book_cannot_be_added(client):
    book = BookFactory(title="STR book", stock=1)
    book.stock = 0
    db.session.commit()
    response = _post(client, "/cart/add", product_id=book.id, quantity=1)
    assert response.status_code == 409 and "out of stock" in response.get_data(as_text=True)


def test_a_course_is_one_per_customer(client):
    course = ProductFactory(title="Trigger Points")
    add_to_cart(client, course)
    again = add_to_cart(client, course)
    assert again.status_code == 409
    assert "already in your cart" in again.get_data(as_text=True)
    assert _post(client, "/cart/update", product_id=course.id, quantity=2).status_code == 409
    assert _count(client) == 1


def test_a_combo_that_repeats_a_course_in_the_cart_is_refused(client):
    course = ProductFactory(title="Trigger Points")
    combo = ComboFactory(title="Trigger bundle", parts=[(course, 1), (ProductFactory(), 1)])
    add_to_cart(client, course)
    response = add_to_cart(client, combo)
    assert response.status_code == 409 and "overlaps with Trigger Points" in response.get_data(as_text=True)


def test_the_membership_is_joined_from_its_page_not_through_the_cart(client):
    membership = MembershipFactory()
    response = _post(client, "/cart/add", product_id=membership.id, quantity=1)
    assert response.status_code == 409 and "join it from its own page" in response.get_data(as_text=True)


def test_a_retired_product_cannot_be_added(client):
    retired = ProductFactory(is_active=False)
    response = _post(client, "/cart/add", product_id=retired.id, quantity=1)
    assert response.status_code == 409 and "no longer available" in response.get_data(as_text=True)


@pytest.mark.parametrize("data", [
    {"product_id": "abc", "quantity": "1"},
    {"product_id": "", "quantity": "1"},
    {"product_id": "1", "quantity": "-4"},
    {"product_id": "1", "quantity": "100000"},
    {"product_id": "99999999999999999999", "quantity": "1"},
])
def test_nonsense_in_the_add_form_is_a_400_with_a_message(client, data):
    response = _post(client, "/cart/add", **data)
    assert response.status_code in (400, 409)
    assert "error-box" in response.get_data(as_text=True)


def test_a_missing_csrf_token_is_refused_once_the_visitor_has_a_session(client):
    book = BookFactory()
    _post(client, "/cart/add", product_id=book.id, quantity=1)
    response = client.post("/cart/add", data={"product_id": book.id, "quantity": 1})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)


def test_quantities_change_and_zero_removes(client):
    book = BookFactory(stock=10)
    add_to_cart(client, book)
    assert _post(client, "/cart/update", product_id=book.id, quantity=4).status_code == 303
    assert _count(client) == 4
    _post(client, "/cart/update", product_id=book.id, quantity=0)
    assert _count(client) == 0


def test_remove_takes_the_line_out(client):
    book = BookFactory()
    add_to_cart(client, book)
    _post(client, "/cart/remove", product_id=book.id)
    assert "Your cart is empty" in client.get("/cart").get_data(as_text=True)


def test_a_guest_cart_survives_login_and_merges_with_the_saved_cart(app, client):
    book = BookFactory(title="STR book", stock=10)
    course = ProductFactory(title="Trigger Points")
    user = UserFactory()
    other = app.test_client()  # earlier, on another device, the customer saved a book in the cart
    log_in(other, user.email, DEFAULT_PASSWORD)
    add_to_cart(other, book, 1)

    add_to_cart(client, book, 2)  # now as a guest
    add_to_cart(client, course)
    response = log_in(client, user.email, DEFAULT_PASSWORD)
    assert response.status_code in (302, 303)
    carts = db.session.execute(db.select(Cart)).scalars().all()
    assert len(carts) == 1 and carts[0].user_id == user.id
    quantities = {item.product.title: item.quantity for item in carts[0].items}
    assert quantities == {"STR book": 3, "Trigger Points": 1}
    assert _count(client) == 4


def test_an_owned_course_is_shown_as_owned_and_cannot_be_added(client):
    course = ProductFactory(title="Trigger Points", slug="tp")
    user = UserFactory()
    db.session.add(CourseAccess(email=user.email, user_id=user.id, product_id=course.id))
    db.session.commit()
    log_in(client, user.email, DEFAULT_PASSWORD)
    assert "You own this course" in client.get("/products/tp").get_data(as_text=True)
    response = _post(client, "/cart/add", product_id=course.id, quantity=1)
    assert response.status_code == 409 and "You already own this course" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CartItem.id))) == 0


def test_stock_sold_meanwhile_is_reported_in_the_cart(client):
    book = BookFactory(title="STR book", stock=5)
    add_to_cart(client, book, 4)
    book.stock = 2
    db.session.commit()
    assert "Only 2 copies of STR book are in stock." in client.get("/cart").get_data(as_text=True)


def test_a_combo_saved_with_the_membership_before_the_rule_is_not_sold(client):
    membership = MembershipFactory()
    combo = ComboFactory(title="Old combo with the membership", parts=[(membership, 1), (ProductFactory(), 1)])
    response = _post(client, "/cart/add", product_id=combo.id, quantity=1)
    assert response.status_code == 409 and "a combo cannot sell" in response.get_data(as_text=True)

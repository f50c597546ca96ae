"""Registration, e-mail verification, login and logout, My account, addresses and role checks."""

import re

import pytest
from flask_login import login_user
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from shop.accounts import passwords, services
from shop.accounts.access import protected_endpoints, role_required
from shop.accounts.models import Address, AuthAttempt, User
from shop.core.timeutil import utcnow
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.mail.models import OutboxMessage
from tests.factories import (
    DEFAULT_PASSWORD,
    AddressFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    UserFactory,
)
from tests.support import forms
from tests.support.forms import log_in, post_form

GOOD_PASSWORD = "blue kettle morning"


def _page(response):
    return response.get_data(as_text=True)


def _register(client, email="pat@example.com", password=GOOD_PASSWORD, name="Pat Lee"):
    return post_form(client, "/account/register", {"full_name": name, "email": email, "password": password})


# ---- registration and verification -----------------------------------------------------------

def test_register_then_verify_links_guest_orders_and_courses(client):
    guest = OrderFactory(email="Pat@Example.com", user_id=None)
    stranger = OrderFactory(email="someone@example.com", user_id=None)
    course = ProductFactory(title="Myofascial Release Basics")
    db.session.add(CourseAccess(email="pat@example.com", product_id=course.id, order_id=guest.id))
    db.session.commit()

    response = _register(client, email="  Pat@Example.COM ")
    assert response.status_code == 200 and "Check your e-mail to confirm your account" in _page(response)
    user = db.session.scalar(select(User).where(User.email == "pat@example.com"))
    assert user is not None and user.email_verified_at is None and user.full_name == "Pat Lee"
    assert passwords.verify_password(user.password_hash, GOOD_PASSWORD)

    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "pat@example.com")).one()
    link = re.search(r"http://localhost(/account/verify/\S+)", mail.text_body).group(1)

    assert client.get("/account").status_code == 302  # registering logs nobody in (it would tell who is new)
    assert log_in(client, "pat@example.com", GOOD_PASSWORD).status_code == 302
    page = _page(client.get("/account"))
    assert "My account" in page and "Please confirm your email address" in page
    assert guest.number not in page  # not before the address is verified

    assert "Confirm my email address" in _page(client.get(link))
    confirmed = post_form(client, link)
    assert confirmed.status_code == 302
    page = _page(client.get("/account"))
    assert guest.number in page and "Myofascial Release Basics" in page
    assert stranger.number not in page
    assert "your email address is confirmed" in page
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is not None
    assert db.session.get(type(guest), stranger.id).user_id is None


def test_verification_link_for_a_changed_address_is_refused(client):
    _register(client)
    mail = db.session.scalars(select(OutboxMessage)).one()
    link = re.search(r"http://localhost(/account/verify/\S+)", mail.text_body).group(1)
    user = db.session.scalar(select(User))
    user.email = "other@example.com"
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 400 and "not valid" in _page(response)


@pytest.mark.parametrize("password, words", [
    ("short1", "at least 10 characters"),
    ("password123", "most common"),
    ("pat@example.com", "email address"),
    ("aaaaaaaaaaaa", "same few characters"),
])
def test_weak_passwords_are_refused_with_a_reason(client, password, words):
    response = _register(client, password=password)
    assert response.status_code == 422 and words in _page(response)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_pages_have_visible_labels(client):
    page = _page(client.get("/account/register"))
    assert "Email" in forms.label_texts(page)
    assert ">Register</button>" in page
    assert ">Log in</button>" in _page(client.get("/account/login"))


# ---- login and logout ------------------------------------------------------------------------

def test_wrong_password_shows_a_message_and_the_sixth_try_is_429(client):
    UserFactory(email="pat@example.com")
    for _ in range(5):
        response = log_in(client, "pat@example.com", "wrong password here")
        assert response.status_code == 422
        assert "do not match an account" in _page(response)
    response = log_in(client, "pat@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 429
    page = _page(response)
    assert "Too many failed attempts" in page and "Email" in forms.label_texts(page)


def test_successful_login_clears_the_failures_and_records_the_time(client):
    user = UserFactory(email="pat@example.com")
    for _ in range(4):
        log_in(client, "pat@example.com", "wrong password here")
    response = log_in(client, "PAT@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert db.session.scalar(select(func.count(AuthAttempt.id)).where(AuthAttempt.kind == "login-email")) == 0
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None
    assert client.get("/account").status_code == 200


def test_unknown_email_gets_the_same_message(client):
    response = log_in(client, "nobody@example.com", "whatever password")
    assert response.status_code == 422 and "do not match an account" in _page(response)


@pytest.mark.parametrize("next_url, expected", [
    ("https://evil.example/steal", "/account"),
    ("//evil.example/steal", "/account"),
    ("/\\evil.example", "/account"),
    ("javascript:alert(1)", "/account"),
    ("/catalogue?kind=course", "/catalogue?kind=course"),
])
def test_login_follows_only_local_next(client, next_url, expected):
    UserFactory(email="pat@example.com")
    response = post_form(client, "/account/login", {"email": "pat@example.com", "password": DEFAULT_PASSWORD},
                         page="/account/login", query_string={"next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_rehashes_a_hash_with_old_parameters(client):
    user = UserFactory(email="pat@example.com", password_hash=passwords.hash_password(DEFAULT_PASSWORD, fast=False))
    assert log_in(client, "pat@example.com", DEFAULT_PASSWORD).status_code == 302
    db.session.expire_all()
    new_hash = db.session.get(User, user.id).password_hash
    assert new_hash.startswith("$argon2id$") and "m=8," in new_hash
    assert passwords.verify_password(new_hash, DEFAULT_PASSWORD)


def test_staff_log_in_too(client):
    UserFactory(email="desk@example.com", role="staff")
    assert log_in(client, "desk@example.com", DEFAULT_PASSWORD).status_code == 302
    assert "My account" in _page(client.get("/account"))


def test_closed_account_cannot_log_in(client):
    UserFactory(email="pat@example.com", is_active_account=False)
    response = log_in(client, "pat@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 422 and "closed" in _page(response)


def test_logged_out_visitor_is_sent_to_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login?next=%2Faccount"


def test_logout(client):
    UserFactory(email="pat@example.com")
    log_in(client, "pat@example.com", DEFAULT_PASSWORD)
    response = post_form(client, "/account/logout", page="/account")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_posts_without_csrf_token_are_400(client):
    UserFactory(email="pat@example.com")
    response = client.post("/account/login", data={"email": "pat@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    for url in ("/account/register", "/account/forgot-password", "/account/logout"):
        assert client.post(url, data={"email": "pat@example.com"}).status_code == 400


# ---- My account ------------------------------------------------------------------------------

def _orders_for(user, *numbers):
    return [OrderFactory(user_id=user.id, email=user.email, number=n, total_cents=1995) for n in numbers]


def test_my_account_lists_only_my_orders_newest_first(client):
    me, other = UserFactory(), UserFactory()
    older, newer = _orders_for(me, "STR-200001", "STR-200002")
    older.placed_at = utcnow().replace(year=2024)
    db.session.commit()
    _orders_for(other, "STR-300001")
    log_in(client, me.email, DEFAULT_PASSWORD)
    page = _page(client.get("/account"))
    assert page.index("STR-200002") < page.index("STR-200001")
    assert "STR-300001" not in page
    assert "$19.95" in page and "Paid" in page


def test_order_detail_only_for_its_owner(client):
    me, other = UserFactory(), UserFactory()
    (mine,) = _orders_for(me, "STR-200001")
    OrderLineFactory(order=mine, title="Trigger Point Home Study")
    _orders_for(other, "STR-300001")
    log_in(client, me.email, DEFAULT_PASSWORD)
    response = client.get("/account/orders/STR-200001")
    assert response.status_code == 200 and "Trigger Point Home Study" in _page(response)
    assert client.get("/account/orders/STR-300001").status_code == 404
    assert client.get("/account/orders/STR-999999").status_code == 404


def test_addresses_add_edit_default_and_delete(client):
    me = UserFactory()
    foreign = AddressFactory()
    log_in(client, me.email, DEFAULT_PASSWORD)
    fields = {"name": "Pat Lee", "line1": "1 Elm St", "city": "Boston", "region": "MA", "postal_code": "02110",
              "country": "US"}
    assert post_form(client, "/account/addresses", fields, page="/account/addresses/new").status_code == 302
    second = dict(fields, line1="2 Oak Ave", country="CA", is_default="y")
    assert post_form(client, "/account/addresses", second, page="/account/addresses/new").status_code == 302
    first, other = db.session.scalars(select(Address).where(Address.user_id == me.id).order_by(Address.id)).all()
    assert (first.is_default, other.is_default) == (False, True)

    edit = f"/account/addresses/{first.id}"
    changed = dict(fields, line1="3 Pine Rd")
    assert post_form(client, edit, changed, page=edit + "/edit").status_code == 302
    assert post_form(client, f"/account/addresses/{first.id}/default", page="/account").status_code == 302
    assert post_form(client, f"/account/addresses/{first.id}/delete", page="/account").status_code == 302
    db.session.expire_all()
    (left,) = db.session.scalars(select(Address).where(Address.user_id == me.id)).all()
    assert left.id == other.id and left.is_default
    page = _page(client.get("/account"))
    assert "2 Oak Ave" in page and "Default address" in page

    assert client.get(f"/account/addresses/{foreign.id}/edit").status_code == 404
    assert post_form(client, f"/account/addresses/{foreign.id}/delete", page="/account").status_code == 404
    assert db.session.get(Address, foreign.id) is not None


def test_invalid_address_is_shown_again_with_errors(client):
    me = UserFactory()
    log_in(client, me.email, DEFAULT_PASSWORD)
    response = post_form(client, "/account/addresses", {"name": "", "country": "XX"}, page="/account/addresses/new")
    assert response.status_code == 422 and "Enter the street address." in _page(response)


# ---- roles and the checkout helper -----------------------------------------------------------

def test_role_required(app):
    @role_required("staff")
    def desk():
        return "desk"

    customer, staff, admin = UserFactory(), UserFactory(role="staff"), UserFactory(role="admin")
    with app.test_request_context("/backoffice/orders"):
        response = desk()
        assert response.status_code == 302 and "/account/login?next=%2Fbackoffice%2Forders" in response.location
    for user, allowed in ((customer, False), (staff, True), (admin, True)):
        with app.test_request_context("/backoffice/orders"):
            login_user(user)
            if allowed:
                assert desk() == "desk"
            else:
                with pytest.raises(Forbidden):
                    desk()
    assert desk.required_roles == frozenset({"staff"})
    assert "my_account.overview" in protected_endpoints(app)


def test_checkout_can_create_an_account_but_not_reuse_one(app):
    with app.test_request_context("/checkout"):
        user = services.register_at_checkout("New@Example.com", GOOD_PASSWORD, "New Buyer")
        assert user.email == "new@example.com" and user.email_verified_at is None
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
        # the address has an account now: a guest's order, and its owner is told (checkout does not say so)
        assert services.register_at_checkout("new@example.com", "another long phrase", "Someone") is None
        assert db.session.scalar(select(func.count(User.id))) == 1
        assert passwords.verify_password(db.session.get(User, user.id).password_hash, GOOD_PASSWORD)


def test_the_owner_of_an_address_a_stranger_registered_cannot_hand_their_orders_over_with_one_click(app, client):
    guest = OrderFactory(email="victim@example.com", user_id=None)
    _register(client, email="victim@example.com")  # a stranger, with their own password
    mail = db.session.scalars(select(OutboxMessage)).one()
    link = re.search(r"http://localhost(/account/verify/\S+)", mail.text_body).group(1)
    victim = app.test_client()  # the real owner clicks "Confirm" in their inbox, not logged in
    page = victim.get(link)
    assert page.status_code == 403 and "log in to its account first" in _page(page)
    assert "Forgot your password" in _page(page)
    token = forms.csrf_token(_page(victim.get("/account/login")))
    forced = victim.post(link, data={"csrf_token": token})
    assert forced.status_code == 403
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "victim@example.com"))
    assert user.email_verified_at is None and db.session.get(type(guest), guest.id).user_id is None

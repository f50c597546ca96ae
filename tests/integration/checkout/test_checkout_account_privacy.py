"""Checkout tells a guest nothing about the address they type: "create an account" answers alike whether or
not the address has an account (its owner is e-mailed instead), and what an address already owns is said only
to the signed-in account whose address is confirmed."""

import pytest
from sqlalchemy import func, select

from shop.accounts import passwords
from shop.accounts.models import User
from shop.courses import access as course_access
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders import payment as payments
from shop.orders import services as orders
from shop.orders.models import Order
from tests.factories import (
    DEFAULT_PASSWORD,
    BookFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    UserFactory,
)
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping
from tests.support.forms import csrf_token, log_in

OWNED = "You already own this course"


@pytest.fixture
def goods(app, payments_on):
    seed_shipping()
    book = BookFactory(title="Soft Tissue Release", slug="str-book", price_cents=4995, stock=5)
    course = ProductFactory(title="Trigger Point Course", slug="tp-course", price_cents=11900)
    return book, course


def _mails(to):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to)).all()


def _buy_with_a_new_account(app, api_base, book, email):
    client = app.test_client()
    add_to_cart(client, book)
    form, _ = checkout_page(client)
    answer = place(client, ls.card_payment_method(api_base), form=form, email=email, password="a long pass phrase")
    return client, answer


# ---- "create an account" at checkout --------------------------------------------------------------

def test_create_an_account_at_checkout_answers_alike_for_a_taken_and_a_new_address(app, goods, payments_on):
    book, _ = goods
    owner = UserFactory(email="taken@example.com", full_name="Real Owner")
    before = owner.password_hash
    new_client, new = _buy_with_a_new_account(app, payments_on, book, "fresh@example.com")
    taken_client, taken = _buy_with_a_new_account(app, payments_on, book, "taken@example.com")
    assert new.status_code == taken.status_code == 200
    assert new.get_json().keys() == taken.get_json().keys() and new.get_json()["status"] == taken.get_json()["status"]
    assert "already exists" not in taken.get_data(as_text=True)
    for client, answer, email in ((new_client, new, "fresh@example.com"), (taken_client, taken, "taken@example.com")):
        thanks = client.get(answer.get_json()["redirect"]).get_data(as_text=True)
        assert "Check your e-mail to confirm your account" in thanks and email in thanks
        assert client.get("/account").status_code == 302  # neither is logged in

    orders = {o.email: o for o in db.session.scalars(select(Order))}
    assert orders["taken@example.com"].status == "paid" and orders["taken@example.com"].user_id is None  # a guest's
    assert orders["fresh@example.com"].user_id is not None
    db.session.expire_all()
    assert db.session.get(User, owner.id).password_hash == before
    assert passwords.verify_password(before, DEFAULT_PASSWORD)
    assert db.session.scalar(select(func.count(User.id))) == 2
    notices = [m for m in _mails("taken@example.com") if "tried to register" in m.subject]
    assert len(notices) == 1 and "at checkout" in notices[0].text_body
    assert any("Confirm your e-mail" in m.subject for m in _mails("fresh@example.com"))


# ---- what an address owns -------------------------------------------------------------------------

def _owner_of(course, email="owner@example.com", **fields):
    owner = UserFactory(email=email, **fields)
    db.session.add(CourseAccess(email=email, user_id=owner.id, product_id=course.id))
    db.session.commit()
    return owner


def _checkout_page_with_email(client, email):
    """The checkout page as a refused promo code re-renders it, with the address typed in the form."""
    form, _ = checkout_page(client)
    return client.post("/cart/code", data={**form, "code": "NO-SUCH-CODE", "next": "checkout", "email": email})


def test_the_checkout_page_does_not_tell_a_guest_what_a_typed_address_owns(app, client, goods):
    _, course = goods
    _owner_of(course)
    add_to_cart(client, course)
    page = _checkout_page_with_email(client, "owner@example.com")
    assert 'value="owner@example.com"' in page.get_data(as_text=True)  # the typed address was read
    assert OWNED not in page.get_data(as_text=True)


def test_a_signed_in_account_with_a_confirmed_address_is_told_what_it_owns(app, client, goods):
    _, course = goods
    add_to_cart(client, course)
    _owner_of(course)
    log_in(client, "owner@example.com", DEFAULT_PASSWORD)
    page = client.get("/checkout").get_data(as_text=True)
    assert OWNED in page


def test_an_unconfirmed_account_is_not_told_what_its_address_bought_as_a_guest(app, client, goods):
    _, course = goods
    user = UserFactory(email="owner@example.com", email_verified_at=None)
    db.session.add(CourseAccess(email="owner@example.com", user_id=None, product_id=course.id))
    db.session.commit()
    log_in(client, user.email, DEFAULT_PASSWORD)
    token = csrf_token(client.get(f"/products/{course.slug}").get_data(as_text=True))
    client.post("/cart/add", data={"csrf_token": token, "product_id": course.id, "quantity": 1})
    assert OWNED not in client.get("/checkout").get_data(as_text=True)


def test_a_guest_buying_a_course_a_typed_address_owns_is_told_nothing_and_the_order_is_paid(app, client, goods,
                                                                                                payments_on):
    _, course = goods
    _owner_of(course)
    existing = db.session.scalar(select(CourseAccess))
    add_to_cart(client, course)
    answer = place(client, ls.card_payment_method(payments_on), email="owner@example.com")
    assert answer.status_code == 200 and answer.get_json()["status"] == "paid"
    assert OWNED not in answer.get_data(as_text=True)
    order = db.session.scalar(select(Order))
    assert order.status == "paid"
    [access] = db.session.scalars(select(CourseAccess)).all()  # the access the address had is kept, once
    assert (access.id, access.order_id) == (existing.id, None)


def test_paying_for_a_course_the_address_came_to_own_meanwhile_keeps_that_access_and_the_order_paid(
        app, goods, payments_on):
    """Two guest orders for the same course and address, both placed before either was paid (the owned check
    at placing passes for both): the second payment keeps the first order's access and is paid, never a 500."""
    _, course = goods
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        add_to_cart(client, course)
    first_form, _ = checkout_page(first)
    second_form, _ = checkout_page(second)
    assert place(first, ls.card_payment_method(payments_on, ls.CARD_DECLINED), form=first_form,
                 email="pat@example.com").status_code == 402  # placed, pending
    assert place(second, ls.card_payment_method(payments_on), form=second_form,
                 email="pat@example.com").get_json()["status"] == "paid"
    [access] = db.session.scalars(select(CourseAccess)).all()
    pending = db.session.scalar(select(Order).where(Order.status == "pending_payment"))
    with app.test_request_context():  # its payment arrives (as after 3-D Secure, or by the webhook)
        assert payments.pay_with_card(pending, ls.card_payment_method(payments_on)).status == payments.RESULT_PAID
    assert [o.status for o in db.session.scalars(select(Order).order_by(Order.id))] == ["paid", "paid"]
    assert [a.id for a in db.session.scalars(select(CourseAccess))] == [access.id]


def test_a_strangers_paid_order_never_takes_over_a_course_granted_to_the_address_so_its_refund_cannot_take_it(
        app, goods):
    _, course = goods
    owner = UserFactory(email="owner@example.com")
    staff = UserFactory(role="staff")
    course_access.grant(owner, course, actor=staff, note="Check in the post")
    stranger = OrderFactory(email="owner@example.com", user_id=None, status="pending_payment",
                            subtotal_cents=11900, total_cents=11900)
    OrderLineFactory(order=stranger, product_id=course.id, title=course.title, unit_price_cents=11900)
    with app.test_request_context():
        assert orders.mark_paid(stranger.id, None, "test") is True
    access = db.session.scalar(select(CourseAccess))
    assert access.user_id == owner.id and access.order_id is None  # still the owner's grant, not the order's
    assert course_access.withdraw_for_order(stranger.id) == 0  # refunding the stranger's order takes nothing
    assert db.session.get(Order, stranger.id).status == "paid"

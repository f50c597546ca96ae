"""The membership's pages: joining from its page (signed in, or with a new account made there), the
member's own page, cancel and undo, and bad input answered with a message, never a 500."""

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.membership import queries
from shop.membership.models import Membership
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, ProductFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.forms import csrf_token, log_in, text


@pytest.fixture
def plan(app, payments_on):
    return MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)


def _join(client, card, **fields):
    page = client.get("/membership")
    assert page.status_code == 200
    return client.post("/membership/join", data={"csrf_token": csrf_token(text(page)), "payment_method_id": card,
                                                 **fields}, headers={"Accept": "application/json"})


def test_the_page_says_what_is_charged_and_when(client, plan):
    page = text(client.get("/membership"))
    assert "$19.95 today, then $19.95 on the" in page and "of each month until you cancel" in page
    assert 'id="payment-element"' in page and 'name="password"' in page and "Log in</a> first" in page
    product_page = text(client.get("/products/all-access"))
    assert 'href="/membership"' in product_page and "opens soon" not in product_page


def test_a_visitor_joins_with_a_new_account_made_on_the_page(client, plan, payments_on):
    course = ProductFactory(title="Trigger point therapy", slug="tp")
    answer = _join(client, ls.card_payment_method(payments_on), email="new.member@example.com",
                   full_name="New Member", password="a long enough password")
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"status": "paid", "redirect": "/my/courses"}
    courses = text(client.get("/my/courses"))
    assert "Trigger point therapy" in courses
    assert client.get(f"/my/courses/{course.slug}").status_code == 200
    account = text(client.get("/account"))
    assert "Manage your membership" in account and "next charge $19.95" in account


def test_a_visitor_who_leaves_the_account_fields_empty_is_told_what_to_fill(client, plan, payments_on):
    answer = _join(client, ls.card_payment_method(payments_on))
    assert answer.status_code == 400
    assert set(answer.get_json()["errors"]) == {"email", "full_name", "password"}
    assert db.session.scalar(select(Membership)) is None


def test_an_address_with_an_account_is_refused_and_its_owner_mailed_counted_like_a_new_account(client, plan,
                                                                                                  payments_on):
    UserFactory(email="taken@example.com")
    card = ls.card_payment_method(payments_on)
    taken = _join(client, card, email="taken@example.com", full_name="Someone", password="a long enough password")
    assert taken.status_code == 409 and "log in first" in taken.get_json()["message"].lower()
    assert "already exists" not in taken.get_json()["message"]
    assert db.session.scalar(select(Membership)) is None
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "taken@example.com")).all()
    assert mail.subject == "Someone tried to register with your e-mail address"
    for n in range(9):  # the registration limit (10 an hour per network) counts the taken address too
        _join(app_client := client.application.test_client(), card, email=f"new{n}@example.com", full_name="N",
              password="a long enough password")
        assert app_client.get("/account").status_code == 200
    refused = _join(client.application.test_client(), card, email="taken@example.com", full_name="Someone",
                    password="a long enough password")
    assert refused.status_code == 429


def test_a_declined_card_answers_402_with_the_banks_message(client, plan, payments_on):
    user = UserFactory()
    log_in(client, user.email, DEFAULT_PASSWORD)
    answer = _join(client, ls.card_payment_method(payments_on, ls.CARD_DECLINED))
    assert answer.status_code == 402 and answer.get_json()["status"] == "declined"
    assert not queries.is_member(user)


def test_3d_secure_then_confirm_joins(client, plan, payments_on):
    user = UserFactory()
    log_in(client, user.email, DEFAULT_PASSWORD)
    answer = _join(client, ls.card_payment_method(payments_on, ls.CARD_3DS)).get_json()
    assert answer["status"] == "requires_action"
    ls.authenticate_3ds(payments_on, answer["client_secret"])
    token = csrf_token(text(client.get("/membership")))
    confirmed = client.post(answer["confirm_url"], data={"csrf_token": token, "membership_id": answer["membership_id"]})
    assert confirmed.get_json()["status"] == "paid" and queries.is_member(user)


def test_someone_elses_membership_cannot_be_confirmed(client, plan, payments_on):
    owner, other = UserFactory(), UserFactory()
    log_in(client, owner.email, DEFAULT_PASSWORD)
    answer = _join(client, ls.card_payment_method(payments_on, ls.CARD_3DS)).get_json()
    client.post("/account/logout", data={"csrf_token": csrf_token(text(client.get("/account")))})
    log_in(client, other.email, DEFAULT_PASSWORD)
    token = csrf_token(text(client.get("/account")))
    refused = client.post("/membership/confirm", data={"csrf_token": token, "membership_id": answer["membership_id"]})
    assert refused.status_code == 404


def test_a_member_cancels_at_period_end_then_undoes_it(client, plan, payments_on):
    user = UserFactory()
    log_in(client, user.email, DEFAULT_PASSWORD)
    _join(client, ls.card_payment_method(payments_on))
    page = text(client.get("/account/membership"))
    assert "Next charge" in page and "Paid" in page
    cancelled = client.post("/account/membership/cancel", data={"csrf_token": csrf_token(page)},
                            follow_redirects=True)
    body = text(cancelled)
    assert "you keep access until then" in body and "Keep my membership" in body
    resumed = client.post("/account/membership/resume", data={"csrf_token": csrf_token(body)},
                          follow_redirects=True)
    assert "renews as usual" in text(resumed)
    assert not queries.live_membership(user.id).cancel_at_period_end


def test_changing_a_membership_one_does_not_have_is_a_clear_404(client, plan):
    user = UserFactory()
    log_in(client, user.email, DEFAULT_PASSWORD)
    page = text(client.get("/account/membership"))
    assert "You are not a member" in page
    answer = client.post("/account/membership/cancel", data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 404


def test_the_cart_sends_the_membership_to_its_own_page(client, plan):
    assert 'action="/cart/add"' not in text(client.get("/products/all-access"))
    page = client.get(f"/products/{ProductFactory().slug}")
    answer = client.post("/cart/add", data={"csrf_token": csrf_token(text(page)), "product_id": plan.id,
                                            "quantity": 1}, follow_redirects=True)
    assert "join it from its own page" in text(answer)

"""Sessions end when they should: at logout (a copied cookie too), on a new password, deactivation, a role
change and "log out everywhere"; a fresh session at login; staff sessions time out when idle."""

import time

from shop.accounts import admin, services, sessions, tokens
from shop.accounts.models import User
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import csrf_token, log_in, post_form

NEW_PASSWORD = "another long passphrase 7"


def _copy(client, app, names=("session", "remember_token")):
    """A second browser holding copies of this one's cookies (a stolen cookie)."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _staff(app, **fields):
    user = UserFactory(role="staff", **fields)
    client = app.test_client()
    log_in(client, user.email, DEFAULT_PASSWORD)
    return user, client


def test_a_session_cookie_copied_before_logout_opens_nothing_afterwards(app):
    user, staff = _staff(app)
    elsewhere = app.test_client()  # the same account on another device
    log_in(elsewhere, user.email, DEFAULT_PASSWORD)
    thief = _copy(staff, app)
    assert thief.get("/backoffice/").status_code == 200
    assert post_form(staff, "/account/logout", page="/account").status_code == 302
    assert thief.get("/backoffice/").status_code == 302  # sent to the login page
    assert elsewhere.get("/backoffice/").status_code == 302  # logging out ends every session
    assert db.session.get(User, user.id).session_version == 2


def test_a_remember_cookie_stops_working_after_logout(app):
    user = UserFactory(role="staff")
    client = app.test_client()
    log_in(client, user.email, DEFAULT_PASSWORD, remember=True)
    assert client.get_cookie("remember_token") is not None
    only_remembered = _copy(client, app, names=("remember_token",))
    assert only_remembered.get("/backoffice/").status_code == 200  # the remember cookie logs it back in
    post_form(client, "/account/logout", page="/account")
    later = _copy(only_remembered, app, names=("remember_token",))
    assert later.get("/backoffice/").status_code == 302


def test_a_password_reset_deactivation_or_role_change_ends_the_accounts_sessions(app):
    for end in ("reset", "deactivate", "role"):
        user, staff = _staff(app, email=f"{end}@example.com")
        assert staff.get("/backoffice/").status_code == 200
        fresh = db.session.get(User, user.id)
        if end == "reset":
            services.reset_password(tokens.make_reset_token(fresh), NEW_PASSWORD)
        elif end == "deactivate":
            admin.set_active(fresh, False, actor=None)
        else:
            admin.change_role(fresh, "marketing", actor=None)
        assert staff.get("/backoffice/").status_code == 302, end


def test_changing_the_password_keeps_this_session_and_ends_the_others(app):
    user = UserFactory(email="pat@example.com")
    mine, other = app.test_client(), app.test_client()
    log_in(mine, user.email, DEFAULT_PASSWORD)
    log_in(other, user.email, DEFAULT_PASSWORD)
    page = mine.get("/account/password").get_data(as_text=True)
    wrong = mine.post("/account/password", data={"csrf_token": csrf_token(page), "current_password": "nope",
                                                  "password": NEW_PASSWORD})
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    done = mine.post("/account/password", data={"csrf_token": csrf_token(page),
                                                 "current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD})
    assert done.status_code == 302
    assert mine.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    assert log_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


def test_a_session_outlives_the_browser_only_when_keep_me_logged_in_is_ticked(app):
    user = UserFactory()
    brief = app.test_client()
    log_in(brief, user.email, DEFAULT_PASSWORD)
    assert brief.get_cookie("session").expires is None and brief.get_cookie("remember_token") is None
    kept = app.test_client()
    log_in(kept, user.email, DEFAULT_PASSWORD, remember=True)
    assert kept.get_cookie("session").expires is not None and kept.get_cookie("remember_token") is not None


def test_logging_in_starts_a_fresh_session_that_keeps_only_the_guest_cart(app):
    user = UserFactory()
    client = app.test_client()
    with client.session_transaction() as planted:
        planted["cart_token"] = "guest-cart"
        planted["planted"] = "by someone else"
    log_in(client, user.email, DEFAULT_PASSWORD)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("cart_token") in (None, "guest-cart")  # kept for the merge (then the account's cart)
    assert "cart_token" in sessions._kept


def test_a_staff_session_ends_after_hours_idle_and_a_customers_does_not(app, monkeypatch):
    _, staff = _staff(app)
    customer = app.test_client()
    log_in(customer, UserFactory().email, DEFAULT_PASSWORD)
    for client in (staff, customer):
        with client.session_transaction() as state:
            state[sessions.SEEN_KEY] = int(time.time()) - 9 * 3600
    assert staff.get("/backoffice/").status_code == 302
    assert customer.get("/account").status_code == 200

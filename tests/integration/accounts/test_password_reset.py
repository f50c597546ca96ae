"""Password reset by e-mail link: same answer for unknown addresses, single use, expiry, rate limits."""

import re
import time

from sqlalchemy import func, select

from shop.accounts import passwords, tokens
from shop.accounts.models import User
from shop.extensions import db
from shop.mail.models import OutboxMessage
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support import forms
from tests.support.forms import log_in, post_form

NEW_PASSWORD = "a brand new passphrase"


def _page(response):
    return response.get_data(as_text=True)


def _ask(client, email):
    return post_form(client, "/account/forgot-password", {"email": email})


def _reset_link():
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://localhost(/account/reset/\S+)", mail.text_body).group(1)


def _mail_count():
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_unknown_and_known_addresses_get_the_same_answer(client):
    UserFactory(email="pat@example.com")
    unknown = _ask(client, "nobody@example.com")
    assert unknown.status_code == 200 and _mail_count() == 0
    known = _ask(client, "Pat@Example.com")
    assert known.status_code == 200 and _mail_count() == 1

    def answer(response, email):
        return re.search(r"If an account uses [^<]*", _page(response)).group(0).replace(email, "EMAIL")

    assert answer(unknown, "nobody@example.com") == answer(known, "pat@example.com")
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.to_address == "pat@example.com" and "/account/reset/" in mail.text_body


def test_reset_link_works_once(client):
    user = UserFactory(email="pat@example.com")
    _ask(client, "pat@example.com")
    link = _reset_link()
    assert "Choose a new password" in _page(client.get(link))
    response = post_form(client, link, {"password": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/account/login"

    db.session.expire_all()
    assert passwords.verify_password(db.session.get(User, user.id).password_hash, NEW_PASSWORD)
    assert log_in(client, "pat@example.com", DEFAULT_PASSWORD).status_code == 422
    assert log_in(client, "pat@example.com", NEW_PASSWORD).status_code == 302

    again = client.get(link)
    assert again.status_code == 400 and "already been used" in _page(again)
    replay = post_form(client, link, {"password": "yet another passphrase"}, page="/account/forgot-password")
    assert replay.status_code == 400
    db.session.expire_all()
    assert passwords.verify_password(db.session.get(User, user.id).password_hash, NEW_PASSWORD)


def test_expired_reset_link_is_refused(client, monkeypatch):
    UserFactory(email="pat@example.com")
    _ask(client, "pat@example.com")
    link = _reset_link()
    later = time.time() + tokens.RESET_MAX_AGE + 5
    monkeypatch.setattr(tokens, "clock", lambda: later)
    response = client.get(link)
    assert response.status_code == 400 and "expired" in _page(response)


def test_forged_reset_link_is_refused(client):
    response = client.get("/account/reset/not-a-real-token")
    assert response.status_code == 400 and "not valid" in _page(response)


def test_weak_new_password_keeps_the_link_usable(client):
    UserFactory(email="pat@example.com")
    _ask(client, "pat@example.com")
    link = _reset_link()
    response = post_form(client, link, {"password": "short"})
    assert response.status_code == 422 and "at least 10 characters" in _page(response)
    assert post_form(client, link, {"password": NEW_PASSWORD}).status_code == 302


def test_reset_requests_are_limited_per_email(client):
    UserFactory(email="pat@example.com")
    for _ in range(3):
        assert _ask(client, "pat@example.com").status_code == 200
    limited = _ask(client, "pat@example.com")
    assert limited.status_code == 429
    assert "several reset links" in _page(limited) and "Email" in forms.label_texts(_page(limited))
    assert _mail_count() == 3


def test_a_reset_unlocks_a_locked_login_and_verifies_the_address(client):
    user = UserFactory(email="pat@example.com", email_verified_at=None)
    for _ in range(5):
        log_in(client, "pat@example.com", "wrong password here")
    assert log_in(client, "pat@example.com", DEFAULT_PASSWORD).status_code == 429
    _ask(client, "pat@example.com")
    post_form(client, _reset_link(), {"password": NEW_PASSWORD})
    assert log_in(client, "pat@example.com", NEW_PASSWORD).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is not None


def test_login_is_limited_per_ip_address(client):
    for number in range(30):
        log_in(client, f"guess{number}@example.com", "wrong password here")
    response = log_in(client, "someone@example.com", "wrong password here")
    assert response.status_code == 429 and "from your network" in _page(response)


def test_a_forged_host_header_gets_no_reset_link_to_the_attackers_host(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://shop.example.com")
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["shop.example.com", "localhost"])
    UserFactory(email="boss@example.com", role="admin")
    page = client.get("/account/forgot-password").get_data(as_text=True)
    forged = client.post("/account/forgot-password", data={"email": "boss@example.com",
                                                           "csrf_token": forms.csrf_token(page)},
                         headers={"Host": "evil.test"})
    assert forged.status_code == 400 and _mail_count() == 0  # an unknown host is refused outright
    assert _ask(client, "boss@example.com").status_code == 200
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert re.search(r"https://shop\.example\.com/account/reset/\S+", mail.text_body)
    assert "localhost" not in mail.text_body + mail.html_body  # the request's host is never used

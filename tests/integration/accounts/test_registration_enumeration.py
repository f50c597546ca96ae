"""The register page does not tell whether an address has an account: a taken address gets the same answer
as a new one (status, page, message, nobody logged in), its owner is e-mailed instead, and the account stays
as it was. The registration limit holds for both alike."""

import re

from sqlalchemy import func, select

from shop.accounts import passwords
from shop.accounts.models import User
from shop.extensions import db
from shop.mail.models import OutboxMessage
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import main_of, post_form

NEW_PASSWORD = "blue kettle morning"
CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]*"|value="[^"]*"[^>]*name="csrf_token"')


def _register(client, email, password=NEW_PASSWORD, name="Pat Lee"):
    return post_form(client, "/account/register", {"full_name": name, "email": email, "password": password})


def _answer(response, email):
    """What the visitor sees, with the address they typed and the CSRF token taken out."""
    main = str(main_of(response.get_data(as_text=True)))
    return response.status_code, CSRF.sub("", main.replace(email, "EMAIL"))


def _mails(to):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to)).all()


def test_registering_an_address_that_has_an_account_answers_exactly_as_a_new_address(app):
    UserFactory(email="taken@example.com")
    new_client, taken_client = app.test_client(), app.test_client()
    new = _register(new_client, "fresh@example.com")
    taken = _register(taken_client, "taken@example.com")
    assert _answer(new, "fresh@example.com") == _answer(taken, "taken@example.com")
    assert new.status_code == 200 and "Check your e-mail to confirm your account" in new.get_data(as_text=True)
    assert "already exists" not in taken.get_data(as_text=True)
    for client in (new_client, taken_client):
        assert client.get("/account").status_code == 302  # neither is logged in


def test_registering_a_taken_address_mails_its_owner_and_never_changes_the_account(app, client):
    owner = UserFactory(email="taken@example.com", full_name="Real Owner")
    before = (owner.password_hash, owner.full_name, owner.email_verified_at, owner.role)
    _register(client, "Taken@Example.com ", name="Someone Else")
    db.session.expire_all()
    user = db.session.get(User, owner.id)
    assert (user.password_hash, user.full_name, user.email_verified_at, user.role) == before
    assert passwords.verify_password(user.password_hash, DEFAULT_PASSWORD)
    assert db.session.scalar(select(func.count(User.id))) == 1
    [mail] = _mails("taken@example.com")
    assert mail.subject == "Someone tried to register with your e-mail address"
    assert "if it was you, log in" in mail.text_body.lower().replace("\n", " ")
    assert "http://localhost/account/login" in mail.text_body
    assert "http://localhost/account/forgot-password" in mail.text_body and "/account/verify/" not in mail.text_body
    assert "http://localhost/account/login" in mail.html_body


def test_the_owner_of_a_taken_address_is_mailed_at_most_once_a_day(app):
    UserFactory(email="taken@example.com")
    for _ in range(3):
        _register(app.test_client(), "taken@example.com")
    assert len(_mails("taken@example.com")) == 1


def test_the_registration_limit_counts_taken_and_new_addresses_alike(app):
    UserFactory(email="taken@example.com")
    client = app.test_client()
    for n in range(10):
        email = "taken@example.com" if n % 2 else f"new{n}@example.com"
        assert _register(client, email).status_code == 200
    for email in ("taken@example.com", "another@example.com"):
        refused = _register(client, email)
        assert refused.status_code == 429 and "Too many accounts" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 1 + 5


def test_a_weak_password_is_refused_alike_for_a_taken_and_a_new_address(app):
    UserFactory(email="taken@example.com")
    new = _register(app.test_client(), "fresh@example.com", password="password123")
    taken = _register(app.test_client(), "taken@example.com", password="password123")
    assert new.status_code == taken.status_code == 422
    assert "most common" in taken.get_data(as_text=True)
    assert _mails("taken@example.com") == []

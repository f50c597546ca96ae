"""Marketing consent: an unticked "Send me news and offers" box on the register page, at checkout and on My
account; what is kept (when, where, and when withdrawn); the one-click unsubscribe link of marketing e-mails;
marketing's mailing list and its CSV. A ticked box for an address another account holds changes nothing, and
the register page answers exactly as for a new address."""

import csv
import io
import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from flask import render_template, render_template_string
from sqlalchemy import func, select

from shop.accounts import consent
from shop.accounts.consent import MarketingConsent
from shop.accounts.models import User
from shop.core.timeutil import utcnow
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, BookFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import add_to_cart, checkout_page, place, seed_shipping
from tests.support.forms import csrf_token, log_in, main_of, post_form, soup

NEW_PASSWORD = "blue kettle morning"
CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]*"|value="[^"]*"[^>]*name="csrf_token"')
BOX = "marketing_consent"


def _row(email):
    db.session.expire_all()
    return db.session.scalar(select(MarketingConsent).where(MarketingConsent.email == email))


def _rows():
    return db.session.scalar(select(func.count(MarketingConsent.id)))


def _box(html):
    return soup(html).find("input", attrs={"name": BOX})


def _register(client, email, ticked=True, name="Pat Lee"):
    data = {"full_name": name, "email": email, "password": NEW_PASSWORD}
    if ticked:
        data[BOX] = "y"
    return post_form(client, "/account/register", data)


def _answer(response, email):
    main = str(main_of(response.get_data(as_text=True)))
    return response.status_code, CSRF.sub("", main.replace(email, "EMAIL"))


# ---- the box is unticked until ticked --------------------------------------------------------------------

def test_the_register_page_offers_the_box_unticked(app, client):
    box = _box(client.get("/account/register").get_data(as_text=True))
    assert box is not None and box.get("type") == "checkbox" and not box.has_attr("checked")
    assert "Send me news and offers" in client.get("/account/register").get_data(as_text=True)


@pytest.fixture
def book(app, payments_on):
    seed_shipping()
    return BookFactory(title="Soft Tissue Release", slug="str-book", price_cents=4995, stock=5)


def test_the_checkout_page_offers_the_box_unticked(app, client, book):
    add_to_cart(client, book)
    _, html = checkout_page(client)
    box = _box(html)
    assert box is not None and box.get("type") == "checkbox" and not box.has_attr("checked")
    assert "Send me news and offers" in html


# ---- registering -------------------------------------------------------------------------------------------

def test_registering_a_new_address_with_the_box_ticked_records_consent_with_time_and_source(app, client):
    before = utcnow()
    assert _register(client, "Fresh@Example.com ").status_code == 200
    row = _row("fresh@example.com")
    assert row is not None and row.source == "registration" and row.withdrawn_at is None
    assert before <= row.consented_at <= utcnow()
    assert row.user_id == db.session.scalar(select(User.id).where(User.email == "fresh@example.com"))


def test_registering_without_ticking_records_nothing(app, client):
    assert _register(client, "fresh@example.com", ticked=False).status_code == 200
    assert _rows() == 0


def test_a_ticked_box_for_an_address_that_has_an_account_changes_nothing_and_answers_alike(app):
    UserFactory(email="taken@example.com")
    UserFactory(email="withdrawn@example.com")
    consent.record("withdrawn@example.com", "account", now=datetime(2026, 1, 5, 9, 0))
    consent.withdraw("withdrawn@example.com", now=datetime(2026, 2, 1, 9, 0))
    db.session.commit()
    new = _register(app.test_client(), "fresh@example.com")
    taken = _register(app.test_client(), "taken@example.com")
    withdrawn = _register(app.test_client(), "withdrawn@example.com")
    assert _answer(new, "fresh@example.com") == _answer(taken, "taken@example.com") == _answer(
        withdrawn, "withdrawn@example.com")
    assert _row("taken@example.com") is None
    kept = _row("withdrawn@example.com")
    assert (kept.consented_at, kept.withdrawn_at) == (datetime(2026, 1, 5, 9, 0), datetime(2026, 2, 1, 9, 0))
    assert _row("fresh@example.com") is not None


# ---- checkout ----------------------------------------------------------------------------------------------

def test_a_guest_checkout_with_the_box_ticked_records_consent_for_the_address(app, client, book, payments_on):
    add_to_cart(client, book)
    answer = place(client, ls.card_payment_method(payments_on), email="Guest@Example.com", **{BOX: "y"})
    assert answer.status_code == 200 and answer.get_json()["status"] == "paid", answer.get_json()
    row = _row("guest@example.com")
    assert row.source == "checkout" and row.user_id is None and row.withdrawn_at is None


def test_a_checkout_without_the_box_or_declined_records_nothing(app, book, payments_on):
    unticked = app.test_client()
    add_to_cart(unticked, book)
    assert place(unticked, ls.card_payment_method(payments_on), email="guest@example.com").status_code == 200
    declined = app.test_client()
    add_to_cart(declined, book)
    answer = place(declined, ls.card_payment_method(payments_on, ls.CARD_DECLINED), email="other@example.com",
                   **{BOX: "y"})
    assert answer.status_code == 402
    assert _rows() == 0


def test_a_guest_checkout_with_an_accounts_address_changes_nothing(app, client, book, payments_on):
    UserFactory(email="owner@example.com")
    add_to_cart(client, book)
    answer = place(client, ls.card_payment_method(payments_on), email="owner@example.com", **{BOX: "y"})
    assert answer.status_code == 200
    assert _rows() == 0


def test_creating_an_account_at_checkout_with_the_box_ticked_links_the_consent(app, client, book, payments_on):
    add_to_cart(client, book)
    answer = place(client, ls.card_payment_method(payments_on), email="new@example.com",
                   password="a long pass phrase", **{BOX: "y"})
    assert answer.status_code == 200
    row = _row("new@example.com")
    assert row.source == "checkout"
    assert row.user_id == db.session.scalar(select(User.id).where(User.email == "new@example.com"))


def test_a_signed_in_customer_checking_out_with_the_box_ticked_consents(app, client, book, payments_on):
    user = UserFactory(email="member@example.com")
    assert log_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    add_to_cart(client, book)
    answer = place(client, ls.card_payment_method(payments_on), email="member@example.com", **{BOX: "y"})
    assert answer.status_code == 200
    row = _row("member@example.com")
    assert row.user_id == user.id and row.source == "checkout"


# ---- My account ----------------------------------------------------------------------------------------------

def test_the_account_page_ticks_and_unticks_the_box(app, client):
    user = UserFactory(email="me@example.com")
    assert log_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert not _box(page).has_attr("checked")
    ticked = post_form(client, "/account/news-and-offers", {BOX: "y"}, page="/account")
    assert ticked.status_code == 302 and urlsplit(ticked.headers["Location"]).path == "/account"
    row = _row("me@example.com")
    assert row.source == "account" and row.user_id == user.id and row.withdrawn_at is None
    assert _box(client.get("/account").get_data(as_text=True)).has_attr("checked")
    first = row.consented_at

    assert post_form(client, "/account/news-and-offers", {}, page="/account").status_code == 302
    row = _row("me@example.com")
    assert row.withdrawn_at is not None and row.consented_at == first  # the withdrawal kept as a record
    assert not _box(client.get("/account").get_data(as_text=True)).has_attr("checked")

    assert post_form(client, "/account/news-and-offers", {BOX: "y"}, page="/account").status_code == 302
    row = _row("me@example.com")
    assert row.withdrawn_at is None and row.consented_at >= first  # consenting again: a new time


def test_the_account_page_refuses_a_value_the_box_never_sends(app, client):
    user = UserFactory(email="me@example.com")
    assert log_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    refused = post_form(client, "/account/news-and-offers", {BOX: "yes please"}, page="/account")
    assert refused.status_code == 422 and "Tick the box" in refused.get_data(as_text=True)
    assert _rows() == 0


def test_the_account_box_needs_a_login(app, client):
    token = csrf_token(client.get("/account/login").get_data(as_text=True))
    answer = client.post("/account/news-and-offers", data={"csrf_token": token, BOX: "y"})
    assert answer.status_code == 302 and urlsplit(answer.headers["Location"]).path == "/account/login"
    assert _rows() == 0


# ---- the unsubscribe link and the marketing e-mail's footer -----------------------------------------------------

def _consenting(email="reader@example.com"):
    consent.record(email, "checkout")
    db.session.commit()


def test_the_unsubscribe_link_is_absolute_and_withdraws_without_login_twice_is_fine(app, client):
    _consenting()
    url = consent.unsubscribe_url("Reader@Example.com")
    assert url.startswith(app.config["PUBLIC_BASE_URL"].rstrip("/") + "/account/unsubscribe/")
    opened = client.get(urlsplit(url).path)  # a scanner opening the link changes nothing
    assert opened.status_code == 200 and "Unsubscribe from news and offers" in opened.get_data(as_text=True)
    assert _row("reader@example.com").withdrawn_at is None
    first = post_form(client, urlsplit(url).path, {})
    assert first.status_code == 200 and "You are unsubscribed" in first.get_data(as_text=True)
    withdrawn_at = _row("reader@example.com").withdrawn_at
    assert withdrawn_at is not None
    again = post_form(client, urlsplit(url).path, {})
    assert again.status_code == 200 and _row("reader@example.com").withdrawn_at == withdrawn_at


def test_an_unsubscribe_link_for_an_address_that_never_consented_answers_alike(app, client):
    answer = post_form(client, urlsplit(consent.unsubscribe_url("nobody@example.com")).path, {})
    assert answer.status_code == 200 and _rows() == 0


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature changed
    lambda t: "x" + t,
    lambda t: "not-a-token",
])
def test_a_tampered_unsubscribe_link_is_refused_with_a_clear_400_page(app, client, tamper):
    _consenting()
    token = consent.make_unsubscribe_token("reader@example.com")
    answer = client.get(f"/account/unsubscribe/{tamper(token)}")
    assert answer.status_code == 400
    assert "This link does not work" in answer.get_data(as_text=True)
    assert _row("reader@example.com").withdrawn_at is None


def test_a_token_made_for_another_purpose_does_not_unsubscribe(app, client):
    from shop.accounts import tokens

    user = UserFactory(email="reader@example.com")
    _consenting()
    answer = client.get(f"/account/unsubscribe/{tokens.make_verify_token(user)}")
    assert answer.status_code == 400 and _row("reader@example.com").withdrawn_at is None


def test_the_marketing_footer_carries_the_link_in_both_parts(app):
    url = consent.unsubscribe_url("reader@example.com")
    with app.test_request_context():
        html = render_template_string(
            '{% extends "mail/_layout.html" %}{% block content %}<p>New courses.</p>{% endblock %}'
            '{% block footer_note %}{% include "mail/_marketing_footer.html" %}{% endblock %}',
            subject="News", email="reader@example.com", unsubscribe_url=url)
        text = render_template("mail/_marketing_footer.txt", email="reader@example.com", unsubscribe_url=url)
    link = soup(html).find("a", string="Unsubscribe")
    assert link is not None and link["href"] == url
    assert url in text and "reader@example.com" in text and "{" not in text


# ---- marketing's list and CSV -------------------------------------------------------------------------------

def _marketing_client(app, role="marketing"):
    user = UserFactory(role=role, email=f"{role}@example.com")
    client = app.test_client()
    assert log_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    return client


def test_marketing_sees_the_list_newest_first_and_withdrawn_ones_apart(app):
    consent.record("old@example.com", "registration", now=datetime(2026, 1, 1, 12, 0))
    consent.record("new@example.com", "checkout", now=datetime(2026, 3, 1, 12, 0))
    consent.record("gone@example.com", "account", now=datetime(2026, 2, 1, 12, 0))
    consent.withdraw("gone@example.com", now=datetime(2026, 2, 2, 12, 0))
    db.session.commit()
    client = _marketing_client(app)
    page = client.get("/marketing/consents")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = [row.find("th").get_text(strip=True) for row in soup(html).find("tbody").find_all("tr")]
    assert rows == ["new@example.com", "old@example.com"]
    assert "Checkout" in html and "Registration" in html and "/marketing/consents.csv" in html
    withdrawn = client.get("/marketing/consents?show=withdrawn").get_data(as_text=True)
    assert [r.find("th").get_text(strip=True) for r in soup(withdrawn).find("tbody").find_all("tr")] == [
        "gone@example.com"]
    assert "Mailing list" in client.get("/marketing/promotions").get_data(as_text=True)  # the room's navigation


def test_the_list_is_paginated(app):
    for n in range(55):
        consent.record(f"reader{n:02}@example.com", "checkout", now=datetime(2026, 1, 1, 0, n))
    db.session.commit()
    client = _marketing_client(app)
    first = soup(client.get("/marketing/consents").get_data(as_text=True))
    second = soup(client.get("/marketing/consents?page=2").get_data(as_text=True))
    assert len(first.find("tbody").find_all("tr")) == 50
    assert [r.find("th").get_text(strip=True) for r in second.find("tbody").find_all("tr")] == [
        f"reader{n:02}@example.com" for n in range(4, -1, -1)]


def test_the_csv_has_a_header_and_a_row_per_address_with_formulas_neutralised(app):
    consent.record("=cmd@example.com", "checkout", now=datetime(2026, 1, 1, 12, 0))
    consent.record("plain@example.com", "registration", user=UserFactory(email="plain@example.com"),
                   now=datetime(2026, 1, 2, 12, 0))
    consent.record("-x@example.com", "account", now=datetime(2026, 1, 3, 12, 0))
    consent.withdraw("-x@example.com", now=datetime(2026, 1, 4, 12, 0))
    db.session.commit()
    answer = _marketing_client(app).get("/marketing/consents.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert rows[0] == consent.CSV_HEADER
    assert [r[0] for r in rows[1:]] == ["plain@example.com", "'=cmd@example.com"]
    assert rows[1][1:3] == ["consented", "registration"] and rows[1][5] == "yes" and rows[2][5] == "no"
    assert rows[1][3].startswith("2026-01-02T") and rows[1][4] == ""
    withdrawn = list(csv.reader(io.StringIO(
        _marketing_client(app, "admin").get("/marketing/consents.csv?show=withdrawn").get_data(as_text=True))))
    assert [r[0] for r in withdrawn[1:]] == ["'-x@example.com"] and withdrawn[1][1] == "withdrawn"
    assert all(cell[:1] not in "=+-@" for row in rows[1:] + withdrawn[1:] for cell in row if cell)


@pytest.mark.parametrize("role", ["customer", "staff"])
@pytest.mark.parametrize("url", ["/marketing/consents", "/marketing/consents.csv"])
def test_staff_and_customers_may_not_see_the_list(app, role, url):
    assert _marketing_client(app, role).get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(app, client):
    answer = client.get("/marketing/consents.csv")
    assert answer.status_code == 302 and urlsplit(answer.headers["Location"]).path == "/account/login"

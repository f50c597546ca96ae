"""Found by attacking a running shop, and mended: each test names what it proves."""

import re
from pathlib import Path

import pytest
from flask_migrate import upgrade

from shop import create_app
from shop.accounts import ratelimit
from shop.catalogue.models import Product
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory
from tests.support.forms import log_in


def test_an_oversized_upload_from_a_stranger_meets_the_login_page_not_the_back_office(app, client):
    product = ProductFactory(title="Secret Price Course", price_cents=12345)
    body = b"x" * (6 * 1024 * 1024)  # over the 5 MB image limit
    headers = {"Content-Type": "multipart/form-data; boundary=x"}
    anonymous = client.post(f"/backoffice/products/{product.id}/images", data=body, headers=headers)
    assert anonymous.status_code == 302 and "/account/login" in anonymous.headers["Location"]
    assert b"Secret Price Course" not in anonymous.data and b"123.45" not in anonymous.data
    customer = app.test_client()
    log_in(customer, UserFactory().email, DEFAULT_PASSWORD)
    refused = customer.post(f"/backoffice/products/{product.id}/images", data=body, headers=headers)
    assert refused.status_code == 403 and b"Secret Price Course" not in refused.data
    assert db.session.get(Product, product.id).images == []


def test_an_undeclared_back_office_route_needs_a_staff_role(tmp_path):
    fresh = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/shop.db",
                                "MEDIA_ROOT": str(tmp_path / "media")})

    @fresh.get("/backoffice/forgotten-report")
    def forgotten_report():  # a route someone added without protecting it
        return "internal figures"

    with fresh.app_context():
        upgrade()
        customer_email, staff_email = UserFactory().email, UserFactory(role="staff").email
        db.session.remove()
    # each request below gets its own app context, as in production
    assert fresh.test_client().get("/backoffice/forgotten-report").status_code == 302  # to the login page
    customer = fresh.test_client()
    log_in(customer, customer_email, DEFAULT_PASSWORD)
    assert customer.get("/backoffice/forgotten-report").status_code == 403
    staff = fresh.test_client()
    log_in(staff, staff_email, DEFAULT_PASSWORD)
    assert staff.get("/backoffice/forgotten-report").data == b"internal figures"
    with fresh.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(("hops", "seen"), [(0, "127.0.0.1"), (1, "198.51.100.9")])
def test_behind_a_configured_proxy_each_client_is_counted_not_the_proxy(tmp_path, hops, seen):
    fresh = create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "MEDIA_ROOT": str(tmp_path / "media"),
                                "PROXY_FIX_HOPS": hops})

    @fresh.get("/whom-do-limits-count")
    def whom():
        return ratelimit.client_address()

    answer = fresh.test_client().get("/whom-do-limits-count", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                     headers={"X-Forwarded-For": "198.51.100.9"})
    assert answer.get_data(as_text=True) == seen


def test_every_response_carries_the_security_headers(app, client):
    for url in ("/", "/products/none-such", "/account/login", "/static/favicon.svg"):
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self' https://js.stripe.com;" in policy and "frame-ancestors 'none'" in policy
        assert "object-src 'none'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
        frames = policy.split("frame-src ")[1].split(";")[0].split()
        assert set(frames) == {"'self'", "https://js.stripe.com", "https://hooks.stripe.com",
                               "https://www.youtube-nocookie.com", "https://player.vimeo.com"}
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers  # only in production, over HTTPS


def test_images_and_videos_may_load_from_the_object_store_only_when_the_files_are_there(app, client, monkeypatch):
    def sources(kind):
        policy = client.get("/").headers["Content-Security-Policy"]
        return policy.split(f"{kind} ")[1].split(";")[0].split()

    assert sources("img-src") == ["'self'", "data:"] and sources("media-src") == ["'self'"]
    monkeypatch.setitem(app.config, "STORAGE_URL", "s3://shop-files/live")
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", "https://files.example.net/")
    assert sources("img-src") == ["'self'", "data:", "https://files.example.net"]
    assert sources("media-src") == ["'self'", "https://files.example.net"]
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", "")  # AWS itself: the bucket's own host
    assert sources("img-src")[-1] == "https://*.amazonaws.com"


def test_production_sends_hsts_for_a_year(tmp_path):
    fresh = create_app("production", {"SECRET_KEY": "x" * 48, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                                      "MEDIA_ROOT": str(tmp_path / "media"), "PUBLIC_BASE_URL": "https://localhost",
                                      "STRIPE_SECRET_KEY": "sk", "STRIPE_PUBLISHABLE_KEY": "pk",
                                      "STRIPE_WEBHOOK_SECRET": "whsec"})
    response = fresh.test_client().get("/static/favicon.svg", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_no_page_has_an_inline_script_or_event_handler(app):
    templates = Path(app.template_folder)
    for path in templates.rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path  # every script from static/js
        assert not re.search(r"\son[a-z]+\s*=\s*[\"']", text), path


def test_the_webhook_refuses_a_huge_body_before_reading_it(client):
    response = client.post("/stripe/webhook", data=b"x" * (300 * 1024), headers={"Stripe-Signature": "t=1,v1=x"})
    assert response.status_code == 413


def test_an_ordinary_form_refuses_a_body_over_the_limit(client):
    assert client.post("/account/login", data={"email": "x" * (3 * 1024 * 1024)}).status_code == 413

"""Found by attacking a running shop, and mended: each test names what it proves."""

from flask_migrate import upgrade

from shop import create_app
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

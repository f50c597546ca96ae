"""Every marketing page: anonymous visitors are sent to log in, customers and staff get 403, marketing and
admin get in; and no marketing route answers odd input with a server error."""

import pytest
from hypothesis import strategies as st

from shop.accounts.access import endpoint_roles
from shop.catalogue import seeding
from shop.core import storage
from shop.extensions import db
from shop.promotions.models import Promotion
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import log_in
from tests.support.odd_input import ODD_VALUES


def _marketing_urls(app, promotion_id):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("marketing."):
            values = {arg: promotion_id for arg in rule.arguments}
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, rule.build(values, append_unknown=False)[1]


@pytest.fixture
def promotion():
    row = Promotion(name="Spring Sale", benefit_kind="percent", basis_points=1000)
    db.session.add(row)
    db.session.commit()
    return row


def test_every_marketing_endpoint_needs_the_marketing_role(app):
    endpoints = [e for e in app.view_functions if e.startswith("marketing.")]
    assert "marketing.promotions" in endpoints and len(endpoints) >= 14
    assert all(endpoint_roles(app, e) == frozenset({"marketing"}) for e in endpoints)


def _token(client, page):
    from tests.support.forms import csrf_token

    return csrf_token(client.get(page).get_data(as_text=True))


def test_anonymous_visitors_are_sent_to_log_in(app, client, promotion):
    token = _token(client, "/account/login")  # a valid token: the role check, not CSRF, refuses
    for endpoint, method, url in _marketing_urls(app, promotion.id):
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 302, (endpoint, method)
        assert response.headers["Location"].startswith("/account/login"), endpoint


@pytest.mark.parametrize("role", ["customer", "staff"])
def test_customers_and_staff_get_403(app, client, promotion, role):
    user = UserFactory(role=role)
    log_in(client, user.email, DEFAULT_PASSWORD)
    token = _token(client, "/")
    for endpoint, method, url in _marketing_urls(app, promotion.id):
        data = {"csrf_token": token} if method == "POST" else None
        assert client.open(url, method=method, data=data).status_code == 403, (endpoint, method)
    db.session.refresh(promotion)
    assert promotion.state == "draft"


@pytest.mark.parametrize("role", ["marketing", "admin"])
def test_marketing_and_admin_open_every_page(app, client, promotion, role):
    user = UserFactory(role=role)
    log_in(client, user.email, DEFAULT_PASSWORD)
    for endpoint, method, url in _marketing_urls(app, promotion.id):
        if method == "GET":
            response = client.get(url)
            assert response.status_code in (200, 302), endpoint
    assert "Promotions" in client.get("/marketing/promotions").get_data(as_text=True)


def test_office_nav_links_to_promotions_for_marketing(client):
    user = UserFactory(role="marketing")
    log_in(client, user.email, DEFAULT_PASSWORD)
    page = client.get("/marketing/promotions").get_data(as_text=True)
    assert '<a href="/marketing/promotions" aria-current="page">Promotions</a>' in page


def test_no_marketing_route_answers_odd_input_with_a_server_error(app, client, promotion):
    seeding.load_demo(storage.public())
    user = UserFactory(role="marketing")
    log_in(client, user.email, DEFAULT_PASSWORD)
    token = _token(client, "/marketing/promotions/new")
    failures = []
    fields = ["name", "percent", "amount_off", "fixed_price", "starts_local", "ends_local", "channels", "unlock",
              "code", "priority", "benefit_kind", "buy_quantity", "get_quantity", "get_discount", "applies_to",
              "target_product_ids", "exclude_category_ids", "target_kinds", "min_subtotal", "min_quantity",
              "email_domains", "customer_emails", "max_redemptions", "max_per_customer", "budget", "version_id",
              "bundle-0-product_id", "bundle-0-quantity", "count", "prefix", "lines-0-product_id",
              "lines-0-quantity", "order_number", "email", "channel", "preview", "page", "codes_page", "status"]
    for value in ODD_VALUES:
        data = {name: value for name in fields} | {"csrf_token": token}
        for _endpoint, method, url in _marketing_urls(app, promotion.id):
            response = client.open(url, method=method, data=data if method == "POST" else None,
                                   query_string=None if method == "POST" else data)
            if response.status_code >= 500:
                failures.append(f"{method} {url} ({value[:10]}) -> {response.status_code}")
        for number in (value, "1"):
            for kind in ("percent", "amount", "fixed_price", "buy_x_get_y", "free_shipping"):
                response = client.post("/marketing/promotions/new",
                                       data=data | {"benefit_kind": kind, "name": "x", "percent": number,
                                                    "amount_off": number, "fixed_price": number})
                if response.status_code >= 500:
                    failures.append(f"new {kind} {value[:10]} -> {response.status_code}")
    assert failures == []


FUZZ_FIELDS = {
    "name": st.text(max_size=130), "percent": st.text(max_size=12), "amount_off": st.text(max_size=14),
    "fixed_price": st.text(max_size=14), "starts_local": st.text(max_size=20), "ends_local": st.text(max_size=20),
    "channels": st.sampled_from(["both", "web", "phone", "", "x"]),
    "unlock": st.sampled_from(["automatic", "code", ""]), "code": st.text(max_size=45), "priority": st.text(max_size=8),
    "benefit_kind": st.sampled_from(["percent", "amount", "fixed_price", "buy_x_get_y", "free_shipping", "?"]),
    "buy_quantity": st.text(max_size=6), "get_quantity": st.text(max_size=6), "get_discount": st.text(max_size=6),
    "applies_to": st.sampled_from(["everything", "chosen"]), "min_subtotal": st.text(max_size=12),
    "min_quantity": st.text(max_size=6), "email_domains": st.text(max_size=60),
    "customer_emails": st.text(max_size=60),
    "max_redemptions": st.text(max_size=12), "max_per_customer": st.text(max_size=6), "budget": st.text(max_size=12),
    "target_kinds": st.sampled_from(["book", "course", "nonsense"]), "bundle-0-product_id": st.text(max_size=6),
    "bundle-0-quantity": st.text(max_size=4), "version_id": st.text(max_size=6),
}


def test_fuzzed_promotion_forms_never_answer_5xx(app, client, promotion):
    """Hundreds of generated form posts (new and edit): each one is saved or refused, never a server error."""
    from hypothesis import HealthCheck, given, settings

    user = UserFactory(role="marketing")
    log_in(client, user.email, DEFAULT_PASSWORD)
    token = _token(client, "/marketing/promotions/new")
    urls = ["/marketing/promotions/new", f"/marketing/promotions/{promotion.id}/edit"]

    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.fixed_dictionaries({}, optional=FUZZ_FIELDS), st.sampled_from(urls))
    def post(fields, url):
        clean = dict(fields)
        response = client.post(url, data={**clean, "csrf_token": token})
        assert response.status_code in (302, 409, 422), (url, fields, response.status_code)

    post()


def test_control_characters_are_dropped_not_a_server_error(client, promotion):
    """A NUL byte cannot be stored in PostgreSQL: the forms drop control characters before anything else."""
    from tests.support.marketing import promo_form

    user = UserFactory(role="marketing")
    log_in(client, user.email, DEFAULT_PASSWORD)
    token = _token(client, "/marketing/promotions/new")
    response = client.post("/marketing/promotions/new", data={
        **promo_form(name="Spring\x00 Sale", public_description="x\x00y", unlock="code", code="NU\x00LL",
                     email_domains="clinic\x00.org", customer_emails="p\x00at@example.com"), "csrf_token": token})
    assert response.status_code == 302
    created = db.session.scalars(db.select(Promotion).where(Promotion.id != promotion.id)).one()
    assert (created.name, created.public_description, created.email_domains) == ("Spring Sale", "xy", "clinic.org")
    assert created.codes[0].code == "NULL" and created.customers[0].email == "pat@example.com"
    page = client.get(f"/marketing/promotions/{promotion.id}",
                      query_string={"preview": "1", "email": "a\x00b@example.com", "order_number": "STR\x00-1"})
    assert page.status_code == 422 and "No order numbered STR-1." in page.get_data(as_text=True)

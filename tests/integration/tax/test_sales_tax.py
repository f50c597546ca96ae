"""Sales tax by destination, end to end: admins set a state's rate; checkout shows and charges it per line
(with and without taxable shipping and online goods); the order keeps it when the rate changes; refunds give
back the tax on what they refund; the report totals it per state and month."""

import csv
import io

from sqlalchemy import func, select

from shop.extensions import db
from shop.orders.models import Order, OrderLine, Refund
from shop.pricing.tax import tax_on
from shop.tax.models import TaxRate
from tests.factories import BookFactory, ProductFactory, UserFactory
from tests.support import checkout_helpers
from tests.support.desk_helpers import DESK, logged_in, page, post_page_form
from tests.support.forms import csrf_token
from tests.support.phone_helpers import PhoneDesk, staff_client
from tests.support.stripe_server import CARD_OK, card_payment_method

OHIO = {"ship_line1": "1 High Street", "ship_city": "Columbus", "ship_region": "Ohio", "ship_postal_code": "43004",
        "ship_country": "US"}
MEDIA_MAIL = 595


def set_rate(client, region, rate, *, shipping=False, digital=False, name=""):
    url = f"/backoffice/settings/tax/US/{region}"
    data = {"csrf_token": csrf_token(page(client, url)), "rate": rate, "name": name}
    if shipping:
        data["taxes_shipping"] = "y"
    if digital:
        data["taxes_digital"] = "y"
    return client.post(url, data=data)


def buy(app, api_base, products, email, **address):
    shopper = app.test_client()
    for product in products:
        checkout_helpers.add_to_cart(shopper, product)
    response = checkout_helpers.place(shopper, card_payment_method(api_base, CARD_OK), email=email, **address)
    return shopper, response


def order_of(email):
    db.session.expire_all()
    return db.session.scalar(select(Order).where(Order.email == email).order_by(Order.id.desc()))


def test_admin_sets_a_rate_and_bad_rates_are_refused_with_a_message(app):
    admin, _ = logged_in(app, "admin")
    assert set_rate(admin, "OH", "5.75", shipping=True, name="Ohio sales tax").status_code == 303
    row = db.session.scalar(select(TaxRate).where(TaxRate.region == "OH"))
    assert (row.rate_millipercent, row.taxes_shipping, row.taxes_digital) == (5750, True, False)
    assert "5.75%" in page(admin, "/backoffice/settings/tax")
    for bad in ("abc", "-1", "31", "7.12345", "NaN", "1e3"):
        response = set_rate(admin, "OH", bad)
        assert response.status_code == 422 and "rate" in response.get_data(as_text=True).lower(), bad
    assert db.session.scalar(select(TaxRate.rate_millipercent).where(TaxRate.region == "OH")) == 5750
    assert admin.get("/backoffice/settings/tax/US/ZZ").status_code == 404
    staff, _ = logged_in(app, "staff")
    assert staff.get("/backoffice/settings/tax").status_code == 403


def test_checkout_taxes_shipped_goods_and_shipping_not_the_online_course_and_the_order_keeps_it(app, payments_on):
    checkout_helpers.seed_shipping()
    admin, _ = logged_in(app, "admin")
    set_rate(admin, "OH", "5.75", shipping=True)
    book, course = BookFactory(price_cents=4995), ProductFactory(price_cents=2000)  # under free shipping's $75

    shopper = app.test_client()
    checkout_helpers.add_to_cart(shopper, book)
    checkout_helpers.add_to_cart(shopper, course)
    summary = shopper.get("/checkout/summary?country=US&region=OH&shipping=us-media-mail").get_json()
    expected = tax_on(4995 + MEDIA_MAIL, 5750)
    assert "Ohio sales tax" in summary["summary_html"] and f"${expected / 100:.2f}" in summary["summary_html"]
    untaxed = shopper.get("/checkout/summary?country=US&region=IL&shipping=us-media-mail").get_json()
    assert summary["total_cents"] - untaxed["total_cents"] == expected

    response = checkout_helpers.place(shopper, card_payment_method(payments_on, CARD_OK), email="oh@example.com",
                                      **OHIO)
    assert response.get_json()["status"] == "paid", response.get_json()
    order = order_of("oh@example.com")
    assert (order.tax_country, order.tax_region, order.tax_cents) == ("US", "OH", expected)
    lines = {line.kind: line for line in order.lines}
    assert lines["course"].tax_cents == 0 and lines["book"].tax_cents + order.shipping_tax_cents == expected
    assert order.total_cents == 4995 + 2000 + MEDIA_MAIL + expected == order.paid_cents

    set_rate(admin, "OH", "8")  # a later change leaves the order as it was charged
    assert order_of("oh@example.com").tax_cents == expected


def test_online_goods_taxed_where_the_state_taxes_them_and_the_state_is_then_required(app, payments_on):
    admin, _ = logged_in(app, "admin")
    set_rate(admin, "TX", "6.25", digital=True)
    course = ProductFactory(price_cents=11900)
    _, response = buy(app, payments_on, [course], "nostate@example.com", ship_region="", ship_line1="")
    assert response.status_code == 400 and "ship_region" in response.get_json()["errors"]
    _, response = buy(app, payments_on, [course], "tx@example.com", ship_region="TX", ship_line1="")
    assert response.get_json()["status"] == "paid", response.get_json()
    order = order_of("tx@example.com")
    assert order.tax_cents == tax_on(11900, 6250) and order.lines[0].tax_cents == order.tax_cents
    assert order.ship_line1 == ""  # nothing shipped: no address kept, only where it was taxed
    assert (order.tax_country, order.tax_region) == ("US", "TX")


def test_an_unknown_state_is_refused_rather_than_left_untaxed(app, payments_on):
    checkout_helpers.seed_shipping()
    _, response = buy(app, payments_on, [BookFactory()], "typo@example.com", **{**OHIO, "ship_region": "Ohioo"})
    assert response.status_code == 400 and "two-letter code" in response.get_json()["errors"]["ship_region"]


def test_refunds_give_back_the_tax_on_what_they_refund(app, payments_on):
    checkout_helpers.seed_shipping()
    admin, _ = logged_in(app, "admin")
    set_rate(admin, "OH", "5.75", shipping=True)
    book = BookFactory(price_cents=4995, stock=10)
    shopper = app.test_client()
    checkout_helpers.add_to_cart(shopper, book, 2)
    checkout_helpers.place(shopper, card_payment_method(payments_on, CARD_OK), email="refund@example.com", **OHIO)
    order = order_of("refund@example.com")
    line = order.lines[0]
    assert order.tax_cents == tax_on(2 * 4995 + order.shipping_cents, 5750)

    url = f"{DESK}/{order.number}/refund"
    response = post_page_form(admin, url, {"mode": "lines", f"refund-qty-{line.id}": "1", "reason": "Damaged"})
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    first = db.session.scalar(select(Refund).where(Refund.order_id == order.id))
    half_tax = line.tax_cents // 2 + line.tax_cents % 2  # the first unit takes the odd cent
    assert (first.amount_cents, first.tax_cents) == (4995 + half_tax, half_tax)

    response = post_page_form(admin, url, {"mode": "amount", "amount": "10.00", "reason": "Goodwill"})
    assert response.status_code == 303
    second = db.session.scalars(select(Refund).where(Refund.order_id == order.id).order_by(Refund.id)).all()[1]
    order = order_of("refund@example.com")
    assert second.tax_cents == (1000 * order.tax_cents * 2 + order.total_cents) // (2 * order.total_cents)
    assert db.session.scalar(select(func.sum(Refund.tax_cents)).where(Refund.order_id == order.id)) <= order.tax_cents


def test_the_report_totals_tax_per_state_and_month_net_of_refunds(app, payments_on):
    checkout_helpers.seed_shipping()
    admin, _ = logged_in(app, "admin")
    set_rate(admin, "OH", "5.75", shipping=True)
    set_rate(admin, "CA", "7.25")
    for email, address in (("a@example.com", OHIO), ("b@example.com", OHIO),
                           ("c@example.com", {**OHIO, "ship_region": "CA", "ship_city": "Fresno"}),
                           ("d@example.com", {**OHIO, "ship_region": "ME", "ship_city": "Portland"})):
        buy(app, payments_on, [BookFactory(price_cents=4995)], email, **address)
    ohio = order_of("a@example.com")
    post_page_form(admin, f"{DESK}/{ohio.number}/refund", {"mode": "amount", "amount": "20.00", "reason": "Late"})

    rows = list(csv.DictReader(io.StringIO(admin.get("/backoffice/reports/tax.csv").get_data(as_text=True))))
    by_state = {row["state_or_province"]: row for row in rows}
    assert set(by_state) == {"OH", "CA"}  # Maine has no rate: nothing collected there
    for region in ("OH", "CA"):
        collected = db.session.scalar(select(func.sum(Order.tax_cents)).where(Order.tax_region == region))
        assert int(by_state[region]["tax_collected"].replace(".", "")) == collected
    refunded = db.session.scalar(select(func.sum(Refund.tax_cents)))
    assert refunded > 0 and int(by_state["OH"]["tax_refunded"].replace(".", "")) == refunded
    assert by_state["OH"]["orders"] == "2" and by_state["CA"]["taxable_sales"] == "49.95"
    html = page(admin, "/backoffice/reports/tax")
    assert "Ohio" in html and "California" in html and "Maine" not in html
    assert db.session.scalar(select(func.count(OrderLine.id)).where(OrderLine.tax_cents > 0)) == 3


def test_a_phone_order_to_a_taxed_state_shows_its_tax_line_and_is_charged_it(app):
    checkout_helpers.seed_shipping()
    admin, _ = logged_in(app, "admin")
    set_rate(admin, "OH", "5.75", shipping=True, name="Ohio sales tax")
    BookFactory(sku="STR-BOOK", slug="str-book", price_cents=4995, stock=5)
    UserFactory(email="caller@example.com", full_name="Pat Caller")
    client, _ = staff_client(app)
    desk = PhoneDesk(client)
    assert desk.use_first_caller("caller@example.com").status_code == 303
    assert desk.add("str-book").status_code == 303
    response = desk.place("check", ship_region="OH", ship_city="Columbus", ship_postal_code="43004")
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    order = desk.order()
    assert order.tax_region == "OH" and order.tax_cents == tax_on(4995 + order.shipping_cents, 5750)
    assert "Ohio sales tax" in client.get(f"/backoffice/phone/orders/{order.number}").get_data(as_text=True)


def test_a_phone_order_of_a_course_asks_where_the_caller_lives_and_taxes_it_there(app):
    admin, _ = logged_in(app, "admin")
    set_rate(admin, "TX", "6.25", digital=True, name="Texas sales tax")
    ProductFactory(sku="CE-TX", slug="ce-tx", price_cents=11900)
    UserFactory(email="online@example.com", full_name="Sam Online")
    client, _ = staff_client(app)
    desk = PhoneDesk(client)
    assert desk.use_first_caller("online@example.com").status_code == 303
    assert desk.add("ce-tx").status_code == 303
    html = desk.page().get_data(as_text=True)
    assert "nothing to ship" in html and 'name="ship_region"' in html and 'name="ship_country"' in html
    online_only = {"ship_line1": "", "ship_city": "", "ship_postal_code": "", "shipping": ""}
    refused = desk.place("check", **online_only, ship_region="")
    assert refused.status_code == 422 and "needed for sales tax" in refused.get_data(as_text=True)
    response = desk.place("check", **online_only, ship_region="Texas")
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    order = desk.order()
    assert (order.tax_region, order.tax_cents) == ("TX", tax_on(11900, 6250))
    assert order.lines[0].tax_cents == order.tax_cents
    assert "Texas sales tax" in client.get(f"/backoffice/phone/orders/{order.number}").get_data(as_text=True)


def test_puerto_rico_chosen_as_the_country_is_taxed_as_the_state(app):
    checkout_helpers.seed_shipping()
    admin, _ = logged_in(app, "admin")
    set_rate(admin, "PR", "10.5", shipping=True, name="Puerto Rico sales and use tax")
    shopper = app.test_client()
    checkout_helpers.add_to_cart(shopper, BookFactory(price_cents=4995))
    summary = shopper.get("/checkout/summary?country=PR").get_json()
    assert "Puerto Rico sales and use tax" in summary["summary_html"]
    elsewhere = shopper.get("/checkout/summary?country=GB").get_json()
    assert "sales tax" not in elsewhere["summary_html"].lower()


def test_an_apo_address_and_a_state_typed_with_dots_are_accepted(app):
    checkout_helpers.seed_shipping()
    admin, _ = logged_in(app, "admin")
    set_rate(admin, "NY", "4", shipping=True, name="New York sales tax")
    shopper = app.test_client()
    checkout_helpers.add_to_cart(shopper, BookFactory(price_cents=4995))
    dotted = shopper.get("/checkout/summary?country=US&region=N.Y.&shipping=us-media-mail").get_json()
    assert "New York sales tax" in dotted["summary_html"]
    assert "Armed Forces Europe" in page(admin, "/backoffice/settings/tax")

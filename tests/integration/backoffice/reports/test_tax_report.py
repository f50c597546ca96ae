"""The sales-tax report: tax collected per state (or province) per month in the shop's time zone, net of the
tax refunds gave back in the month they were made; the page, its year and its CSV, checked against the
database."""

import csv
import io
from datetime import date, timedelta

from sqlalchemy import func, select

from shop.core.timeutil import local_midnight, local_today
from shop.extensions import db
from shop.orders.models import Order, OrderLine, Refund
from shop.reports.tax import tax_report
from tests.factories import OrderFactory, OrderLineFactory
from tests.support.desk_helpers import logged_in, page

REPORT = "/backoffice/reports/tax"


def shop_time(app, day, hour=12):
    """Naive UTC for `hour` o'clock on `day` in the shop's time zone."""
    return local_midnight(day, app.config["SHOP_TIMEZONE"]) + timedelta(hours=hour)


def taxed_order(when, region, *, goods=10000, tax=0, shipping=0, shipping_tax=0, digital=0, country="US",
                paid=True):
    """A paid order taxed for `region`: a taxed book line, an optional untaxed course line, shipping."""
    order = OrderFactory(placed_at=when, paid_at=when if paid else None, status="paid" if paid else "pending_payment",
                         tax_country=country if region else "", tax_region=region, shipping_cents=shipping,
                         shipping_tax_cents=shipping_tax, requires_shipping=True)
    OrderLineFactory(order=order, kind="book", is_physical=True, unit_price_cents=goods, tax_cents=tax - shipping_tax)
    if digital:
        OrderLineFactory(order=order, kind="course", unit_price_cents=digital, tax_cents=0)
    order.subtotal_cents = goods + digital
    order.tax_cents = tax
    order.total_cents = order.paid_cents = goods + digital + shipping + tax
    db.session.commit()
    return order


def refund(order, when, amount, tax, status="succeeded"):
    db.session.add(Refund(order_id=order.id, amount_cents=amount, tax_cents=tax, reason="returned", method="manual",
                          status=status, idempotency_key=f"r-{order.id}-{amount}-{status}", created_at=when))
    db.session.commit()


def sample(app):
    year = local_today(app.config["SHOP_TIMEZONE"]).year - 1
    jan, feb = date(year, 1, 15), date(year, 2, 10)
    ohio_jan = taxed_order(shop_time(app, jan), "OH", goods=10000, tax=609, shipping=595, shipping_tax=34,
                           digital=11900)
    taxed_order(shop_time(app, jan, 20), "OH", goods=4995, tax=287)
    # 11:30 pm on January 31 in New York is February 1 in UTC: still January for the report
    taxed_order(shop_time(app, date(year, 1, 31), 23) + timedelta(minutes=30), "OH", goods=2000, tax=115)
    taxed_order(shop_time(app, feb), "OH", goods=3000, tax=173)
    taxed_order(shop_time(app, feb), "CA", goods=5000, tax=363)
    taxed_order(shop_time(app, feb), "ON", goods=8000, tax=1040, country="CA")
    taxed_order(shop_time(app, feb), "ME", goods=5000, tax=0)  # no rate in Maine: nothing collected there
    taxed_order(shop_time(app, feb), "", goods=5000, tax=0)  # abroad
    taxed_order(shop_time(app, feb), "OH", goods=9000, tax=518, paid=False)  # never paid
    taxed_order(shop_time(app, date(year - 1, 12, 31)), "OH", goods=1000, tax=58)  # the year before
    refund(ohio_jan, shop_time(app, feb), 5000, 120)  # January's order, refunded in February
    refund(ohio_jan, shop_time(app, feb), 700, 40, status="failed")  # failed: gave nothing back
    return year


def by_key(report):
    return {(row.month.month, row.region): row for row in report.rows}


def test_tax_is_totalled_per_state_and_month_net_of_refunds(app):
    year = sample(app)
    report = tax_report(year, app.config["SHOP_TIMEZONE"])
    rows = by_key(report)
    assert set(rows) == {(1, "OH"), (2, "OH"), (2, "CA"), (2, "ON")}
    january = rows[(1, "OH")]
    assert (january.orders, january.tax_cents, january.refunded_tax_cents) == (3, 609 + 287 + 115, 0)
    assert january.taxable_cents == 10000 + 595 + 4995 + 2000  # the course line was not taxed
    assert january.sales_cents == 10000 + 11900 + 595 + 4995 + 2000
    february = rows[(2, "OH")]
    assert (february.orders, february.tax_cents, february.refunded_tax_cents) == (1, 173, 120)
    assert february.net_tax_cents == 173 - 120
    assert rows[(2, "ON")].country == "CA" and rows[(2, "ON")].name == "Ontario"

    start, end = local_midnight(date(year, 1, 1), app.config["SHOP_TIMEZONE"]), \
        local_midnight(date(year + 1, 1, 1), app.config["SHOP_TIMEZONE"])
    collected = db.session.scalar(select(func.sum(Order.tax_cents)).where(
        Order.paid_at >= start, Order.paid_at < end))
    given_back = db.session.scalar(select(func.sum(Refund.tax_cents)).where(Refund.status == "succeeded"))
    assert report.total("tax_cents") == collected
    assert report.total("refunded_tax_cents") == given_back
    assert report.total("net_tax_cents") == collected - given_back
    per_state = {row.region: row for row in report.by_region()}
    assert per_state["OH"].tax_cents == 609 + 287 + 115 + 173 and per_state["OH"].orders == 4
    assert sum(row.tax_cents for row in report.by_region()) == collected
    assert db.session.scalar(select(func.sum(OrderLine.tax_cents))) + db.session.scalar(
        select(func.sum(Order.shipping_tax_cents))) == db.session.scalar(select(func.sum(Order.tax_cents)))


def test_the_csv_has_a_row_per_state_and_month_matching_the_database(app):
    year = sample(app)
    client, _ = logged_in(app, "staff")
    response = client.get(f"{REPORT}.csv?year={year}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'sales-tax-{year}.csv' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["month"], r["country"], r["state_or_province"]) for r in rows] == [
        (f"{year}-01", "US", "OH"), (f"{year}-02", "CA", "ON"), (f"{year}-02", "US", "CA"), (f"{year}-02", "US", "OH")]
    ohio_february = rows[-1]
    assert ohio_february == {"month": f"{year}-02", "country": "US", "state_or_province": "OH", "name": "Ohio",
                             "orders": "1", "sales": "30.00", "taxable_sales": "30.00", "tax_collected": "1.73",
                             "tax_refunded": "1.20", "net_tax": "0.53"}
    cents = sum(int(r["tax_collected"].replace(".", "")) for r in rows)
    assert cents == tax_report(year, app.config["SHOP_TIMEZONE"]).total("tax_cents")


def test_the_page_shows_the_states_and_months_and_links_from_the_sales_report(app):
    year = sample(app)
    client, _ = logged_in(app, "marketing")
    html = page(client, f"{REPORT}?year={year}")
    for text in ("Ohio", "California", "Ontario", f"January {year}", f"February {year}", "$11.84", "$1.20"):
        assert text in html, text
    assert "Maine" not in html
    assert 'scope="col"' in html and 'scope="row"' in html
    assert 'href="/backoffice/reports/tax"' in page(client, "/backoffice/orders/sales")
    assert "No sales tax was collected" in page(client, f"{REPORT}?year={year - 5}")


def test_a_year_out_of_range_or_not_a_number_shows_this_year(app):
    client, _ = logged_in(app, "staff")
    this_year = local_today(app.config["SHOP_TIMEZONE"]).year
    for year in ("abc", "1999", str(this_year + 1), "99999999999999999999"):
        response = client.get(f"{REPORT}?year={year}")
        assert response.status_code == 200 and f"Sales tax collected, {this_year}" in response.get_data(as_text=True)
        assert client.get(f"{REPORT}.csv?year={year}").status_code == 200


def test_customers_cannot_open_it(app):
    client, _ = logged_in(app, "customer")
    assert client.get(REPORT).status_code == 403 and client.get(f"{REPORT}.csv").status_code == 403

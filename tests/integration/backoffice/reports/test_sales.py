"""The sales dashboard: revenue and orders per day by channel, refunds, top products, charts and the CSV."""

import csv
import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.orders.models import Refund
from tests.support.desk_helpers import DESK, logged_in, page, quick_order


def local_noon(app, days_ago):
    zone = ZoneInfo(app.config["SHOP_TIMEZONE"])
    today = utcnow().replace(tzinfo=UTC).astimezone(zone).date()
    return datetime.combine(today - timedelta(days=days_ago), time(12), zone).astimezone(UTC).replace(tzinfo=None)


def paid_at(app, order, days_ago):
    order.placed_at = order.paid_at = local_noon(app, days_ago)
    db.session.commit()
    return order


def sample(app):
    web = paid_at(app, quick_order(lines=[{"title": "Trigger points", "sku": "CE-TPT", "unit_price_cents": 9900}]), 0)
    paid_at(app, quick_order(channel="phone", lines=[{"title": "The book", "sku": "STR-BOOK", "kind": "book",
                                                      "unit_price_cents": 4995, "is_physical": True}]), 0)
    paid_at(app, quick_order(lines=[{"title": "Ethics", "sku": "CE-ETH", "unit_price_cents": 1000}]), 1)
    paid_at(app, quick_order(lines=[{"title": "Old big order", "sku": "OLD", "unit_price_cents": 100000}]), 40)
    quick_order(paid=False, lines=[{"title": "Never paid", "sku": "NOPE", "unit_price_cents": 7000}])
    db.session.add_all([
        Refund(order_id=web.id, amount_cents=500, reason="damaged", method="stripe", status="succeeded",
               idempotency_key="r1", created_at=local_noon(app, 0)),
        Refund(order_id=web.id, amount_cents=700, reason="failed", method="stripe", status="failed",
               idempotency_key="r2", created_at=local_noon(app, 0)),
    ])
    db.session.commit()


def test_dashboard_totals_by_channel_refunds_and_top_products(app):
    sample(app)
    client, _ = logged_in(app)
    html = page(client, f"{DESK}/sales")
    for text in ("$158.95", "revenue", "$109.00", "web (2)", "$49.95", "phone (1)", "$5.00", "$153.95",
                 "Trigger points", "The book", "Ethics"):
        assert text in html, text
    assert "Old big order" not in html and "Never paid" not in html
    assert '<svg viewBox="0 0 720 240" role="img"' in html and "Day by day" in html
    assert html.index("Trigger points") < html.index("The book") < html.index("Ethics")  # by revenue
    ninety = page(client, f"{DESK}/sales?days=90")
    assert "$1,158.95" in ninety and "Old big order" in ninety
    assert "$158.95" in page(client, f"{DESK}/sales?days=7")  # not a period offered: 30 days


def test_csv_has_one_row_per_day_with_channels_refunds_and_net(app):
    sample(app)
    client, _ = logged_in(app, role="marketing")
    response = client.get(f"{DESK}/sales.csv?days=30")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 30
    today, yesterday = rows[-1], rows[-2]
    assert today == {"date": today["date"], "web_orders": "1", "web_revenue": "99.00", "phone_orders": "1",
                     "phone_revenue": "49.95", "orders": "2", "revenue": "148.95", "refunds": "5.00", "net": "143.95"}
    assert (yesterday["orders"], yesterday["revenue"], yesterday["net"]) == ("1", "10.00", "10.00")
    assert sum(int(r["orders"]) for r in rows) == 3

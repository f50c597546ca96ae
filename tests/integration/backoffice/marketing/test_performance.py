"""Performance per promotion and for all of them: redemptions, discount, orders and revenue by channel; CSV."""

import csv
import io

import pytest

from shop.extensions import db
from shop.promotions.models import Promotion, PromotionRedemption
from tests.factories import OrderFactory
from tests.support.marketing import log_in_marketer, page_text


@pytest.fixture
def marketer(client):
    return log_in_marketer(client)


def _promotion(name="Spring Sale", state="active"):
    promotion = Promotion(name=name, state=state, benefit_kind="percent", basis_points=1000)
    db.session.add(promotion)
    db.session.commit()
    return promotion


def _redeem(promotion, channel, total, discount, status="confirmed"):
    order = OrderFactory(channel=channel, total_cents=total, discount_cents=discount,
                         status="paid" if status == "confirmed" else "pending_payment")
    db.session.add(PromotionRedemption(promotion_id=promotion.id, order_id=order.id, email=order.email,
                                       channel=channel, discount_cents=discount, status=status))
    db.session.commit()
    return order


@pytest.fixture
def sales():
    spring = _promotion()
    _redeem(spring, "web", 9000, 1000, "held")
    _redeem(spring, "web", 5000, 500)
    _redeem(spring, "phone", 20000, 2000)
    _redeem(spring, "web", 7000, 700, "released")  # an expired order gave its use back
    other = _promotion("Other")
    _redeem(other, "phone", 3000, 300)
    return spring, other


def test_performance_of_one_promotion_by_channel(client, marketer, sales):
    spring, _ = sales
    page = page_text(client.get(f"/marketing/promotions/{spring.id}/performance"))
    assert "Performance: Spring Sale" in page
    web = page[page.index('<th scope="row">Web</th>'):]
    web = web[:web.index("</tr>")]
    assert [c for c in ("1", "$15.00", "2", "$140.00") if f'<td class="num">{c}</td>' in web] == \
        ["1", "$15.00", "2", "$140.00"]  # 1 held, 1 confirmed, $15 discount, 2 orders, $140 revenue
    assert '<span class="stat-cards__value">3</span> redemptions' in page
    assert '<span class="stat-cards__value">$35.00</span> discount given' in page
    assert '<span class="stat-cards__value">$340.00</span> revenue' in page

    export = client.get(f"/marketing/promotions/{spring.id}/performance.csv")
    assert export.mimetype == "text/csv" and "attachment" in export.headers["Content-Disposition"]
    rows = {r["channel"]: r for r in csv.DictReader(io.StringIO(export.get_data(as_text=True)))}
    assert rows["web"] == {"promotion_id": str(spring.id), "promotion": "Spring Sale", "status": "live",
                           "channel": "web", "redemptions_held": "1", "redemptions_confirmed": "1",
                           "discount_given": "15.00", "orders": "2", "revenue": "140.00"}
    assert (rows["phone"]["orders"], rows["phone"]["revenue"]) == ("1", "200.00")
    assert (rows["all"]["orders"], rows["all"]["discount_given"], rows["all"]["revenue"]) == ("3", "35.00", "340.00")


def test_the_list_and_the_promotion_page_show_usage(client, marketer, sales):
    spring, _ = sales
    spring.max_redemptions = 10
    db.session.commit()
    assert "3 / 10" in page_text(client.get("/marketing/promotions"))
    page = page_text(client.get(f"/marketing/promotions/{spring.id}"))
    assert "<dt>Redemptions</dt><dd>3 of 10</dd>" in page and "<dt>Revenue</dt><dd>$340.00</dd>" in page


def test_overview_and_its_csv(client, marketer, sales):
    spring, other = sales
    page = page_text(client.get("/marketing/performance"))
    assert "Spring Sale" in page and "Other" in page and "3 <span class=\"muted\">(1 / 2)</span>" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/marketing/performance.csv").get_data(as_text=True))))
    assert [(r["promotion"], r["channel"], r["orders"]) for r in rows] == [
        ("Spring Sale", "web", "2"), ("Spring Sale", "phone", "1"), ("Spring Sale", "all", "3"),
        ("Other", "web", "0"), ("Other", "phone", "1"), ("Other", "all", "1")]


def test_csv_cells_are_not_spreadsheet_formulas(client, marketer):
    _promotion("=HYPERLINK(\"http://evil\")")
    rows = list(csv.DictReader(io.StringIO(client.get("/marketing/performance.csv").get_data(as_text=True))))
    assert rows[0]["promotion"].startswith("'=")


def test_overview_query_count_does_not_grow_with_promotions(client, marketer, sales, count_queries):
    def queries():
        client.get("/marketing/performance")
        with count_queries() as counter:
            assert client.get("/marketing/performance").status_code == 200
        return counter.count

    few = queries()
    for n in range(20):
        _redeem(_promotion(f"More {n}"), "web", 1000, 100)
    assert queries() == few

"""The members report: new, ended and active members, MRR and churn per month and channel; chart and CSV."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shop.core.timeutil import local_today
from shop.reports import membership as members_report
from tests.factories import MemberFactory
from tests.support.desk_helpers import logged_in, page
from tests.support.forms import main_of

URL = "/backoffice/reports/members"


def _months_back(n, today):
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def _at(app, day, hour=12, minute=0):
    """Naive UTC for that hour of that day in the shop's time zone."""
    zone = ZoneInfo(app.config["SHOP_TIMEZONE"])
    return datetime.combine(day, time(hour, minute), zone).astimezone(UTC).replace(tzinfo=None)


def _sample(app):
    """Three members start in month A (one at 23:30 shop time on its last day, already the next month in UTC);
    that one ends in month B. A never-paid attempt and a member who left long ago count nowhere."""
    today = local_today(app.config["SHOP_TIMEZONE"])
    a, b = _months_back(3, today), _months_back(2, today)
    MemberFactory(started_at=_at(app, a + timedelta(days=4)), price_cents=1995)
    MemberFactory(started_at=_at(app, b - timedelta(days=1), 23, 30), price_cents=1995, state="ended",
                  ended_at=_at(app, b + timedelta(days=9)))
    MemberFactory(started_at=_at(app, a + timedelta(days=11)), price_cents=1495, channel="phone",
                  created_at=_at(app, a + timedelta(days=11)))
    MemberFactory(started_at=None, state="ended", created_at=_at(app, a + timedelta(days=5)),
                  ended_at=_at(app, a + timedelta(days=5)))
    MemberFactory(started_at=_at(app, _months_back(20, today)), state="ended",
                  ended_at=_at(app, _months_back(15, today)))
    return a, b


def _month(result, first_day):
    return next(m for m in result.months if m.first_day == first_day)


def test_the_figures_for_a_hand_built_set_of_members(app):
    a, b = _sample(app)
    today = local_today(app.config["SHOP_TIMEZONE"])
    result = members_report.members_report(app.config["SHOP_TIMEZONE"])
    assert len(result.months) == 12 and result.latest.first_day == today.replace(day=1)
    before = _month(result, _months_back(4, today))
    assert before.total("new") == before.total("active") == before.total("mrr_cents") == 0 and before.churn() is None

    month_a = _month(result, a)
    assert month_a.new == {"web": 2, "phone": 1} and month_a.ended == {"web": 0, "phone": 0}
    assert month_a.active == {"web": 2, "phone": 1} and month_a.mrr_cents == {"web": 3990, "phone": 1495}
    assert month_a.churn() is None and month_a.churn("web") is None  # no one was active when A began

    month_b = _month(result, b)
    assert month_b.new == {"web": 0, "phone": 0} and month_b.ended == {"web": 1, "phone": 0}
    assert month_b.active_at_start == {"web": 2, "phone": 1}
    assert month_b.active == {"web": 1, "phone": 1} and month_b.total("mrr_cents") == 3490
    assert round(month_b.churn(), 1) == 33.3 and month_b.churn("web") == 50.0 and month_b.churn("phone") == 0.0

    for later in result.months[result.months.index(month_b) + 1:]:
        assert later.total("active") == 2 and later.total("mrr_cents") == 3490 and later.churn() == 0.0


def test_a_few_queries_whatever_the_number_of_members(app, count_queries):
    _sample(app)
    with count_queries() as few:
        members_report.members_report(app.config["SHOP_TIMEZONE"])
    for _ in range(30):
        MemberFactory()
    with count_queries() as many:
        result = members_report.members_report(app.config["SHOP_TIMEZONE"])
    assert many.count == few.count <= 3
    assert result.latest.new["web"] == 30


def test_the_page_shows_the_chart_and_the_same_figures_in_a_table(app):
    a, b = _sample(app)
    client, _ = logged_in(app, role="marketing")
    html = page(client, URL)
    main = main_of(html)
    svg = main.find("svg", attrs={"role": "img"})
    assert svg["aria-label"].startswith("Active members and monthly recurring revenue")
    assert "Active members (bars) and monthly recurring revenue (line)" in svg.find("title").get_text()
    assert svg.find("polyline") is not None and len(svg.find_all("circle")) == 12
    rows = [" ".join(tr.get_text(" ").split()) for tr in main.find("table").find("tbody").find_all("tr")]
    assert len(rows) == 12 * 3
    month_b = b.strftime("%B %Y")
    assert f"{month_b} Web 0 1 1 $19.95 50.0 %" in rows
    assert f"{month_b} Phone 0 0 1 $14.95 0.0 %" in rows
    assert f"{month_b} All 0 1 2 $34.90 33.3 %" in rows
    assert f"{a.strftime('%B %Y')} All 3 0 3 $54.85 —" in rows
    assert main.find("a", string="Download CSV")["href"] == f"{URL}.csv"
    assert "$34.90" in main.find("ul", class_="desk-stats").get_text()


def test_the_csv_has_the_same_columns_one_row_a_month(app):
    a, b = _sample(app)
    client, _ = logged_in(app, role="staff")
    response = client.get(f"{URL}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["month", "new_web", "new_phone", "new_total", "ended_web", "ended_phone", "ended_total",
                       "active_web", "active_phone", "active_total", "mrr_web", "mrr_phone", "mrr_total",
                       "churn_percent_web", "churn_percent_phone", "churn_percent_total"]
    assert len(rows) == 13
    by_month = {row[0]: row[1:] for row in rows[1:]}
    assert by_month[a.strftime("%Y-%m")] == ["2", "1", "3", "0", "0", "0", "2", "1", "3", "39.90", "14.95", "54.85",
                                             "", "", ""]
    assert by_month[b.strftime("%Y-%m")] == ["0", "0", "0", "1", "0", "1", "1", "1", "2", "19.95", "14.95", "34.90",
                                             "50.0", "0.0", "33.3"]


def test_staff_and_marketing_see_it_customers_do_not(app):
    for role in ("staff", "marketing", "admin"):
        client, _ = logged_in(app, role=role)
        assert client.get(URL).status_code == 200, role
        nav = main_of(page(client, "/backoffice/")).find("nav", class_="office-nav")
        assert URL in [a["href"] for a in nav.find_all("a")], role
    customer, _ = logged_in(app, role="customer")
    assert customer.get(URL).status_code == 403 and customer.get(f"{URL}.csv").status_code == 403
    anonymous = app.test_client()
    assert anonymous.get(URL).status_code == 302 and anonymous.get(f"{URL}.csv").status_code == 302


def test_with_no_members_every_figure_is_zero_and_churn_is_a_dash(app):
    client, _ = logged_in(app, role="marketing")
    html = page(client, URL)
    assert "$0.00" in html and "—" in html
    assert "Stacked bars" in html

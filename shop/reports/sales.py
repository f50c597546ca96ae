"""The sales dashboard: revenue and orders per day by channel, refunds, top products, a CSV and chart data.

An order counts on the day it was paid (in the shop's time zone), whatever happened to it later;
revenue is what those orders paid (their totals). Refunds count on the day they were made, so
net = revenue − refunds. Sums are grouped by UTC hour in the database (a few thousand rows at most,
whatever the number of orders), then added up by local day here, which is exact for time zones
whole hours from UTC (every US and Canadian one).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from shop.core.spreadsheet import csv_text
from shop.core.timeutil import local_midnight, local_today
from shop.extensions import db
from shop.money import decimal_text
from shop.orders.models import CHANNEL_PHONE, CHANNEL_WEB, Order, OrderLine, Refund
from shop.orders.refunds import REFUND_SUCCEEDED

PERIODS = (30, 90)
CHANNELS = (CHANNEL_WEB, CHANNEL_PHONE)
CHANNEL_LABELS = {CHANNEL_WEB: "Web", CHANNEL_PHONE: "Phone"}
TOP_PRODUCTS = 10


@dataclass
class Day:
    day: date
    orders: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    revenue: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    refunds_cents: int = 0

    @property
    def total_orders(self) -> int:
        return sum(self.orders.values())

    @property
    def total_revenue(self) -> int:
        return sum(self.revenue.values())

    @property
    def net_cents(self) -> int:
        return self.total_revenue - self.refunds_cents


@dataclass
class Sales:
    days: int
    start: date
    end: date
    rows: list[Day]  # oldest first
    top_products: list[tuple[str, str, int, int]]  # (sku, title, units, revenue_cents)

    @property
    def totals(self) -> Day:
        """A Day holding the sums over the whole period."""
        total = Day(self.end)
        for row in self.rows:
            for channel in CHANNELS:
                total.orders[channel] += row.orders[channel]
                total.revenue[channel] += row.revenue[channel]
            total.refunds_cents += row.refunds_cents
        return total


def _hour_bucket(column: Any) -> Any:
    if db.engine.dialect.name == "postgresql":
        return func.date_trunc("hour", column)
    return func.strftime("%Y-%m-%d %H:00:00", column)


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def period(days: int, tz_name: str, now: datetime | None = None) -> tuple[date, date, datetime]:
    """(first local day, last local day, UTC start) for the last `days` days, today included."""
    today = local_today(tz_name, now)
    first = today - timedelta(days=days - 1)
    return first, today, local_midnight(first, tz_name)


def sales(days: int, tz_name: str, now: datetime | None = None) -> "Sales":
    first, last, since = period(days, tz_name, now)
    zone = ZoneInfo(tz_name)
    rows = {first + timedelta(days=n): Day(first + timedelta(days=n)) for n in range(days)}

    def local_day(value):
        return _as_datetime(value).replace(tzinfo=UTC).astimezone(zone).date()

    bucket = _hour_bucket(Order.paid_at)
    for hour, channel, count, revenue in db.session.execute(
        select(bucket, Order.channel, func.count(Order.id), func.coalesce(func.sum(Order.total_cents), 0))
        .where(Order.paid_at >= since).group_by(bucket, Order.channel)
    ):
        row = rows.get(local_day(hour))
        if row is not None and channel in row.orders:
            row.orders[channel] += int(count)
            row.revenue[channel] += int(revenue)
    refund_bucket = _hour_bucket(Refund.created_at)
    for hour, cents in db.session.execute(
        select(refund_bucket, func.sum(Refund.amount_cents))
        .where(Refund.created_at >= since, Refund.status == REFUND_SUCCEEDED).group_by(refund_bucket)
    ):
        row = rows.get(local_day(hour))
        if row is not None:
            row.refunds_cents += int(cents)
    top = db.session.execute(
        select(OrderLine.sku, func.max(OrderLine.title), func.sum(OrderLine.quantity), func.sum(OrderLine.total_cents))
        .join(Order, Order.id == OrderLine.order_id).where(Order.paid_at >= since)
        .group_by(OrderLine.sku).order_by(func.sum(OrderLine.total_cents).desc(), OrderLine.sku).limit(TOP_PRODUCTS)
    ).all()
    return Sales(days=days, start=first, end=last, rows=list(rows.values()),
                 top_products=[(sku, title, int(units), int(cents)) for sku, title, units, cents in top])


def sales_csv(report: "Sales") -> str:
    """The daily figures as CSV text (amounts in dollars with two decimals, no currency sign)."""
    return csv_text(["date", "web_orders", "web_revenue", "phone_orders", "phone_revenue", "orders", "revenue",
                     "refunds", "net"], (
        [row.day.isoformat(), row.orders[CHANNEL_WEB], decimal_text(row.revenue[CHANNEL_WEB]),
         row.orders[CHANNEL_PHONE], decimal_text(row.revenue[CHANNEL_PHONE]), row.total_orders,
         decimal_text(row.total_revenue), decimal_text(row.refunds_cents), decimal_text(row.net_cents)]
        for row in report.rows))


def _nice_ceiling(value: float) -> float:
    """A round number at or above value for the top of a chart's axis: 1, 2, 2.5 or 5 × 10^n."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude) if step * magnitude >= 1 else 1
    return 10 * magnitude


def chart(report: "Sales", attribute: str, width: int = 720, height: int = 240, left: int = 76,
          bottom: int = 28) -> dict[str, Any]:
    """Geometry for a stacked bar chart (web below phone) of `attribute` ('orders' or 'revenue') per day."""
    values = [(row.day, getattr(row, attribute)[CHANNEL_WEB], getattr(row, attribute)[CHANNEL_PHONE])
              for row in report.rows]
    top = _nice_ceiling(max((web + phone for _, web, phone in values), default=0))
    plot_w, plot_h = width - left - 8, height - bottom - 8
    slot = plot_w / max(1, len(values))
    bar = max(1.0, slot * 0.75)
    bars = []
    for n, (day, web, phone) in enumerate(values):
        x = left + n * slot + (slot - bar) / 2
        web_h = plot_h * web / top
        phone_h = plot_h * phone / top
        bars.append({"day": day, "x": round(x, 2), "w": round(bar, 2), "web": web, "phone": phone,
                     "web_y": round(8 + plot_h - web_h, 2), "web_h": round(web_h, 2),
                     "phone_y": round(8 + plot_h - web_h - phone_h, 2), "phone_h": round(phone_h, 2),
                     "label": n % max(1, len(values) // 6) == 0 or n == len(values) - 1})
    ticks = [{"value": top * k / 4, "y": round(8 + plot_h - plot_h * k / 4, 2)} for k in range(5)]
    return {"width": width, "height": height, "left": left, "plot_h": plot_h, "base_y": 8 + plot_h,
            "bars": bars, "ticks": ticks, "money": attribute == "revenue"}

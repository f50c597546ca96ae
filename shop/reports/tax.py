"""Sales tax collected, per state (or province) per month: what a state's sales-tax return asks for.

An order counts in the month it was paid (the shop's time zone) under the destination it was taxed for
(Order.tax_country / tax_region); a refund's tax (Refund.tax_cents) is taken off in the month it was made,
under the same order's destination. Taxable sales are what the taxed lines and shipping came to before tax.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from shop.core.regions import region_name
from shop.core.spreadsheet import csv_text
from shop.core.timeutil import local_midnight, to_shop_time
from shop.extensions import db
from shop.money import decimal_text
from shop.orders.models import Order, OrderLine, Refund
from shop.orders.refunds import REFUND_SUCCEEDED

CSV_HEADER = ["month", "country", "state_or_province", "name", "orders", "sales", "taxable_sales", "tax_collected",
              "tax_refunded", "net_tax"]


@dataclass
class TaxRow:
    month: date  # the first day
    country: str
    region: str
    orders: int = 0
    sales_cents: int = 0  # goods after discounts plus shipping, before tax
    taxable_cents: int = 0
    tax_cents: int = 0
    refunded_tax_cents: int = 0

    @property
    def name(self) -> str:
        return region_name(self.country, self.region)

    @property
    def net_tax_cents(self) -> int:
        return self.tax_cents - self.refunded_tax_cents


@dataclass
class TaxReport:
    year: int
    rows: list[TaxRow] = field(default_factory=list)

    def total(self, attribute: str) -> int:
        return sum(getattr(row, attribute) for row in self.rows)

    def by_region(self) -> list[TaxRow]:
        """The year's totals per state or province."""
        totals: dict[tuple[str, str], TaxRow] = {}
        for row in self.rows:
            total = totals.setdefault((row.country, row.region), TaxRow(date(self.year, 1, 1), row.country, row.region))
            for name in ("orders", "sales_cents", "taxable_cents", "tax_cents", "refunded_tax_cents"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return sorted(totals.values(), key=lambda r: (r.country, r.name))


def _month(moment, tz_name: str) -> date:
    local = to_shop_time(moment, tz_name)
    return date(local.year, local.month, 1)


def tax_report(year: int, tz_name: str) -> TaxReport:
    start, end = local_midnight(date(year, 1, 1), tz_name), local_midnight(date(year + 1, 1, 1), tz_name)
    rows: dict[tuple[date, str, str], TaxRow] = {}

    def row_for(month: date, country: str, region: str) -> TaxRow:
        return rows.setdefault((month, country, region), TaxRow(month, country, region))

    orders = db.session.execute(
        select(Order.id, Order.paid_at, Order.tax_country, Order.tax_region, Order.tax_cents, Order.total_cents,
               Order.shipping_cents, Order.shipping_tax_cents)
        .where(Order.paid_at >= start, Order.paid_at < end, Order.tax_region != "", Order.tax_cents > 0)
    ).all()
    goods_by_order: dict[int, int] = defaultdict(int)  # the taxed lines' goods, per order
    for start_at in range(0, len(orders), 500):
        ids = [o.id for o in orders[start_at:start_at + 500]]
        for order_id, cents in db.session.execute(select(OrderLine.order_id, OrderLine.total_cents).where(
                OrderLine.order_id.in_(ids), OrderLine.tax_cents > 0)).all():
            goods_by_order[order_id] += cents
    for order in orders:
        row = row_for(_month(order.paid_at, tz_name), order.tax_country, order.tax_region)
        row.orders += 1
        row.sales_cents += order.total_cents - order.tax_cents
        row.taxable_cents += goods_by_order[order.id] + (order.shipping_cents if order.shipping_tax_cents else 0)
        row.tax_cents += order.tax_cents
    refunds = db.session.execute(
        select(Refund.created_at, Refund.tax_cents, Order.tax_country, Order.tax_region)
        .join(Order, Order.id == Refund.order_id)
        .where(Refund.status == REFUND_SUCCEEDED, Refund.tax_cents > 0, Refund.created_at >= start,
               Refund.created_at < end, Order.tax_region != "")
    ).all()
    for refund in refunds:
        row_for(_month(refund.created_at, tz_name), refund.tax_country, refund.tax_region).refunded_tax_cents += \
            refund.tax_cents
    return TaxReport(year, sorted(rows.values(), key=lambda r: (r.month, r.country, r.name)))


def tax_csv(report: TaxReport) -> str:
    return csv_text(CSV_HEADER, ([f"{row.month:%Y-%m}", row.country, row.region, row.name, row.orders,
                                  decimal_text(row.sales_cents), decimal_text(row.taxable_cents),
                                  decimal_text(row.tax_cents), decimal_text(row.refunded_tax_cents),
                                  decimal_text(row.net_tax_cents)] for row in report.rows))

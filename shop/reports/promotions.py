"""How promotions performed, by channel, on the page and as CSV.

Performance counts redemptions that are held (order placed, not paid yet) or confirmed (paid); a
released redemption (the order expired or was cancelled) is left out. Revenue is the orders' totals.
Every figure comes from grouped queries, so the number of queries does not grow with the promotions.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func

from shop.core.spreadsheet import csv_text
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.money import format_cents
from shop.orders.models import CHANNEL_PHONE, CHANNEL_WEB, Order
from shop.promotions.models import (
    REDEMPTION_CONFIRMED,
    REDEMPTION_HELD,
    REDEMPTION_RELEASED,
    Promotion,
    PromotionRedemption,
)
from shop.promotions.status import display_status

CHANNELS = (CHANNEL_WEB, CHANNEL_PHONE)
CHANNEL_LABELS = {CHANNEL_WEB: "Web", CHANNEL_PHONE: "Phone"}


@dataclass(frozen=True)
class Figures:
    held: int = 0
    confirmed: int = 0
    discount_cents: int = 0
    orders: int = 0
    revenue_cents: int = 0

    @property
    def redemptions(self) -> int:
        return self.held + self.confirmed

    def __add__(self, other):
        return Figures(self.held + other.held, self.confirmed + other.confirmed,
                       self.discount_cents + other.discount_cents, self.orders + other.orders,
                       self.revenue_cents + other.revenue_cents)


@dataclass(frozen=True)
class Performance:
    promotion: Promotion
    by_channel: dict[str, Figures]  # every channel present

    @property
    def total(self) -> "Figures":
        return sum(self.by_channel.values(), Figures())


def _figures(promotion_ids: list[int] | None = None) -> dict[tuple[int, str], "Figures"]:
    """{(promotion id, channel): Figures} in one grouped query."""
    statement = (
        db.select(
            PromotionRedemption.promotion_id, PromotionRedemption.channel,
            func.sum(case((PromotionRedemption.status == REDEMPTION_HELD, 1), else_=0)),
            func.sum(case((PromotionRedemption.status == REDEMPTION_CONFIRMED, 1), else_=0)),
            func.coalesce(func.sum(PromotionRedemption.discount_cents), 0),
            func.count(func.distinct(PromotionRedemption.order_id)),
            func.coalesce(func.sum(Order.total_cents), 0),
        )
        .join(Order, Order.id == PromotionRedemption.order_id)
        .where(PromotionRedemption.status != REDEMPTION_RELEASED)
        .group_by(PromotionRedemption.promotion_id, PromotionRedemption.channel)
    )
    if promotion_ids is not None:
        statement = statement.where(PromotionRedemption.promotion_id.in_(promotion_ids))
    return {(pid, channel): Figures(int(held or 0), int(confirmed or 0), int(discount), int(orders), int(revenue))
            for pid, channel, held, confirmed, discount, orders, revenue in db.session.execute(statement)}


def _by_channel(figures: dict[tuple[int, str], "Figures"], promotion_id: int) -> dict[str, "Figures"]:
    channels = {channel: figures.get((promotion_id, channel), Figures()) for channel in CHANNELS}
    for (pid, channel), value in figures.items():  # a channel the shop may add later
        if pid == promotion_id and channel not in channels:
            channels[channel] = value
    return channels


def usage(promotion_ids: list[int]) -> dict[int, "Figures"]:
    """{promotion id: Figures} over all channels, for the list page."""
    totals = {}
    for (pid, _channel), value in _figures(promotion_ids).items():
        totals[pid] = totals.get(pid, Figures()) + value
    return totals


def performance(promotion: Promotion) -> "Performance":
    return Performance(promotion, _by_channel(_figures([promotion.id]), promotion.id))


def overview(page: int = 1, per_page: int = 100) -> tuple[list["Performance"], int]:
    """(list of Performance, total promotions), newest promotion first."""
    total = db.session.scalar(db.select(func.count(Promotion.id)))
    promotions = db.session.scalars(db.select(Promotion).order_by(Promotion.id.desc())
                                    .offset((page - 1) * per_page).limit(per_page)).all()
    figures = _figures([p.id for p in promotions])
    return [Performance(p, _by_channel(figures, p.id)) for p in promotions], total


HEADER = ["promotion_id", "promotion", "status", "channel", "redemptions_held", "redemptions_confirmed",
          "discount_given", "orders", "revenue"]


def _rows(performance_item: "Performance", now: datetime) -> Iterator[list[Any]]:
    promotion = performance_item.promotion
    status = display_status(promotion, now)
    items = [*performance_item.by_channel.items(), ("all", performance_item.total)]
    for channel, f in items:
        yield [promotion.id, promotion.name, status, channel, f.held, f.confirmed,
               format_cents(f.discount_cents, ""), f.orders, format_cents(f.revenue_cents, "")]


def performance_csv(items: list["Performance"], now: datetime | None = None) -> str:
    now = now or utcnow()
    return csv_text(HEADER, (row for item in items for row in _rows(item, now)))


def all_performance_csv(now: datetime | None = None) -> str:
    promotions = db.session.scalars(db.select(Promotion).order_by(Promotion.id)).all()
    figures = _figures()
    return performance_csv([Performance(p, _by_channel(figures, p.id)) for p in promotions], now)

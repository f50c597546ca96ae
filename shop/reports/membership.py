"""The members report: per month (shop time) new members, ended members, members active at month end, the
monthly recurring revenue at month end and churn, each split by channel (web, phone); a CSV and chart data.

A membership counts from `started_at` (its first invoice paid: attempts never paid are left out) to
`ended_at`. Three queries whatever the number of members or months: the memberships open when the window
opens (counted and summed by channel in the database), then the starts and the ends inside the window;
each month's figures follow from the month before (active at the end = active at the start + new − ended).
Churn is the members who ended in the month over those active when it began, as a percentage.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select

from shop.core.spreadsheet import csv_text
from shop.core.timeutil import local_midnight, local_today, to_shop_time
from shop.extensions import db
from shop.membership.models import CHANNEL_PHONE, CHANNEL_WEB, Membership
from shop.money import decimal_text

MONTHS = 12
CHANNELS = (CHANNEL_WEB, CHANNEL_PHONE)
CHANNEL_LABELS = {CHANNEL_WEB: "Web", CHANNEL_PHONE: "Phone"}
CSV_HEADER = ["month"] + [f"{figure}_{part}" for figure in ("new", "ended", "active", "mrr", "churn_percent")
                          for part in (*CHANNELS, "total")]


def _by_channel() -> dict[str, int]:
    return dict.fromkeys(CHANNELS, 0)


@dataclass
class Month:
    first_day: date
    new: dict[str, int] = field(default_factory=_by_channel)
    ended: dict[str, int] = field(default_factory=_by_channel)
    active_at_start: dict[str, int] = field(default_factory=_by_channel)
    active: dict[str, int] = field(default_factory=_by_channel)  # at the month's end
    mrr_cents: dict[str, int] = field(default_factory=_by_channel)  # at the month's end
    to_date: bool = False  # the current month: its end is still to come

    def total(self, figure: str) -> int:
        return sum(getattr(self, figure).values())

    def churn(self, channel: str | None = None) -> float | None:
        """Ended in the month / active at its start, in percent; None when no one was active."""
        ended = self.total("ended") if channel is None else self.ended[channel]
        active = self.total("active_at_start") if channel is None else self.active_at_start[channel]
        return 100 * ended / active if active else None


@dataclass
class MembersReport:
    months: list[Month]  # oldest first

    @property
    def latest(self) -> Month:
        return self.months[-1]


def month_starts(count: int, tz_name: str, now: datetime | None = None) -> list[date]:
    """The first days of the last `count` months (the current one included), oldest first, in shop time."""
    today = local_today(tz_name, now)
    index = today.year * 12 + today.month - 1
    return [date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count - 1, -1, -1)]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_of(value: Any, tz_name: str) -> date:
    local = to_shop_time(value, tz_name)
    assert local is not None
    return date(local.year, local.month, 1)


def members_report(tz_name: str, now: datetime | None = None, count: int = MONTHS) -> MembersReport:
    firsts = month_starts(count, tz_name, now)
    since, until = local_midnight(firsts[0], tz_name), local_midnight(_next_month(firsts[-1]), tz_name)
    months = {first: Month(first) for first in firsts}
    months[firsts[-1]].to_date = True
    started = Membership.started_at.is_not(None)
    active, mrr = _by_channel(), _by_channel()
    for channel, number, cents in db.session.execute(
        select(Membership.channel, func.count(Membership.id), func.coalesce(func.sum(Membership.price_cents), 0))
        .where(started, Membership.started_at < since,
               or_(Membership.ended_at.is_(None), Membership.ended_at >= since))
        .group_by(Membership.channel)
    ):
        if channel in active:
            active[channel], mrr[channel] = int(number), int(cents)
    joins = {first: _by_channel() for first in firsts}
    join_cents = {first: _by_channel() for first in firsts}
    for channel, moment, cents in db.session.execute(
        select(Membership.channel, Membership.started_at, Membership.price_cents)
        .where(Membership.started_at >= since, Membership.started_at < until)
    ):
        month = _month_of(moment, tz_name)
        if month in joins and channel in active:
            joins[month][channel] += 1
            join_cents[month][channel] += cents
    leaves = {first: _by_channel() for first in firsts}
    leave_cents = {first: _by_channel() for first in firsts}
    for channel, moment, cents in db.session.execute(
        select(Membership.channel, Membership.ended_at, Membership.price_cents)
        .where(started, Membership.ended_at >= since, Membership.ended_at < until)
    ):
        month = _month_of(moment, tz_name)
        if month in leaves and channel in active:
            leaves[month][channel] += 1
            leave_cents[month][channel] += cents
    for first in firsts:
        row = months[first]
        row.active_at_start = dict(active)
        row.new, row.ended = joins[first], leaves[first]
        for channel in CHANNELS:
            active[channel] += row.new[channel] - row.ended[channel]
            mrr[channel] += join_cents[first][channel] - leave_cents[first][channel]
        row.active, row.mrr_cents = dict(active), dict(mrr)
    return MembersReport(months=list(months.values()))


def churn_text(value: float | None) -> str:
    """A churn figure as the page and the CSV show it: one decimal, or "" when no one was active."""
    return "" if value is None else f"{value:.1f}"


def members_csv(report: MembersReport) -> str:
    """One row per month (amounts in dollars with two decimals, churn in percent, empty when undefined)."""
    rows = []
    for row in report.months:
        cells = [row.first_day.strftime("%Y-%m")]
        for figure in ("new", "ended", "active"):
            cells += [getattr(row, figure)[channel] for channel in CHANNELS] + [row.total(figure)]
        cells += [decimal_text(row.mrr_cents[channel]) for channel in CHANNELS] + [decimal_text(row.total("mrr_cents"))]
        cells += [churn_text(row.churn(channel)) for channel in CHANNELS] + [churn_text(row.churn())]
        rows.append(cells)
    return csv_text(CSV_HEADER, rows)


def _tick_step(value: int) -> int:
    """A round whole step for a four-step axis reaching at least `value`: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^n
    (whole numbers only: in integers throughout)."""
    needed = max(-(-value // 4), 1)
    magnitude = 10 ** (len(str(needed)) - 1)
    for tenths in (10, 15, 20, 25, 30, 40, 50, 60, 80, 100):
        step, rest = divmod(tenths * magnitude, 10)
        if not rest and step >= needed:
            return step
    return 10 * magnitude


def chart(report: MembersReport, width: int = 720, height: int = 260, left: int = 48, right: int = 72,
          bottom: int = 28) -> dict[str, Any]:
    """Geometry for the chart: stacked bars of members active at month end (web below phone), on the left
    axis, and a line of the MRR at month end on the right axis (in dollars)."""
    plot_w, plot_h, top_pad = width - left - right, height - bottom - 8, 8
    top_members = 4 * _tick_step(max((row.total("active") for row in report.months), default=0))
    top_mrr_cents = max((row.total("mrr_cents") for row in report.months), default=0)
    top_mrr = 400 * _tick_step(-(-top_mrr_cents // 100))  # in cents: four steps of whole dollars
    slot = plot_w / max(1, len(report.months))
    bar = slot * 0.6
    bars, points = [], []
    for n, row in enumerate(report.months):
        x = left + n * slot + (slot - bar) / 2
        web_h = plot_h * row.active[CHANNEL_WEB] / top_members
        phone_h = plot_h * row.active[CHANNEL_PHONE] / top_members
        mrr_y = top_pad + plot_h - plot_h * row.total("mrr_cents") / top_mrr
        bars.append({"month": row, "x": round(x, 2), "w": round(bar, 2), "centre": round(x + bar / 2, 2),
                     "web_y": round(top_pad + plot_h - web_h, 2), "web_h": round(web_h, 2),
                     "phone_y": round(top_pad + plot_h - web_h - phone_h, 2), "phone_h": round(phone_h, 2),
                     "mrr_y": round(mrr_y, 2)})
        points.append(f"{round(x + bar / 2, 2)},{round(mrr_y, 2)}")
    ticks = [{"members": top_members * k / 4, "mrr_cents": int(top_mrr * k / 4),
              "y": round(top_pad + plot_h - plot_h * k / 4, 2)} for k in range(5)]
    return {"width": width, "height": height, "left": left, "right_x": width - right, "base_y": top_pad + plot_h,
            "bars": bars, "ticks": ticks, "line": " ".join(points)}

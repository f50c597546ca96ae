"""The order desk's list: filters, search and keyset pagination that stay fast with 100,000 orders.

Orders are listed newest first, `ORDER BY placed_at DESC, id DESC`, read through the index on
`placed_at` (ix_orders_placed, or ix_orders_status_placed / ix_orders_channel_placed with those
filters). Pages are keyset pages: a cursor holds the last row's (placed_at, id), so page 500
costs what page 1 does and nothing counts the whole table. Search matches the order number
exactly and e-mail or name by fragment (`lower(...) LIKE '%...%'`), which PostgreSQL answers from
the pg_trgm GIN indexes of migration 0004.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import load_only

from shop.accounts.models import ROLE_CUSTOMER, User
from shop.catalogue.models import Product
from shop.core.errors import Refusal
from shop.core.text import is_whole_number, like_pattern
from shop.core.timeutil import local_midnight
from shop.extensions import db
from shop.orders.models import (
    CHANNEL_PHONE,
    CHANNEL_WEB,
    FULFILMENT_NOT_NEEDED,
    FULFILMENT_PARTIAL,
    FULFILMENT_SHIPPED,
    FULFILMENT_UNFULFILLED,
    ORDER_NUMBER_PREFIX,
    STATUS_LABELS,
    STATUSES,
    Order,
    OrderLine,
)
from shop.promotions.models import Promotion, PromotionRedemption

PAGE_SIZE = 25
SEARCH_MAX = 100
SEARCH_MIN = 3  # shorter fragments cannot use the trigram indexes (and match too much to help)
CHANNELS = {CHANNEL_WEB: "Web", CHANNEL_PHONE: "Phone"}
TO_SHIP = "to_ship"  # a filter only: not shipped or partly shipped
FULFILMENT_LABELS = {
    TO_SHIP: "Still to ship",
    FULFILMENT_UNFULFILLED: "Not shipped",
    FULFILMENT_PARTIAL: "Partly shipped",
    FULFILMENT_SHIPPED: "Shipped",
    FULFILMENT_NOT_NEEDED: "Nothing to ship",
}
_NUMBER_RE = re.compile(rf"^\s*(?:{ORDER_NUMBER_PREFIX}\s*-?\s*)?(\d{{1,12}})\s*$", re.IGNORECASE)
_CURSOR_RE = re.compile(r"^(-?\d{1,18})_(\d{1,10})$")
_EPOCH = datetime(1970, 1, 1)
LIST_COLUMNS = (Order.id, Order.number, Order.email, Order.customer_name, Order.channel, Order.status,
                Order.fulfilment_status, Order.requires_shipping, Order.total_cents, Order.refunded_cents,
                Order.placed_at, Order.staff_id, Order.payment_method, Order.currency, Order.version_id)


class FilterError(Refusal):
    """A filter value that cannot be used; `field` names the form field."""


@dataclass
class OrderFilters:
    status: str = ""
    channel: str = ""
    fulfilment: str = ""
    date_from: date | None = None
    date_to: date | None = None
    product_sku: str = ""
    promotion_id: int | None = None
    staff_id: int | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass
class OrderPage:
    orders: list
    newer: str | None = None  # cursor for the page before (newer orders), None on the first page
    older: str | None = None  # cursor for the next page (older orders)
    errors: dict = field(default_factory=dict)


def _day(text: str | None, field_name: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FilterError("Enter the date as YYYY-MM-DD, for example 2026-03-31.", field_name) from None
    if not 1900 <= day.year <= 9000:
        raise FilterError("Enter a date between the years 1900 and 9000.", field_name)
    return day


def _optional_id(text: str | None, field_name: str, message: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not is_whole_number(text) or len(text) > 9:
        raise FilterError(message, field_name)
    return int(text)


def parse_filters(args: Mapping[str, str]) -> tuple[OrderFilters, dict[str, str]]:
    """OrderFilters from query arguments; collects every problem as {field: message} (second value)."""
    filters = OrderFilters()
    errors = {}

    def take(field_name, convert):
        try:
            setattr(filters, field_name, convert())
        except FilterError as error:
            errors[error.field] = error.message

    status = (args.get("status") or "").strip()
    if status and status not in STATUSES:
        errors["status"] = "Choose a status from the list."
    else:
        filters.status = status
    channel = (args.get("channel") or "").strip()
    if channel and channel not in CHANNELS:
        errors["channel"] = "Choose web or phone."
    else:
        filters.channel = channel
    fulfilment = (args.get("fulfilment") or "").strip()
    if fulfilment and fulfilment not in FULFILMENT_LABELS:
        errors["fulfilment"] = "Choose a shipping state from the list."
    else:
        filters.fulfilment = fulfilment
    take("date_from", lambda: _day(args.get("date_from"), "date_from"))
    take("date_to", lambda: _day(args.get("date_to"), "date_to"))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["date_to"] = "The end date is before the start date."
    filters.product_sku = (args.get("product") or "").strip()[:40]
    take("promotion_id", lambda: _optional_id(args.get("promotion"), "promotion", "Choose a promotion from the list."))
    take("staff_id", lambda: _optional_id(args.get("staff"), "staff", "Choose a staff member from the list."))
    filters.q = " ".join((args.get("q") or "").split())[:SEARCH_MAX]
    if filters.q and len(filters.q) < SEARCH_MIN and not _NUMBER_RE.match(filters.q):
        errors["q"] = f"Type at least {SEARCH_MIN} letters of the e-mail or name, or the order number."
    return filters, errors


def _utc_bounds(filters: OrderFilters, tz_name: str) -> tuple[datetime | None, datetime | None]:
    """The filter's days (in the shop's time zone) as naive UTC datetimes [start, end)."""
    start = local_midnight(filters.date_from, tz_name) if filters.date_from else None
    end = local_midnight(filters.date_to + timedelta(days=1), tz_name) if filters.date_to else None
    return start, end


def search_condition(q: str) -> Any:
    """Number (exact, with or without the STR- prefix), or a fragment of the e-mail or name."""
    match = _NUMBER_RE.match(q)
    if match:
        return Order.number == f"{ORDER_NUMBER_PREFIX}-{int(match.group(1))}"
    pattern = like_pattern(q)
    email = func.lower(Order.email).like(pattern, escape="\\")
    if "@" in q:
        return email
    return or_(email, func.lower(Order.customer_name).like(pattern, escape="\\"))


def _fulfilment_condition(value: str) -> Any:
    # orders with nothing to ship may still say "unfulfilled": what they need to ship decides
    if value == FULFILMENT_NOT_NEEDED:
        return Order.requires_shipping.is_(False)
    if value == FULFILMENT_SHIPPED:
        return Order.fulfilment_status == FULFILMENT_SHIPPED
    states = (FULFILMENT_UNFULFILLED, FULFILMENT_PARTIAL) if value == TO_SHIP else (value,)
    return and_(Order.requires_shipping.is_(True), Order.fulfilment_status.in_(states))


def conditions(filters: OrderFilters, tz_name: str) -> list[Any]:
    """SQL conditions for the filters (a product SKU that matches nothing gives a false condition)."""
    where = []
    if filters.status:
        where.append(Order.status == filters.status)
    if filters.channel:
        where.append(Order.channel == filters.channel)
    if filters.fulfilment:
        where.append(_fulfilment_condition(filters.fulfilment))
    start, end = _utc_bounds(filters, tz_name)
    if start is not None:
        where.append(Order.placed_at >= start)
    if end is not None:
        where.append(Order.placed_at < end)
    if filters.product_sku:
        product_id = db.session.scalar(select(Product.id).where(func.lower(Product.sku) == filters.product_sku.lower()))
        where.append(exists().where(OrderLine.order_id == Order.id, OrderLine.product_id == product_id)
                     if product_id is not None else Order.id.is_(None))
    if filters.promotion_id is not None:
        where.append(exists().where(PromotionRedemption.order_id == Order.id,
                                    PromotionRedemption.promotion_id == filters.promotion_id))
    if filters.staff_id is not None:
        where.append(Order.staff_id == filters.staff_id)
    if filters.q:
        where.append(search_condition(filters.q))
    return where


def encode_cursor(placed_at: datetime, order_id: int) -> str:
    micros = (placed_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}_{order_id}"


def decode_cursor(text: str | None) -> tuple[datetime, int] | None:
    """(placed_at, id) from a cursor, or None for a missing or malformed one (the first page then)."""
    match = _CURSOR_RE.match((text or "").strip())
    if not match:
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(match.group(1))), int(match.group(2))
    except OverflowError:
        return None


def list_orders(filters: OrderFilters, tz_name: str, *, after: str | None = None, before: str | None = None,
                page_size: int = PAGE_SIZE) -> OrderPage:
    """One page of orders, newest first; `after` = cursor of the last row seen (older), `before` = newer."""
    where = conditions(filters, tz_name)
    stmt = select(Order).options(load_only(*LIST_COLUMNS)).where(*where)
    going_back = False
    cursor = decode_cursor(after)
    if cursor is None and before:
        cursor = decode_cursor(before)
        going_back = cursor is not None
    if cursor is not None:
        placed_at, order_id = cursor
        if going_back:  # newer rows: (placed_at, id) > cursor, read upwards, shown newest first
            stmt = stmt.where(Order.placed_at >= placed_at,
                              or_(Order.placed_at > placed_at, and_(Order.placed_at == placed_at, Order.id > order_id)))
            stmt = stmt.order_by(Order.placed_at.asc(), Order.id.asc())
        else:
            stmt = stmt.where(Order.placed_at <= placed_at,
                              or_(Order.placed_at < placed_at, and_(Order.placed_at == placed_at, Order.id < order_id)))
    if not going_back:
        stmt = stmt.order_by(Order.placed_at.desc(), Order.id.desc())
    rows = db.session.execute(stmt.limit(page_size + 1)).scalars().all()
    more = len(rows) > page_size
    rows = rows[:page_size]
    if going_back:
        rows.reverse()
    page = OrderPage(orders=rows)
    if rows:
        first, last = rows[0], rows[-1]
        if going_back:
            page.newer = encode_cursor(first.placed_at, first.id) if more else None
            page.older = encode_cursor(last.placed_at, last.id)
        else:
            page.newer = encode_cursor(first.placed_at, first.id) if cursor is not None else None
            page.older = encode_cursor(last.placed_at, last.id) if more else None
    return page


def staff_members() -> list[tuple[int, str]]:
    """Everyone who can take orders or work the desk, for the staff filter: [(id, label)]."""
    rows = db.session.execute(
        select(User.id, User.full_name, User.email).where(User.role != ROLE_CUSTOMER)
        .order_by(User.full_name, User.email)
    ).all()
    return [(row.id, row.full_name or row.email) for row in rows]


def promotions() -> list[Any]:
    return list(db.session.execute(select(Promotion.id, Promotion.name).order_by(Promotion.name)).all())


def status_choices() -> list[tuple[str, str]]:
    return list(STATUS_LABELS.items())


def order_numbers(order_ids: Iterable[int | None]) -> dict[int, str]:
    """{order id: number} for these orders (the stock page names the orders behind its movements)."""
    ids = sorted({i for i in order_ids if i})
    if not ids:
        return {}
    return {row.id: row.number for row in db.session.execute(select(Order.id, Order.number).where(Order.id.in_(ids)))}


def by_number(number: str) -> Order | None:
    """The order with this number (None for an unknown or overlong one)."""
    if not number or len(number) > 20:
        return None
    return db.session.scalar(select(Order).where(Order.number == number))

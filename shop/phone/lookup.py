"""Finding things while the caller waits: who is calling (accounts, past orders, the call log) and what they want
(products by SKU or title, with their stock). Reads only; nothing here changes the database."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_

from shop.accounts.addresses import default_address
from shop.accounts.models import User
from shop.catalogue import search
from shop.catalogue.models import KIND_MEMBERSHIP, Product
from shop.core.text import is_whole_number, like_pattern, one_line
from shop.extensions import db
from shop.orders.models import CHANNEL_PHONE, Order
from shop.phone.models import CallLogEntry

MAX_QUERY = 100
ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


@dataclass(frozen=True)
class Caller:
    """Someone found for a query: `key` ("user:12", "order:34", "call:56") picks them again on the server."""

    key: str
    name: str
    email: str
    phone: str
    source: str
    user_id: int | None = None
    address: dict[str, str] = field(default_factory=dict)

    @property
    def address_line(self) -> str:
        a = self.address
        city = " ".join(p for p in (a.get("city", ""), a.get("region", ""), a.get("postal_code", "")) if p)
        return ", ".join(p for p in (a.get("line1", ""), city, a.get("country", "")) if p)


def clean_query(text: str | None) -> str:
    """One line of text (no control characters, which PostgreSQL refuses), at most MAX_QUERY long."""
    return one_line(text, MAX_QUERY)


def _digits_like(text: str) -> str | None:
    """'555-0100' -> '%5%5%5%0%1%0%0%': matches the number however it was typed; None for too few digits."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 4 or len(digits) < len(text.replace(" ", "")) * 0.6:
        return None
    return "%" + "%".join(digits[-10:]) + "%"


def matching(columns: Any, phone_columns: Any, text: str) -> Any:
    """Any column containing the text, or any phone column holding its digits (however they were typed)."""
    pattern = like_pattern(text)
    conditions = [func.lower(column).like(pattern, escape="\\") for column in columns]
    digits = _digits_like(text)
    if digits:
        conditions.extend(column.like(digits) for column in phone_columns)
    return or_(*conditions)


def _user_address(user: User) -> dict[str, str]:
    address = default_address(user)
    if address is None:
        return {}
    return {name: getattr(address, name) or "" for name in ADDRESS_FIELDS}


def _order_address(order: Order) -> dict[str, str]:
    if not order.ship_line1:
        return {}
    return {name: getattr(order, f"ship_{name}") or "" for name in ADDRESS_FIELDS}


def find_callers(text: str | None, limit: int = 8) -> list[Caller]:
    """Accounts first, then guests from past orders, then callers from the call log; one row per e-mail."""
    text = clean_query(text)
    if len(text) < 2:
        return []
    found, seen = [], set()

    def add(caller):
        key = (caller.email or "").lower() or caller.phone
        if key and key not in seen and len(found) < limit:
            seen.add(key)
            found.append(caller)

    users = db.session.execute(
        db.select(User).where(User.is_active_account.is_(True),
                              matching((User.email, User.full_name), (User.phone,), text))
        .order_by(User.full_name, User.id).limit(limit)
    ).scalars().all()
    for user in users:
        address = _user_address(user)
        if not address:
            last = db.session.execute(
                db.select(Order).where(Order.user_id == user.id, Order.ship_line1 != "")
                .order_by(Order.placed_at.desc()).limit(1)).scalar_one_or_none()
            address = _order_address(last) if last else {}
        add(Caller(f"user:{user.id}", user.full_name, user.email, user.phone, f"{user.role.title()} account",
                   user.id, address))
    orders = db.session.execute(
        db.select(Order).where(Order.email != "",
                               matching((Order.email, Order.customer_name), (Order.phone, Order.caller_phone), text))
        .order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit * 3)
    ).scalars().all()
    for order in orders:
        phone = order.phone or order.caller_phone
        add(Caller(f"order:{order.id}", order.customer_name, order.email, phone,
                   f"{'Phone' if order.channel == CHANNEL_PHONE else 'Web'} order {order.number}", order.user_id,
                   _order_address(order)))
    calls = db.session.execute(
        db.select(CallLogEntry).where(
            matching((CallLogEntry.caller_email, CallLogEntry.caller_name), (CallLogEntry.caller_phone,), text))
        .order_by(CallLogEntry.created_at.desc()).limit(limit)
    ).scalars().all()
    for call in calls:
        add(Caller(f"call:{call.id}", call.caller_name, call.caller_email, call.caller_phone, "Call log",
                   call.customer_id))
    return found


def caller_by_key(key: str | None) -> Caller | None:
    """The Caller a search result's key names, read again from the database; None if it is not there."""
    kind, _, number = (key or "").partition(":")
    if not is_whole_number(number) or len(number) > 10:
        return None
    row_id = int(number)
    if kind == "user":
        user = db.session.get(User, row_id)
        if user is None or not user.is_active_account:
            return None
        return Caller(key, user.full_name, user.email, user.phone, "Account", user.id, _user_address(user))
    if kind == "order":
        order = db.session.get(Order, row_id)
        if order is None or not order.email:
            return None
        return Caller(key, order.customer_name, order.email, order.phone or order.caller_phone, f"Order {order.number}",
                      order.user_id, _order_address(order))
    if kind == "call":
        call = db.session.get(CallLogEntry, row_id)
        if call is None:
            return None
        return Caller(key, call.caller_name, call.caller_email, call.caller_phone, "Call log", call.customer_id)
    return None


def find_products(text: str | None, limit: int = 10) -> list[Product]:
    """An exact SKU first and alone; otherwise active products whose SKU or title words match."""
    text = clean_query(text)
    if not text:
        return []
    active = (Product.is_active.is_(True), Product.kind != KIND_MEMBERSHIP)
    exact = db.session.execute(
        db.select(Product).where(func.lower(Product.sku) == text.lower(), *active)).scalar_one_or_none()
    if exact is not None:
        return [exact]
    conditions = [func.lower(Product.sku).like(like_pattern(text), escape="\\")]
    words = search.parse_query(text)
    if words:
        condition, _, _ = search.search_condition(words, search.vocabulary())
        conditions.append(condition)
    return db.session.execute(
        db.select(Product).where(or_(*conditions), *active).order_by(Product.title, Product.id).limit(limit)
    ).scalars().all()

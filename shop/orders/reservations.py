"""Books taken from stock for an order: held while it waits for payment, sold once paid, given back if not.

Every change to stock goes through shop.catalogue.stock (a conditional UPDATE that never takes the
stock below zero), so two buyers racing for the last copy cannot both get it.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shop.catalogue import stock
from shop.catalogue.models import MOVEMENT_RETURNED, Product, books_in
from shop.extensions import db
from shop.orders.models import (
    RESERVATION_CONVERTED,
    RESERVATION_HELD,
    RESERVATION_RELEASED,
    Order,
    StockReservation,
)


class OutOfStock(Exception):
    """A book ran out between pricing and holding it. `message` says so; callers add what to do."""

    def __init__(self, title: str, available: int, book_id: int | None = None) -> None:
        copies = "copy" if available == 1 else "copies"
        self.message = f"Sorry: only {available} {copies} of {title} left now."
        super().__init__(self.message)
        self.title = title
        self.available = available
        self.book_id = book_id


def books_wanted(items: Mapping[Any, int]) -> dict[int, tuple[str, int]]:
    """{book id: (title, copies)} that these products ({Product: quantity}) take from stock."""
    return {book_id: (book.title, copies) for book_id, (book, copies) in books_in(items).items()}


def take(order: Order, wanted: Mapping[int, tuple[str, int]]) -> None:
    """Hold the copies a new order needs until its reservation expires; OutOfStock if one ran out.

    The caller rolls back on OutOfStock (copies taken before it are given back that way).
    """
    for book_id, (title, copies) in sorted(wanted.items()):
        if not stock.take(book_id, copies, order_id=order.id):
            raise OutOfStock(title, stock.available(book_id), book_id)
        order.reservations.append(StockReservation(product_id=book_id, quantity=copies,
                                                   expires_at=order.reservation_expires_at))


def hold_exactly(order: Order, wanted: Mapping[int, int], until: datetime) -> None:
    """Take or give back copies so that the order holds exactly `wanted` ({book id: copies}) until `until`.

    For an order that changes while it is held (a phone draft). OutOfStock names the book that ran out;
    the caller rolls back.
    """
    held = {r.product_id: r for r in order.reservations if r.status == RESERVATION_HELD}
    for book_id in sorted(set(wanted) | set(held)):
        need = wanted.get(book_id, 0)
        reservation = held.get(book_id)
        have = reservation.quantity if reservation else 0
        if need > have and not stock.take(book_id, need - have, order_id=order.id):
            book = db.session.get(Product, book_id)
            raise OutOfStock(book.title if book else str(book_id), stock.available(book_id) + have, book_id)
        if need < have:
            stock.give_back(book_id, have - need, order_id=order.id)
        if need == 0 and reservation is not None:
            order.reservations.remove(reservation)
        elif reservation is None:
            order.reservations.append(StockReservation(product_id=book_id, quantity=need, expires_at=until))
        else:
            reservation.quantity = need
    extend(order, until)


def extend(order: Order, until: datetime) -> None:
    """Keep the order's held copies (and the order) until `until`."""
    order.reservation_expires_at = until
    for reservation in order.reservations:
        if reservation.status == RESERVATION_HELD:
            reservation.expires_at = until


def held(order: Order) -> dict[int, int]:
    """{book id: copies} this order holds now."""
    return {r.product_id: r.quantity for r in order.reservations if r.status == RESERVATION_HELD}


def release(order: Order) -> None:
    """Held copies go back to stock (the order expired, was abandoned or cancelled before payment)."""
    for reservation in order.reservations:
        if reservation.status == RESERVATION_HELD:
            stock.give_back(reservation.product_id, reservation.quantity, order_id=order.id)
            reservation.status = RESERVATION_RELEASED


def secure(order: Order) -> list[StockReservation]:
    """The order is paid: held copies become sold; copies released when it expired are taken again if still
    there. Returns the reservations that could not be taken again (too few copies left)."""
    short = []
    for reservation in order.reservations:
        if reservation.status == RESERVATION_HELD:
            reservation.status = RESERVATION_CONVERTED
        elif reservation.status == RESERVATION_RELEASED:
            if stock.take(reservation.product_id, reservation.quantity, order_id=order.id):
                reservation.status = RESERVATION_CONVERTED
            else:
                short.append(reservation)
    return short


def return_sold(order: Order, actor_id: int | None) -> None:
    """A paid order is cancelled: held copies are released, sold ones come back as a `returned` movement."""
    release(order)
    for reservation in order.reservations:
        if reservation.status == RESERVATION_CONVERTED:
            stock.change(reservation.product_id, reservation.quantity, MOVEMENT_RETURNED, order_id=order.id,
                         actor_id=actor_id, note=f"Order {order.number} cancelled")
            reservation.status = RESERVATION_RELEASED

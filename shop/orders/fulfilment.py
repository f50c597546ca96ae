"""Fulfilment: what is left to ship, the pick list, packing slips and shipments (whole or partial).

A line's units to ship = quantity − units already shipped − units refunded by line (a refunded copy
is not sent). A shipment takes some or all of those units, with a carrier and tracking number; the
order's fulfilment_status follows: unfulfilled → partially_shipped → shipped. The customer gets one
e-mail per shipment (outbox dedupe key `shipment:<id>`).
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shop.core import audit
from shop.extensions import db
from shop.orders import emails, services
from shop.orders.editing import ActionRefused, OrderChanged, claim
from shop.orders.models import (
    FULFILMENT_PARTIAL,
    FULFILMENT_SHIPPED,
    FULFILMENT_UNFULFILLED,
    STATUS_PAID,
    Order,
    OrderLine,
    Refund,
    RefundLine,
    Shipment,
    ShipmentLine,
)

CARRIERS = ("USPS", "UPS", "FedEx", "DHL", "Canada Post")
PICK_LIST_LIMIT = 500  # orders on one pick list; the oldest first
CARRIER_MAX = 60
TRACKING_MAX = 80
REFUND_FAILED = "failed"


@dataclass
class LineToShip:
    line: OrderLine
    shipped: int
    refunded: int

    @property
    def remaining(self) -> int:
        return max(0, self.line.quantity - self.shipped - self.refunded)


def shipped_units(order_ids: list[int]) -> dict[int, int]:
    """{order_line_id: units shipped} for these orders."""
    rows = db.session.execute(
        select(ShipmentLine.order_line_id, func.sum(ShipmentLine.quantity))
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(Shipment.order_id.in_(order_ids)).group_by(ShipmentLine.order_line_id)
    ).all()
    return {line_id: int(units) for line_id, units in rows}


def refunded_units(order_ids: list[int]) -> dict[int, int]:
    """{order_line_id: units refunded by line} for these orders (failed refunds do not count)."""
    rows = db.session.execute(
        select(RefundLine.order_line_id, func.sum(RefundLine.quantity))
        .join(Refund, Refund.id == RefundLine.refund_id)
        .where(Refund.order_id.in_(order_ids), Refund.status != REFUND_FAILED).group_by(RefundLine.order_line_id)
    ).all()
    return {line_id: int(units) for line_id, units in rows}


def lines_to_ship(order: Order) -> list[LineToShip]:
    """Every physical line of the order with what has shipped, been refunded and is left."""
    shipped, refunded = shipped_units([order.id]), refunded_units([order.id])
    return [LineToShip(line, shipped.get(line.id, 0), refunded.get(line.id, 0))
            for line in order.lines if line.is_physical]


def fulfilment_after(lines: list[LineToShip]) -> str:
    if all(item.remaining == 0 for item in lines):
        return FULFILMENT_SHIPPED
    if any(item.shipped for item in lines):
        return FULFILMENT_PARTIAL
    return FULFILMENT_UNFULFILLED


@dataclass
class PickList:
    orders: list  # [(order, [LineToShip with remaining > 0])], oldest first
    totals: list  # [(sku, title, units)] over all those orders
    more: bool  # more orders wait than the list shows


def pick_list(limit: int = PICK_LIST_LIMIT) -> PickList:
    """Paid orders with physical units still to ship, oldest first, and the units to take off the shelves."""
    orders = db.session.execute(
        select(Order).options(selectinload(Order.lines))
        .where(Order.status == STATUS_PAID, Order.requires_shipping.is_(True),
               Order.fulfilment_status.in_((FULFILMENT_UNFULFILLED, FULFILMENT_PARTIAL)))
        .order_by(Order.placed_at, Order.id).limit(limit + 1)
    ).scalars().all()
    more = len(orders) > limit
    orders = orders[:limit]
    ids = [order.id for order in orders]
    shipped, refunded = (shipped_units(ids), refunded_units(ids)) if ids else ({}, {})
    entries = []
    totals = defaultdict(int)
    titles = {}
    for order in orders:
        lines = [LineToShip(line, shipped.get(line.id, 0), refunded.get(line.id, 0))
                 for line in order.lines if line.is_physical]
        lines = [item for item in lines if item.remaining]
        if not lines:
            continue
        entries.append((order, lines))
        for item in lines:
            totals[item.line.sku] += item.remaining
            titles.setdefault(item.line.sku, item.line.title)
    return PickList(orders=entries, totals=[(sku, titles[sku], units) for sku, units in sorted(totals.items())],
                    more=more)


def _clean(text: str | None, limit: int, label: str, field: str) -> str:
    text = " ".join((text or "").split())
    if len(text) > limit:
        raise ActionRefused(f"The {label} is at most {limit} characters.", field=field)
    return text


def ship(order: Order, seen_version: int, carrier: str | None, tracking_number: str | None,
         quantities: dict[int, int], actor: Any) -> Shipment:
    """Record a shipment of `quantities` ({order_line_id: units}) and e-mail the customer. Returns the Shipment.

    Refuses (ActionRefused, 422/409) an order that is not paid or has nothing to ship, unknown lines, more
    units than are left, an empty shipment, and a page shown before someone else changed the order.
    """
    if order.version_id != seen_version:  # checked again by claim(), atomically
        raise OrderChanged()
    if order.status != STATUS_PAID:
        raise ActionRefused(f"Order {order.number} is {order.status_label.lower()}: only paid orders are shipped.",
                            status=409)
    if not order.requires_shipping:
        raise ActionRefused(f"Order {order.number} has nothing to ship.", status=409)
    carrier = _clean(carrier, CARRIER_MAX, "carrier", "carrier")
    tracking_number = _clean(tracking_number, TRACKING_MAX, "tracking number", "tracking_number")
    if not carrier:
        raise ActionRefused("Enter the carrier, for example USPS.", field="carrier")
    lines = {item.line.id: item for item in lines_to_ship(order)}
    chosen = {}
    for line_id, units in quantities.items():
        item = lines.get(line_id)
        if item is None:
            raise ActionRefused("That line is not a printed item of this order.", field=f"qty-{line_id}")
        if units < 0 or units > item.remaining:
            raise ActionRefused(f"{item.line.title}: ship between 0 and {item.remaining}.", field=f"qty-{line_id}")
        if units:
            chosen[line_id] = units
    if not chosen:
        raise ActionRefused("Choose at least one copy to ship.", field="quantities")
    for line_id, units in chosen.items():
        lines[line_id].shipped += units
    status = fulfilment_after(list(lines.values()))
    claim(order, seen_version, statuses=(STATUS_PAID,), fulfilment_status=status)
    shipment = Shipment(order_id=order.id, carrier=carrier, tracking_number=tracking_number, staff_id=actor.id)
    shipment.lines = [ShipmentLine(order_line_id=line_id, quantity=units) for line_id, units in chosen.items()]
    db.session.add(shipment)
    db.session.flush()
    units = sum(chosen.values())
    what = f"{units} item{'s' if units != 1 else ''}"
    label = "Shipped" if status == FULFILMENT_SHIPPED else "Partly shipped"
    summary = f"{label}: {what} by {carrier}" + (f", tracking {tracking_number}" if tracking_number else "") + "."
    services.record(order, "shipped", summary, actor_id=actor.id)
    audit.record("shipped", "order", order.id, summary, actor=actor)
    if emails.shipment_notification(order, shipment) is not None:
        services.record(order, "email_queued", f"Shipment e-mail to {order.email} queued.")
    db.session.commit()
    return shipment


def packing_slip(order: Order) -> list[LineToShip]:
    """What goes in the parcel: every physical line with ordered, shipped and still-to-ship units."""
    return lines_to_ship(order)

"""Work on several orders at once from the desk's list: their packing slips, "shipped" with one carrier.

The list sends each chosen order as "<number>:<version seen>", so an order someone changed after the
list was shown is refused like a single one would be (shop.orders.editing.OrderChanged), not shipped
over their change. Each order is shipped in its own transaction: one refusal never undoes the others.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from shop.core.errors import Refusal
from shop.extensions import db
from shop.orders import fulfilment
from shop.orders.editing import ActionRefused
from shop.orders.exports import orders_of
from shop.orders.fulfilment import LineToShip
from shop.orders.models import Order

MAX_SELECTED = 100
_CHOICE_RE = re.compile(r"^([A-Z]{1,5}-\d{1,12}):(\d{1,9})$")


class SelectionError(Refusal):
    """Nothing usable was chosen, or too much."""


@dataclass(frozen=True)
class Selection:
    versions: dict[str, int]  # {order number: version seen on the list}

    @property
    def numbers(self) -> list[str]:
        return list(self.versions)


@dataclass
class ShipOutcome:
    shipped: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (order number, why)


def parse_selection(values: Iterable[str]) -> Selection:
    """The orders ticked on the list; refuses an empty, malformed or oversized selection."""
    versions: dict[str, int] = {}
    for value in values:
        match = _CHOICE_RE.match((value or "").strip())
        if not match:
            raise SelectionError("The list changed or the form is incomplete: reload the page and choose again.")
        versions[match.group(1)] = int(match.group(2))
    if not versions:
        raise SelectionError("Tick at least one order first.")
    if len(versions) > MAX_SELECTED:
        raise SelectionError(f"Choose at most {MAX_SELECTED} orders at a time.")
    return Selection(versions)


def slips(selection: Selection) -> list[tuple[Order, list[LineToShip]]]:
    """Each chosen order that ships something, with its packing slip's lines, newest first."""
    return [(order, fulfilment.packing_slip(order)) for order in orders_of(selection.numbers)
            if order.requires_shipping]


def ship_all(selection: Selection, carrier: str, actor: Any) -> ShipOutcome:
    """Ship everything still to ship on each chosen order with `carrier` (no tracking number); each order
    e-mails its customer as a single shipment does. Refusals are collected, not raised."""
    if not " ".join((carrier or "").split()):
        raise SelectionError("Enter the carrier, for example USPS.", field="carrier")
    outcome = ShipOutcome()
    found = {order.number: order for order in orders_of(selection.numbers)}
    for number, version in selection.versions.items():
        order = found.get(number)
        if order is None:
            outcome.refused.append((number, "There is no order with that number."))
            continue
        quantities = {item.line.id: item.remaining for item in fulfilment.lines_to_ship(order) if item.remaining}
        if order.requires_shipping and order.is_paid and not quantities:
            outcome.refused.append((number, "Everything on it has been shipped already."))
            continue
        try:
            fulfilment.ship(order, version, carrier, "", quantities, actor)
        except ActionRefused as error:
            db.session.rollback()
            outcome.refused.append((number, error.message))
        else:
            outcome.shipped.append(number)
    return outcome
